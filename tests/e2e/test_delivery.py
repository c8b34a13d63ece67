"""The delivery worker end to end: codes by DM (embed or file), feed, fallback, restarts, 429s."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest

from demo.emulator import DiscordEmulator
from demo.emulator.state import ChannelType, Message
from demo.fakes.ecwid_api import FakeEcwid
from models.base import JobKind, JobStatus, OrderSource, OrderStatus
from models.customers.tables import Customer
from models.database import close_database, open_database
from models.orders.actions import resend_codes
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.queries import codes_for_order
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot, StartBot

pytestmark = pytest.mark.e2e

WAIT = 10.0
T = TypeVar("T")


def new_codes(count: int, prefix: str = "KEY") -> list[str]:
    return [f"{prefix}-{secrets.token_hex(6).upper()}" for _ in range(count)]


async def pay_external_order(
    discord_id: int | None,
    product_key: str,
    quantity: int,
    amount: int,
    *,
    email: str | None = None,
    external_id: str | None = None,
) -> Order:
    """An order created and paid in one generic-webhook event, through the order core."""
    external_id = external_id or f"ext-{secrets.token_hex(4)}"
    result = await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.PAID,
            cause="generic:paid",
            reference=f"evt-paid-{external_id}",
            external_id=external_id,
            discord_user_id=discord_id,
            product_key=product_key,
            quantity=quantity,
            amount=amount,
            currency="USD",
            email=email,
        )
    )
    return await Order.get(id=result.order_id)


async def refund_external_order(order: Order) -> None:
    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.REFUNDED,
            cause="generic:refunded",
            reference=f"evt-refund-{order.external_id}",
            external_id=order.external_id,
        )
    )


async def wait_for_db(check: Callable[[], Awaitable[T]], what: str, within: float = WAIT) -> T:
    """Polls a database condition (the emulator's waiters only see Discord-side changes)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        result = await check()
        if result:
            return result
        if loop.time() > deadline:
            raise AssertionError(f"gave up after {within}s waiting for {what}")
        await asyncio.sleep(0.05)


async def jobs_settled(order_id: int) -> bool:
    """No job of the order is waiting or running any more."""
    return not await Job.filter(
        order_id=order_id, status__in=(JobStatus.PENDING, JobStatus.RUNNING)
    ).exists()


def code_block_lines(message: Message) -> list[str]:
    (embed,) = message.embeds
    match = re.search(r"```\n(.*?)\n```", embed.get("description", ""), re.S)
    assert match, f"no code block in {embed!r}"
    return match.group(1).split("\n")


def everything_posted_in_guild(emulator: DiscordEmulator) -> str:
    """The text of every guild channel and thread message (embeds and files included)."""
    world = emulator.world
    parts = []
    for message in world.messages.values():
        channel = world.channel(message.channel_id)
        if channel is None or channel.type == ChannelType.DM:
            continue
        parts.append(message.content)
        parts.append(repr(message.embeds))
        parts.extend(a.content.decode("utf-8", "replace") for a in message.attachments)
    return "\n".join(parts)


async def test_paid_order_is_dmed_granted_and_posted_to_the_feed(stockroom: RunningBot) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    alice = emulator.world.alice
    stock = new_codes(4, "BUNDLE")
    await add_stock("starter-bundle", stock, bot.cipher)

    order = await pay_external_order(
        alice.id, "starter-bundle", 2, 3000, email="alice.smith@example.com"
    )

    dm = await emulator.next_dm("alice", within=WAIT)
    expected = await codes_for_order(order.id, bot.cipher)
    assert len(expected) == 2 and set(expected) <= set(stock)
    assert code_block_lines(dm) == expected
    assert order.number in dm.embeds[0]["title"]
    assert not dm.attachments
    await emulator.has_role("alice", emulator.world.customer_role, within=WAIT)

    feed = await emulator.messages_in(
        emulator.world.orders_channel,
        until=lambda ms: any("Delivered" in str(m.embeds) for m in ms),
        within=WAIT,
    )
    completed = next(m for m in feed if "Payment completed" in m.embeds[0]["title"])
    embed = completed.embeds[0]
    assert order.number in embed["title"]
    assert embed["color"] == 0x2ECC71  # green
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Product"] == "Starter bundle"
    assert fields["Quantity"] == "2"
    assert fields["Amount"] == "$30.00"
    assert fields["Customer"] == f"<@{alice.id}>"
    assert fields["Email"] == "a***@example.com"
    assert fields["Source"] == "Webhook"
    posted = everything_posted_in_guild(emulator)
    assert "alice.smith@example.com" not in posted
    assert not any(code in posted for code in stock)

    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs to finish")
    order = await Order.get(id=order.id)
    assert order.status is OrderStatus.DELIVERED
    assert order.delivered_at is not None


async def test_long_code_list_arrives_as_a_text_file(stockroom: RunningBot) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    threshold = stockroom.settings.dm_file_threshold
    quantity = threshold + 5
    stock = new_codes(quantity, "BULK")
    await add_stock("game-key", stock, bot.cipher)

    order = await pay_external_order(emulator.world.bob.id, "game-key", quantity, 500 * quantity)

    dm = await emulator.next_dm("bob", within=WAIT)
    (attachment,) = dm.attachments
    assert attachment.filename == f"{order.number}-codes.txt"
    assert attachment.text.splitlines() == await codes_for_order(order.id, bot.cipher)
    assert sorted(attachment.text.splitlines()) == sorted(stock)
    description = dm.embeds[0]["description"]
    assert f"Your {quantity} codes are in the attached file" in description
    assert not any(code in description for code in stock)
    await wait_for_db(
        lambda: Order.filter(id=order.id, status=OrderStatus.DELIVERED).exists(),
        "the order to be delivered",
    )


@pytest.mark.invalid_requests(1)  # the one refused DM; closed DMs are cached after it
async def test_closed_dms_fall_back_to_a_private_thread_then_resend(
    stockroom: RunningBot,
) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    world = emulator.world
    carol = world.carol
    stock = new_codes(3, "CAROL")
    await add_stock("game-key", stock, bot.cipher)

    order = await pay_external_order(carol.id, "game-key", 1, 500)

    notice = await emulator.wait_until(
        lambda: next(
            (
                m
                for m in world.messages.values()
                if (c := world.channel(m.channel_id)) is not None
                and c.type == ChannelType.PRIVATE_THREAD
                and c.parent_id == world.fallback_channel.id
            ),
            None,
        ),
        "the fallback notice",
        WAIT,
    )
    thread = world.channel(notice.channel_id)
    assert carol.id in thread.thread_members
    assert f"<@{carol.id}>" in notice.content
    assert order.number in notice.content and "My orders" in notice.content
    alert = await emulator.message_in(
        world.admin_channel, lambda m: "DMs closed" in str(m.embeds), within=WAIT
    )
    assert order.number in str(alert.embeds)
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs to finish")
    order = await Order.get(id=order.id)
    assert order.needs_attention and order.status is OrderStatus.PAID
    assert (await Customer.get(discord_id=carol.id)).dms_closed
    assert emulator.dms("carol") == []

    # A second order does not knock on the closed DMs again (they count as invalid requests).
    refused_dms = [r for r in emulator.requests if r.status == 403 and "/messages" in r.path]
    second = await pay_external_order(carol.id, "game-key", 1, 500)
    await wait_for_db(lambda: jobs_settled(second.id), "the second order's jobs to finish")
    assert [r for r in emulator.requests if r.status == 403 and "/messages" in r.path] == (
        refused_dms
    )
    assert len([c for c in world.guild.channels.values() if c.parent_id]) == 1  # same thread

    # Carol opens her DMs and asks for a resend from My orders.
    carol.dms_open = True
    await resend_codes(order.id, carol.id)
    dm = await emulator.next_dm("carol", within=WAIT)
    assert code_block_lines(dm) == await codes_for_order(order.id, bot.cipher)
    await wait_for_db(
        lambda: Order.filter(
            id=order.id, status=OrderStatus.DELIVERED, needs_attention=False
        ).exists(),
        "the resent order to be delivered and unflagged",
    )
    assert not (await Customer.get(discord_id=carol.id)).dms_closed
    posted = everything_posted_in_guild(emulator)
    assert not any(code in posted for code in stock)


@pytest.mark.invalid_requests(4)  # the four injected global 429s
async def test_global_rate_limit_during_delivery_is_absorbed(stockroom: RunningBot) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    stock = new_codes(2, "BURST")
    await add_stock("starter-bundle", stock, bot.cipher)
    emulator.faults.global_rate_limit(retry_after=0.3, count=4)

    order = await pay_external_order(emulator.world.alice.id, "starter-bundle", 1, 1500)

    dm = await emulator.next_dm("alice", within=WAIT)
    assert code_block_lines(dm) == await codes_for_order(order.id, bot.cipher)
    await emulator.has_role("alice", emulator.world.customer_role, within=WAIT)
    assert [r for r in emulator.requests if r.status == 429], "no 429 was served"
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs to finish")
    assert not await Job.filter(status=JobStatus.PARKED).exists()
    assert len(emulator.dms("alice")) == 1


async def test_pending_jobs_complete_after_a_restart(start_bot: StartBot) -> None:
    first = await start_bot()
    emulator, settings = first.emulator, first.settings
    same_store = {
        "DATABASE_URL": settings.database_url,
        "STOCK_ENCRYPTION_KEYS": ",".join(settings.stock_keys),
    }
    stock = new_codes(6, "RESTART")
    await add_stock("game-key", stock, first.bot.cipher)
    await first.bot.close()

    # While no bot runs, an order is paid: its jobs wait in the outbox.
    await open_database(settings.database_url)
    waiting = await pay_external_order(emulator.world.alice.id, "game-key", 2, 1000)
    # And a job whose worker died mid-run: its lease ran out.
    crashed = await pay_external_order(emulator.world.bob.id, "game-key", 1, 500)
    await Job.filter(order_id=crashed.id, kind=JobKind.DELIVER_CODES).update(
        status=JobStatus.RUNNING,
        attempts=1,
        lease_owner="dead-host:1:gone",
        lease_expires_at=datetime.now(UTC) - timedelta(seconds=1),
    )
    await close_database()

    second = await start_bot(env=same_store)
    dm = await emulator.next_dm("alice", within=WAIT)
    assert code_block_lines(dm) == await codes_for_order(waiting.id, second.bot.cipher)
    dm = await emulator.next_dm("bob", within=WAIT)
    assert code_block_lines(dm) == await codes_for_order(crashed.id, second.bot.cipher)
    for order in (waiting, crashed):
        await wait_for_db(
            lambda order=order: Order.filter(id=order.id, status=OrderStatus.DELIVERED).exists(),
            f"order {order.number} to be delivered",
        )


async def test_a_job_running_at_close_is_handed_back_and_finished_by_the_next_bot(
    start_bot: StartBot,
) -> None:
    first = await start_bot()
    first.bot.get_cog("DeliveryWorker").stop_grace = 0.2
    emulator, settings = first.emulator, first.settings
    same_store = {
        "DATABASE_URL": settings.database_url,
        "STOCK_ENCRYPTION_KEYS": ",".join(settings.stock_keys),
    }
    await add_stock("game-key", new_codes(2, "SLOW"), first.bot.cipher)
    # The DM channel opens slowly, so the delivery is mid-request when the bot closes.
    emulator.faults.delay("POST", "/users/@me/channels", 2.0, count=1)
    order = await pay_external_order(emulator.world.alice.id, "game-key", 1, 500)
    await wait_for_db(
        lambda: Job.filter(
            order_id=order.id, kind=JobKind.DELIVER_CODES, status=JobStatus.RUNNING
        ).exists(),
        "the delivery to start",
    )
    await first.bot.close()
    await open_database(settings.database_url)
    job = await Job.get(order_id=order.id, kind=JobKind.DELIVER_CODES)
    assert (job.status, job.attempts, job.lease_owner) == (JobStatus.PENDING, 0, None)
    await close_database()

    second = await start_bot(env=same_store)
    dm = await emulator.next_dm("alice", within=WAIT)
    assert code_block_lines(dm) == await codes_for_order(order.id, second.bot.cipher)
    await wait_for_db(
        lambda: Order.filter(id=order.id, status=OrderStatus.DELIVERED).exists(),
        "the order to be delivered",
    )


async def test_a_discord_server_error_is_retried_with_backoff(stockroom: RunningBot) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    await add_stock("game-key", new_codes(2, "RETRY"), bot.cipher)
    # 503 is not among the statuses disnake retries itself: the job's own backoff must.
    emulator.faults.server_error("POST", "/users/@me/channels", status=503, count=1)

    order = await pay_external_order(emulator.world.alice.id, "game-key", 1, 500)

    dm = await emulator.next_dm("alice", within=WAIT)
    assert code_block_lines(dm) == await codes_for_order(order.id, bot.cipher)
    job = await Job.get(order_id=order.id, kind=JobKind.DELIVER_CODES)
    await wait_for_db(
        lambda: Job.filter(id=job.id, status=JobStatus.DONE).exists(), "the job to finish"
    )
    job = await Job.get(id=job.id)
    assert job.attempts == 2
    assert "503" in job.last_error


async def test_delivered_ecwid_order_is_marked_fulfilled_in_the_store(start_bot: StartBot) -> None:
    ecwid = await FakeEcwid("store-1", "secret_token").start()
    try:
        running = await start_bot(
            env={
                "ECWID_API_TOKEN": "secret_token",
                "ECWID_CLIENT_SECRET": "client-secret",
                "ECWID_STORE_ID": "store-1",
                "ECWID_API_BASE": ecwid.base_url,
            }
        )
        emulator, bot = running.emulator, running.bot
        ecwid.orders["XJ12H"] = {"id": "XJ12H", "paymentStatus": "PAID"}
        ecwid.fail_next(503)  # the first update fails: the job retries it
        await add_stock("game-key", new_codes(1, "ECWID"), bot.cipher)
        result = await apply_payment_event(
            PaymentEvent(
                source=OrderSource.ECWID,
                status=PaymentStatus.PAID,
                cause="ecwid:order.updated",
                reference="ecwid-evt-1",
                external_id="XJ12H",
                discord_user_id=emulator.world.alice.id,
                product_key="game-key",
                quantity=1,
                amount=500,
                currency="USD",
            )
        )
        await emulator.next_dm("alice", within=WAIT)
        job = await wait_for_db(
            lambda: Job.filter(
                order_id=result.order_id, kind=JobKind.UPDATE_STOREFRONT, status=JobStatus.DONE
            ).first(),
            "the storefront update",
        )
        assert ecwid.puts == [("XJ12H", {"fulfillmentStatus": "DELIVERED"})]
        assert job.attempts == 2 and "503" in job.last_error
    finally:
        await ecwid.close()
