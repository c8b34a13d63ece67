"""The delivery worker's domain side (models.orders.delivery) on real databases."""

from __future__ import annotations

from cryptography.fernet import Fernet

from models.base import JobKind, JobStatus, OrderSource, OrderStatus, StockStatus
from models.catalog.sync import sync_catalog
from models.customers.tables import Customer
from models.orders.actions import mark_needs_attention
from models.orders.delivery import (
    DMS_CLOSED_REASON,
    codes_sent,
    delivery_order,
    delivery_order_and_ciphertexts,
    dms_closed,
    fallback_thread_id,
    release_lease,
    release_own_leases,
    remember_fallback_thread,
)
from models.orders.feed_entries import feed_entry
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.tables import Order
from models.outbox.actions import claim, enqueue
from models.outbox.tables import Job
from models.stock.cipher import StockCipher
from models.stock.queries import codes_for_order, decrypt_codes
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from settings import ProductConfig
from tests.models.orders.helpers import BUYER, paid

CUSTOMER_ROLE = 900 << 22
VIP_ROLE = 901 << 22
CATALOG = (
    ProductConfig(key="game-key", name="Game key", kind="code", price=500, currency="USD"),
    ProductConfig(key="vip", name="VIP", kind="role", price=1000, currency="USD", role_id=VIP_ROLE),
    ProductConfig(key="bundle", name="Bundle", kind="code+role", price=1500, currency="USD"),
)


async def refunded(order: Order) -> None:
    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.REFUNDED,
            cause="generic:refunded",
            reference=f"refund-{order.external_id}",
            external_id=order.external_id,
        )
    )


async def test_a_stopped_job_goes_back_uncounted(db: str) -> None:
    job = await enqueue(JobKind.POST_FEED, {"order_id": 1, "kind": "pending"})
    (claimed,) = await claim("worker-a")
    assert claimed.attempts == 1
    assert not await release_lease(job.id, "worker-b")
    assert await release_lease(job.id, "worker-a")
    job = await Job.get(id=job.id)
    assert (job.status, job.attempts, job.lease_owner) == (JobStatus.PENDING, 0, None)
    (again,) = await claim("worker-b")
    assert again.id == job.id


async def test_jobs_left_leased_to_a_worker_by_a_lost_claim_answer_go_back(db: str) -> None:
    """A claim committed whose answer never reached the worker: its own leases, not others'."""
    mine = [await enqueue(JobKind.POST_FEED, {"order_id": n, "kind": "pending"}) for n in (1, 2)]
    await claim("worker-a", limit=2)
    other = await enqueue(JobKind.POST_FEED, {"order_id": 3, "kind": "pending"})
    await claim("worker-b")
    assert await release_own_leases("worker-a") == 2
    for job in mine:
        job = await Job.get(id=job.id)
        assert (job.status, job.attempts, job.lease_owner) == (JobStatus.PENDING, 0, None)
    assert (await Job.get(id=other.id)).lease_owner == "worker-b"
    assert {j.id for j in await claim("worker-c", limit=5)} == {job.id for job in mine}


async def test_closed_dms_flag_the_order_cache_the_customer_and_alert_once(db: str) -> None:
    await sync_catalog(CATALOG)
    order = await paid("game-key", "a1")
    view = await delivery_order(order.id)
    assert view is not None and not view.dms_closed and view.delivers_codes

    await dms_closed(view, fallback_note="Told in a thread.")
    await dms_closed(view, fallback_note="Told in a thread.")

    view = await delivery_order(order.id)
    assert view.dms_closed and view.needs_attention
    assert view.attention_reason == DMS_CLOSED_REASON
    alerts = [
        job
        for job in await Job.filter(kind=JobKind.NOTIFY_ADMIN, order_id=order.id)
        if job.payload["title"] == "Delivery blocked: DMs closed"
    ]
    assert len(alerts) == 1
    assert order.number in alerts[0].payload["message"]
    assert "Told in a thread." in alerts[0].payload["message"]


