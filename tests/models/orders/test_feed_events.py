"""The feed tells every money event: which post_feed jobs an order's events queue, and what
each feed entry says (refund amounts, reasons, disputes, top-ups and their clawback)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from models.base import JobKind, OrderStatus, PaymentMethod
from models.customers.topups import TopUpFact, credit_topup
from models.customers.wallet import credit
from models.orders.actions import admin_process_order, mark_delivered
from models.orders.clawbacks import apply_topup_fact
from models.orders.feed_entries import FeedRequest, feed_entries, feed_entry, topup_feed_entry
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.purchases import purchase_with_wallet, start_checkout
from models.orders.refunds import plan_refund, record_refund
from models.outbox.tables import Job
from models.stock.restock import add_stock
from tests.models.conftest import external

BUYER = 1001


async def feed_jobs(order_id: int | None = None) -> list[Job]:
    query = Job.filter(kind=JobKind.POST_FEED)
    if order_id is not None:
        query = query.filter(order_id=order_id)
    return list(await query.order_by("id"))


async def feed_kinds(order_id: int) -> list[str]:
    return [job.payload["kind"] for job in await feed_jobs(order_id)]


async def entry_of(job: Job):
    payload = job.payload
    return await feed_entry(payload["order_id"], payload.get("order_event_id"), payload["kind"])


async def test_a_wallet_purchase_shows_as_completed_not_checkout_started(catalog, cipher) -> None:
    await add_stock("game-key", ["W-1"], cipher)
    await credit(BUYER, 2000, reference="seed")
    order = await purchase_with_wallet(BUYER, "game-key", reference="int-w1")
    assert await feed_kinds(order.id) == ["completed"]
    entry = await entry_of((await feed_jobs(order.id))[0])
    assert entry.status is OrderStatus.PAID
    assert entry.payment_method is PaymentMethod.WALLET


async def test_a_discord_stripe_checkout_shows_pending(catalog, cipher) -> None:
    await add_stock("game-key", ["S-1"], cipher)
    order = await start_checkout(
        BUYER,
        "game-key",
        payment_method=PaymentMethod.STRIPE,
        reference="int-s1",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
    )
    assert await feed_kinds(order.id) == ["pending"]
    entry = await entry_of((await feed_jobs(order.id))[0])
    assert entry.status is OrderStatus.PENDING
    assert entry.payment_method is PaymentMethod.STRIPE


async def test_each_partial_refund_is_posted_with_its_amount(catalog, cipher) -> None:
    await add_stock("game-key", ["P-1"], cipher)
    paid = await apply_payment_event(external("p", PaymentStatus.PAID, "1", amount=3000))
    await mark_delivered(paid.order_id)
    for reference, cumulative in (("r1", 500), ("r2", 1200)):
        await apply_payment_event(
            external(
                "p",
                PaymentStatus.PARTIALLY_REFUNDED,
                reference,
                refund_amount=cumulative,
                amount=3000,
            )
        )
    # The same cumulative amount again (the provider's webhook after our own call): no news.
    await apply_payment_event(
        external("p", PaymentStatus.PARTIALLY_REFUNDED, "r2-again", refund_amount=1200)
    )
    await apply_payment_event(external("p", PaymentStatus.REFUNDED, "r3", refund_amount=3000))
    kinds = await feed_kinds(paid.order_id)
    assert kinds == [
        "completed",
        "delivered",
        "partially_refunded",
        "partially_refunded",
        "refunded",
    ]
    entries = [await entry_of(job) for job in (await feed_jobs(paid.order_id))[2:]]
    assert [(e.refund, e.refunded_total) for e in entries] == [
        (500, 500),
        (700, 1200),
        (1800, 3000),
    ]
    assert entries[-1].status is OrderStatus.REFUNDED


async def test_a_rounds_entries_read_together_are_the_entries_read_one_by_one(
    catalog, cipher
) -> None:
    await add_stock("game-key", ["B-1", "B-2"], cipher)
    first = await apply_payment_event(external("b1", PaymentStatus.PAID, "1", amount=3000))
    await mark_delivered(first.order_id)
    await apply_payment_event(
        external("b1", PaymentStatus.PARTIALLY_REFUNDED, "r1", refund_amount=500, amount=3000)
    )
    second = await apply_payment_event(external("b2", PaymentStatus.PAID, "1", amount=1000))
    jobs = await feed_jobs()
    requests = [
        FeedRequest(j.payload["order_id"], j.payload.get("order_event_id"), j.payload["kind"])
        for j in reversed(jobs)  # newest first: entries keep the requests' order
    ]
    requests.append(FeedRequest(second.order_id + 1000, None, "completed"))  # gone
    requests.append(FeedRequest(first.order_id, None, "completed"))  # no event
    together = await feed_entries(requests)
    alone = [await feed_entry(r.order_id, r.order_event_id, r.kind) for r in requests]
    assert together == alone
    assert together[-2] is None and together[-1] is not None
    assert {e.order_id for e in together if e is not None} == {first.order_id, second.order_id}


async def test_a_refund_shows_its_reason(catalog, cipher) -> None:
    await add_stock("game-key", ["R-1"], cipher)
    paid = await apply_payment_event(external("why", PaymentStatus.PAID, "1", amount=500))
    plan = await plan_refund(paid.order_number, "2")
    await record_refund(plan, actor_id=42, reference="refund:200", note="code did not work")
    await admin_process_order(
        paid.order_number, "refund", actor_id=42, reference="adm-2", note="buyer asked"
    )
    entries = [await entry_of(job) for job in (await feed_jobs(paid.order_id))[1:]]
    assert [(e.kind, e.refund, e.reason) for e in entries] == [
        ("partially_refunded", 200, "code did not work"),
        ("refunded", 300, "buyer asked"),
    ]


async def test_a_dispute_lost_and_a_dispute_won_are_posted(catalog, cipher) -> None:
    await add_stock("game-key", ["D-1", "D-2"], cipher)
    lost = await apply_payment_event(external("lost", PaymentStatus.PAID, "1"))
    await apply_payment_event(external("lost", PaymentStatus.DISPUTED, "dp_1"))
    await apply_payment_event(external("lost", PaymentStatus.DISPUTE_LOST, "dp_1:lost"))
    assert await feed_kinds(lost.order_id) == ["completed", "disputed", "dispute_lost"]
    last = await entry_of((await feed_jobs(lost.order_id))[-1])
    assert last.status is OrderStatus.DISPUTED

    won = await apply_payment_event(external("won", PaymentStatus.PAID, "1"))
    await apply_payment_event(external("won", PaymentStatus.DISPUTED, "dp_2"))
    await apply_payment_event(external("won", PaymentStatus.DISPUTE_WON, "dp_2:won"))
    assert await feed_kinds(won.order_id) == ["completed", "disputed", "dispute_won"]


async def test_a_replayed_event_posts_nothing_more(catalog, cipher) -> None:
    await add_stock("game-key", ["X-1"], cipher)
    event = external("rp", PaymentStatus.PAID, "1")
    paid = await apply_payment_event(event)
    await apply_payment_event(event)
    refund = external("rp", PaymentStatus.PARTIALLY_REFUNDED, "r", refund_amount=100)
    await apply_payment_event(refund)
    await apply_payment_event(refund)
    assert await feed_kinds(paid.order_id) == ["completed", "partially_refunded"]


async def test_a_topup_and_its_clawback_are_posted(catalog) -> None:
    async with in_transaction() as conn:
        assert await credit_topup(BUYER, 2000, reference="stripe:cs_t1", connection=conn)
        # Credited twice (a replayed webhook): one feed entry.
        assert not await credit_topup(BUYER, 2000, reference="stripe:cs_t1", connection=conn)
    await apply_topup_fact(TopUpFact.REFUNDED, reference="stripe:cs_t1", refund_amount=500)
    await apply_topup_fact(TopUpFact.DISPUTE_OPENED, reference="stripe:cs_t1")
    await apply_topup_fact(TopUpFact.DISPUTE_OPENED, reference="stripe:cs_t1")  # no news
    await apply_topup_fact(TopUpFact.DISPUTE_WON, reference="stripe:cs_t1")
    jobs = [job for job in await feed_jobs() if job.order_id is None]  # type: ignore[attr-defined]
    assert [job.payload["kind"] for job in jobs] == [
        "topup",
        "topup_clawed_back",
        "topup_clawed_back",
        "topup_given_back",
    ]
    entries = [await topup_feed_entry(job.payload) for job in jobs]
    assert all(e is not None and e.discord_id == BUYER for e in entries)
    assert [(e.change, e.clawed, e.balance) for e in entries] == [  # type: ignore[union-attr]
        (2000, 0, 2000),
        (-500, 500, 1500),
        (-1500, 2000, 0),
        (1500, 500, 1500),
    ]
    assert entries[0].topup_amount == 2000 and entries[0].currency == "USD"  # type: ignore[union-attr]
