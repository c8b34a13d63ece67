"""The orders-channel feed end to end: every money event posted; embeds that queue up share
messages (up to ten, within 6000 characters), in order, none lost across a restart, none
posted twice on a retry."""

from __future__ import annotations

import asyncio
import math
import secrets

import pytest
from tortoise.transactions import in_transaction

from cogs.delivery.feed import FEED_INTERVAL_SECONDS, FEED_ROUND_JOBS
from demo.emulator import DiscordEmulator
from demo.emulator.state import Message
from demo.emulator.wire import RequestRecord
from models.base import JobKind, JobStatus, OrderSource
from models.customers.topups import TopUpFact, credit_topup
from models.database import close_database, open_database
from models.orders.clawbacks import apply_topup_fact
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.purchases import purchase_with_wallet
from models.orders.tables import Order
from models.outbox.actions import enqueue
from models.outbox.tables import Job
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot, StartBot
from tests.e2e.test_admin import admin_reply, text_of
from tests.e2e.test_delivery import WAIT, wait_for_db
from tests.e2e.test_pacing import add_buyers, metered

pytestmark = pytest.mark.e2e

ORDERS = 24
TOTAL_MAX = 6000  # characters of all embeds of one message (resources/message.mdx)
MESSAGES_TEMPLATE = "/channels/{channel_id}/messages"


def embed_length(embed: dict) -> int:
    """What Discord counts toward the 6000: title, description, fields, footer, author."""
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [f.get("name", "") + f.get("value", "") for f in embed.get("fields", [])]
    parts += [
        (embed.get("footer") or {}).get("text", ""),
        (embed.get("author") or {}).get("name", ""),
    ]
    return sum(len(str(p).strip()) for p in parts)


def is_message_post(record: RequestRecord) -> bool:
    return record.method == "POST" and record.template == MESSAGES_TEMPLATE


def feed_messages(emulator: DiscordEmulator) -> list[Message]:
    return emulator.world.channel_messages(emulator.world.orders_channel.id)


def posted_titles(emulator: DiscordEmulator) -> list[str]:
    """Each entry's title as posted; a folded embed ("Order N — A · B (renewal)") counts as
    its entries ("Order N — A (renewal)", "Order N — B (renewal)")."""
    titles = []
    for title in (e["title"] for m in feed_messages(emulator) for e in m.embeds):
        order, _, labels = title.rpartition(" — ")
        if not order:
            titles.append(title)
            continue
        mark = " (renewal)" if labels.endswith(" (renewal)") else ""
        labels = labels.removesuffix(mark)
        titles += [f"{order} — {label}{mark}" for label in labels.split(" · ")]
    return titles


def assert_within_discord_limits(messages: list[Message]) -> None:
    for message in messages:
        assert 1 <= len(message.embeds) <= 10
        assert sum(embed_length(e) for e in message.embeds) <= TOTAL_MAX


async def expected_titles() -> list[str]:
    """Every feed job's title, oldest job first: the order the feed must keep."""
    from cogs.delivery.feed_embeds import FEED_LABELS

    titles = []
    jobs = Job.filter(kind=JobKind.POST_FEED, order_id__not_isnull=True)
    for job in await jobs.order_by("id"):
        order = await Order.get(id=job.payload["order_id"])
        titles.append(f"Order {order.number} — {FEED_LABELS[job.payload['kind']]}")
    return titles


async def feed_jobs_done() -> bool:
    jobs = Job.filter(kind=JobKind.POST_FEED)
    return await jobs.count() > 0 and not await jobs.exclude(status=JobStatus.DONE).exists()


async def pay(discord_id: int, n: int) -> None:
    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.PAID,
            cause="generic:paid",
            reference=f"evt-feed-{n}",
            external_id=f"feed-{n}",
            discord_user_id=discord_id,
            product_key="starter-bundle",
            quantity=1,
            amount=1500,
            currency="USD",
            email=f"buyer{n}@example.com",
        )
    )


async def awaiting_payment(n: int) -> None:
    """An order that only posts to the feed (nothing to deliver yet)."""
    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.PENDING,
            cause="generic:pending",
            reference=f"evt-wait-{n}",
            external_id=f"wait-{n}",
            amount=900,
            currency="USD",
            product_name=f"Item {n}",
        )
    )