async def test_codes_sent_delivers_and_lifts_only_the_closed_dm_flag(db: str) -> None:
    await sync_catalog(CATALOG)
    cipher = StockCipher((Fernet.generate_key().decode(),))
    await add_stock("game-key", ["A-1", "A-2"], cipher)
    first = await paid("game-key", "b1")
    second = await paid("game-key", "b2")
    await dms_closed(await delivery_order(first.id), fallback_note="")
    await mark_needs_attention(second.id, "buyer asked for an invoice")

    await codes_sent(first.id, BUYER)
    await codes_sent(second.id, BUYER)

    first = await Order.get(id=first.id)
    second = await Order.get(id=second.id)
    assert first.status is second.status is OrderStatus.DELIVERED
    assert not first.needs_attention and first.attention_reason == ""
    assert second.needs_attention  # someone else's reason stays
    assert not (await Customer.get(discord_id=BUYER)).dms_closed


async def test_fallback_thread_is_remembered_per_buyer(db: str) -> None:
    assert await fallback_thread_id(BUYER) is None
    await remember_fallback_thread(BUYER, 1234 << 22)
    await remember_fallback_thread(BUYER, 1235 << 22)
    assert await fallback_thread_id(BUYER) == 1235 << 22
    await remember_fallback_thread(BUYER, None)
    assert await fallback_thread_id(BUYER) is None


async def test_feed_entry_shows_the_event_not_the_order_now(db: str) -> None:
    await sync_catalog(CATALOG)
    order = await paid("vip", "c1")
    job = await Job.filter(order_id=order.id, kind=JobKind.POST_FEED).first()
    await refunded(order)
    entry = await feed_entry(order.id, job.payload["order_event_id"], job.payload["kind"])
    assert entry is not None
    assert (entry.kind, entry.status) == ("completed", OrderStatus.PAID)
    assert entry.cause == "generic:paid"
    assert entry.discord_id == BUYER and entry.product_name == "VIP"
    assert await feed_entry(order.id + 1000, None, "completed") is None


async def test_the_order_read_with_its_ciphertexts_is_the_order_and_its_codes(db: str) -> None:
    await sync_catalog(CATALOG)
    cipher = StockCipher((Fernet.generate_key().decode(),))
    await add_stock("game-key", ["C-1", "C-2", "C-3"], cipher)
    first = await paid("game-key", "c1")
    second = await paid("game-key", "c2")
    await codes_sent(second.id, BUYER)  # a delivered code is still the order's
    vip = await paid("vip", "c3")  # a role: no codes

    for order in (first, second, vip):
        view, ciphertexts = await delivery_order_and_ciphertexts(order.id)
        assert view == await delivery_order(order.id)
        assert decrypt_codes(ciphertexts, cipher) == await codes_for_order(order.id, cipher)
    assert [
        decrypt_codes((await delivery_order_and_ciphertexts(o.id))[1], cipher)
        for o in (first, second, vip)
    ] == [["C-1"], ["C-2"], []]
    # An order of two codes: one row each, oldest first, the order read once.
    await StockItem.filter(status=StockStatus.AVAILABLE).update(
        status=StockStatus.RESERVED, order_id=first.id
    )
    view, ciphertexts = await delivery_order_and_ciphertexts(first.id)
    assert view == await delivery_order(first.id)
    assert decrypt_codes(ciphertexts, cipher) == ["C-1", "C-3"]
    await refunded(await Order.get(id=first.id))  # released codes are no longer the order's
    view, ciphertexts = await delivery_order_and_ciphertexts(first.id)
    assert view is not None and not view.entitled
    assert decrypt_codes(ciphertexts, cipher) == await codes_for_order(first.id, cipher)
    assert await delivery_order_and_ciphertexts(vip.id + 1000) == (None, [])