async def test_a_burst_of_orders_shares_feed_messages_in_order(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    buyers = add_buyers(discord_emulator, 6)
    codes = [f"FEED-{secrets.token_hex(6)}" for _ in range(ORDERS)]
    await add_stock("starter-bundle", codes, stockroom.bot.cipher)

    loop = asyncio.get_running_loop()
    began = loop.time()
    await asyncio.gather(*(pay(buyers[n % len(buyers)], n) for n in range(ORDERS)))

    embeds = 2 * ORDERS  # "Payment completed" and "Delivered" of every order, maybe folded
    await discord_emulator.wait_until(
        lambda: len(posted_titles(discord_emulator)) >= embeds, "every feed entry", 30.0
    )
    seconds = loop.time() - began
    await wait_for_db(feed_jobs_done, "every feed job done")
    messages = feed_messages(discord_emulator)
    assert_within_discord_limits(messages)
    # Coalesced: full messages, plus at most one partly filled message per feed round (one
    # round a second while the deliveries trickle in): a handful, not today's one an embed.
    rounds = math.ceil(seconds / FEED_INTERVAL_SECONDS) + 1
    assert len(messages) <= math.ceil(embeds / 10) + rounds, [len(m.embeds) for m in messages]
    assert len(messages) <= embeds // 3, f"{len(messages)} messages in {seconds:.1f} s"
    titles = posted_titles(discord_emulator)
    assert titles == await expected_titles()  # each once, in the order they happened
    posted = repr([m.embeds for m in messages])
    assert not any(code in posted for code in codes)
    assert "buyer1@example.com" not in posted and "b***@example.com" in posted
    feed_path = f"/channels/{discord_emulator.world.orders_channel.id}/messages"
    sends = [r for r in metered(discord_emulator) if is_message_post(r) and r.path == feed_path]
    assert len(sends) == len(messages)  # one request a message, none refused or repeated


async def test_a_failed_feed_message_is_retried_whole_and_keeps_the_order(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    # 503 is not retried by disnake itself: the feed jobs' own backoff must do it.
    discord_emulator.faults.server_error("POST", MESSAGES_TEMPLATE, status=503, count=1)
    for n in range(12):
        await awaiting_payment(n)

    await wait_for_db(feed_jobs_done, "every feed job done", within=20.0)
    titles = posted_titles(discord_emulator)
    assert titles == await expected_titles()
    assert_within_discord_limits(feed_messages(discord_emulator))
    refused = [r for r in discord_emulator.requests if r.status == 503]
    assert len(refused) == 1
    failed = await Job.filter(kind=JobKind.POST_FEED, attempts=2).count()
    assert failed >= 1  # the refused message's jobs ran twice, the others once
    assert await Job.filter(kind=JobKind.POST_FEED, attempts__gt=2).count() == 0


async def test_a_send_retried_after_discord_took_it_posts_no_duplicate(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    for n in range(5):
        await awaiting_payment(n)
    await wait_for_db(feed_jobs_done, "every feed job done")
    before = [m.id for m in feed_messages(discord_emulator)]
    assert len(posted_titles(discord_emulator)) == 5

    # As if the bot died after Discord created the message but before the jobs were
    # recorded done: they run again, with the nonce they were sent with.
    await Job.filter(kind=JobKind.POST_FEED).update(status=JobStatus.PENDING)
    stockroom.bot.get_cog("DeliveryWorker").wake()
    await wait_for_db(feed_jobs_done, "the feed jobs done again")
    assert [m.id for m in feed_messages(discord_emulator)] == before
    assert len(posted_titles(discord_emulator)) == 5
    feed_path = f"/channels/{discord_emulator.world.orders_channel.id}/messages"
    sends = [r for r in discord_emulator.requests if is_message_post(r) and r.path == feed_path]
    assert len(sends) == 2 * len(before)  # sent again, answered with the same message


async def test_feed_jobs_queued_while_the_bot_is_down_are_posted_after_a_restart(
    start_bot: StartBot,
) -> None:
    first = await start_bot()
    emulator, settings = first.emulator, first.settings
    same_store = {
        "DATABASE_URL": settings.database_url,
        "STOCK_ENCRYPTION_KEYS": ",".join(settings.stock_keys),
    }
    await first.bot.close()

    await open_database(settings.database_url)
    for n in range(25):
        await awaiting_payment(n)
    await close_database()

    await start_bot(env=same_store)
    await emulator.wait_until(
        lambda: len(posted_titles(emulator)) >= 25, "the queued feed embeds", WAIT
    )
    await wait_for_db(feed_jobs_done, "every feed job done")
    messages = feed_messages(emulator)
    assert [len(m.embeds) for m in messages] == [10, 10, 5]
    assert_within_discord_limits(messages)
    assert posted_titles(emulator) == await expected_titles()


async def test_a_backlog_of_full_rounds_is_posted_without_pausing_between_them(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    """The pause after a round lets embeds gather into one message; after a full round more
    are waiting already, so a wait would only let the backlog grow (a launch day's tail)."""
    running = stockroom.bot.get_cog("DeliveryWorker").feed
    running.stop()  # a backlog builds up, as it does while a busy feed is behind
    backlog = 2 * FEED_ROUND_JOBS + 20
    for n in range(backlog):
        await awaiting_payment(n)

    poster = type(running)(stockroom.bot, "backlog-test")
    poster.interval = 3 * WAIT  # a pause would not end within the wait below
    task = asyncio.create_task(poster.run())
    try:
        await discord_emulator.wait_until(
            lambda: len(posted_titles(discord_emulator)) >= backlog, "the backlog at once", WAIT
        )
    finally:
        poster.stop()
        await task
    messages = feed_messages(discord_emulator)
    assert [len(m.embeds) for m in messages] == [10] * (backlog // 10)
    assert posted_titles(discord_emulator) == await expected_titles()


async def test_an_orders_completed_and_delivered_entries_waiting_together_share_an_embed(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    feed = stockroom.bot.get_cog("DeliveryWorker").feed
    feed.stop()  # entries queue up, as they do while a busy feed is behind
    await add_stock("starter-bundle", ["FOLD-1"], stockroom.bot.cipher)
    await pay(discord_emulator.world.alice.id, 1)
    await discord_emulator.next_dm("alice", within=WAIT)
    await wait_for_db(lambda: _feed_jobs(2), "both of the order's feed jobs queued")

    restarted = type(feed)(stockroom.bot, "fold-test")
    task = asyncio.create_task(restarted.run())
    try:
        await wait_for_db(feed_jobs_done, "the order's feed jobs done")
    finally:
        restarted.stop()
        await task
    (message,) = feed_messages(discord_emulator)
    (embed,) = message.embeds
    order = await Order.get(external_id="feed-1")
    assert embed["title"] == f"Order {order.number} — Payment completed · Delivered"
    assert {f["name"]: f["value"] for f in embed["fields"]}["Status"] == "delivered"


async def _feed_jobs(count: int) -> bool:
    return await Job.filter(kind=JobKind.POST_FEED).count() == count


def embeds_titled(emulator: DiscordEmulator, title_part: str) -> list[dict]:
    return [
        e for m in feed_messages(emulator) for e in m.embeds if title_part in e.get("title", "")
    ]


async def test_every_money_event_reaches_the_feed(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    await add_stock(
        "game-key", [f"MONEY-{secrets.token_hex(6)}" for _ in range(2)], stockroom.bot.cipher
    )
    # A wallet purchase: paid at once, so the feed says so (no "awaiting payment").
    async with in_transaction() as conn:
        await credit_topup(world.bob.id, 2000, reference="stripe:cs_feed", connection=conn)
    wallet = await purchase_with_wallet(world.bob.id, "game-key", reference="int-feed")
    # A card-style external order, refunded twice in part by an admin, with reasons.
    paid = await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.PAID,
            cause="generic:paid",
            reference="evt-money",
            external_id="money-1",
            discord_user_id=world.alice.id,
            product_key="game-key",
            quantity=1,
            amount=500,
            currency="USD",
            email="alice.money@example.com",
        )
    )
    for amount, reason in (("2", "one key did not work"), ("1", "goodwill")):
        reply = await admin_reply(
            discord_emulator,
            world.admin,
            "admin processorder",
            order=paid.order_number,
            action="refund",
            amount=amount,
            reason=reason,
        )
        assert "refunded" in text_of(reply).lower()
    # The top-up that paid for bob's order is disputed and lost.
    await apply_topup_fact(TopUpFact.DISPUTE_OPENED, reference="stripe:cs_feed")
    await apply_topup_fact(TopUpFact.DISPUTE_LOST, reference="stripe:cs_feed")

    await wait_for_db(feed_jobs_done, "every feed job done")
    await discord_emulator.wait_until(
        lambda: len(embeds_titled(discord_emulator, "Dispute lost")) == 1, "dispute lost", WAIT
    )
    titles = posted_titles(discord_emulator)
    assert titles.count(f"Order {wallet.number} — Payment completed") == 1
    assert not [t for t in titles if wallet.number in t and "Awaiting payment" in t]
    refunds = embeds_titled(discord_emulator, f"{paid.order_number} — Partially refunded")
    shown = [{f["name"]: f["value"] for f in e["fields"]} for e in refunds]
    assert [(s["Refund"], s["Reason"]) for s in shown] == [
        ("$2.00 (refunded in all: $2.00)", "one key did not work"),
        ("$1.00 (refunded in all: $3.00)", "goodwill"),
    ]
    assert shown[0]["Email"] == "a***@example.com"
    assert titles.count("Wallet topped up") == 1
    assert titles.count("Top-up taken back") == 1
    assert [t for t in titles if wallet.number in t][-2:] == [
        f"Order {wallet.number} — Disputed",
        f"Order {wallet.number} — Dispute lost",
    ]
    posted = repr([m.embeds for m in feed_messages(discord_emulator)])
    assert "alice.money@example.com" not in posted and "MONEY-" not in posted
    assert_within_discord_limits(feed_messages(discord_emulator))


async def test_a_feed_job_that_cannot_be_shown_is_parked_and_the_rest_still_post(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    broken = await enqueue(JobKind.POST_FEED, {"order_id": "not-a-number", "kind": "completed"})
    assert broken is not None
    for n in range(3):
        await awaiting_payment(n)

    await discord_emulator.wait_until(
        lambda: len(posted_titles(discord_emulator)) >= 3, "the other feed embeds", WAIT
    )
    await wait_for_db(
        lambda: Job.filter(id=broken.id, status=JobStatus.PARKED).exists(), "the bad job parked"
    )
    assert posted_titles(discord_emulator) == await expected_titles()
    assert "cannot be shown" in (await Job.get(id=broken.id)).last_error


async def test_a_feed_message_in_flight_at_close_is_posted_once_by_the_next_bot(
    start_bot: StartBot,
) -> None:
    first = await start_bot()
    first.bot.get_cog("DeliveryWorker").stop_grace = 0.2
    emulator, settings = first.emulator, first.settings
    same_store = {
        "DATABASE_URL": settings.database_url,
        "STOCK_ENCRYPTION_KEYS": ",".join(settings.stock_keys),
    }
    # The feed message is answered slowly, so it is mid-request when the bot closes.
    emulator.faults.delay("POST", MESSAGES_TEMPLATE, 2.0, count=1)
    for n in range(4):
        await awaiting_payment(n)
    await wait_for_db(
        lambda: Job.filter(kind=JobKind.POST_FEED, status=JobStatus.RUNNING).exists(),
        "the feed message to be in flight",
    )
    await first.bot.close()
    await open_database(settings.database_url)
    jobs = await Job.filter(kind=JobKind.POST_FEED)
    # Handed back uncounted, still marked with the message that may have gone out.
    assert {(j.status, j.attempts, j.lease_owner) for j in jobs} == {(JobStatus.PENDING, 0, None)}
    assert len({j.payload.get("feed_message") for j in jobs}) == 1
    await close_database()

    await start_bot(env=same_store)
    await wait_for_db(feed_jobs_done, "every feed job done")
    await asyncio.sleep(2.5)  # the slow first answer has landed by now, if it was to land
    assert posted_titles(emulator) == await expected_titles()
    assert len(feed_messages(emulator)) == 1
