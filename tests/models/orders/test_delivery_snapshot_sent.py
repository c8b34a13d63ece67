"""order_codes_sent (the worker's path) against codes_sent (the general one), both engines."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet

from models.base import OrderSource, OrderStatus
from models.catalog.sync import sync_catalog
from models.customers.tables import Customer
from models.errors import NotFound
from models.orders.actions import mark_delivered, mark_needs_attention
from models.orders.delivery import (
    DMS_CLOSED_REASON,
    codes_sent,
    delivery_order,
    dms_closed,
    order_codes_sent,
)
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.tables import Order, OrderEvent
from models.outbox.tables import Job
from models.stock.cipher import StockCipher
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from settings import ProductConfig

BUYER = 5 << 22
OTHER = 6 << 22
CATALOG = (
    ProductConfig(key="game-key", name="Game key", kind="code", price=500, currency="USD"),
    ProductConfig(key="bundle", name="Bundle", kind="code+role", price=1500, currency="USD"),
)


async def paid(
    product_key: str,
    external_id: str,
    buyer: int = BUYER,
    source: OrderSource = OrderSource.GENERIC,
) -> Order:
    result = await apply_payment_event(
        PaymentEvent(
            source=source,
            status=PaymentStatus.PAID,
            cause=f"{source.value}:paid",
            reference=f"paid-{external_id}",
            external_id=external_id,
            discord_user_id=buyer,
            product_key=product_key,
            quantity=1,
            amount=500,
            currency="USD",
        )
    )
    return await Order.get(id=result.order_id)


async def state(order_id: int) -> dict[str, Any]:
    """What delivering wrote for an order: its row, events, jobs and codes (ids left out)."""
    order = await Order.get(id=order_id)
    events = await OrderEvent.filter(order_id=order_id).order_by("id")
    jobs = await Job.filter(order_id=order_id).order_by("id")
    codes = await StockItem.filter(order_id=order_id).values_list("status", flat=True)
    return {
        "status": order.status,
        "delivered": order.delivered_at is not None,
        "attention": (order.needs_attention, order.attention_reason),
        # The paid event's reference names the external order: only the later ones compared.
        "events": [
            (e.from_status, e.to_status, e.cause, e.reference, e.detail) for e in events[1:]
        ],
        "jobs": [(j.kind, j.status, sorted(j.payload)) for j in jobs],
        "codes": sorted(codes),
    }


async def setup() -> None:
    await sync_catalog(CATALOG)
    cipher = StockCipher((Fernet.generate_key().decode(),))
    await add_stock("game-key", [f"A-{n}" for n in range(8)], cipher)
    await add_stock("bundle", [f"B-{n}" for n in range(8)], cipher)


@pytest.mark.parametrize("product_key", ["game-key", "bundle"])
async def test_the_worker_path_writes_what_codes_sent_writes(db: str, product_key: str) -> None:
    await setup()
    for source in (OrderSource.GENERIC, OrderSource.ECWID):
        general = await paid(product_key, f"g-{source.value}", BUYER, source)
        worker = await paid(product_key, f"w-{source.value}", OTHER, source)
        for order in (general, worker):
            await dms_closed(await delivery_order(order.id), fallback_note="")
        snapshot = await delivery_order(worker.id)
        assert snapshot is not None and snapshot.source is source

        await codes_sent(general.id, BUYER)
        await order_codes_sent(snapshot)

        assert await state(general.id) == await state(worker.id)
        assert (await state(worker.id))["status"] is OrderStatus.DELIVERED
        assert (await state(worker.id))["attention"] == (False, "")
        for buyer in (BUYER, OTHER):
            assert not (await Customer.get(discord_id=buyer)).dms_closed
        # Again (a run repeated after a lost completion): nothing more is recorded.
        before = await state(worker.id)
        await order_codes_sent(snapshot)
        assert await state(worker.id) == before


async def test_another_reason_stays_and_a_flag_set_since_the_snapshot_is_lifted(db: str) -> None:
    await setup()
    first = await paid("game-key", "f1")
    second = await paid("game-key", "f2")
    await mark_needs_attention(first.id, "buyer asked for an invoice")
    snapshot = await delivery_order(first.id)
    assert snapshot is not None and not snapshot.dms_closed
    # Another order of the buyer found their DMs closed after this snapshot was read.
    await dms_closed(await delivery_order(second.id), fallback_note="")

    await order_codes_sent(snapshot)

    first = await Order.get(id=first.id)
    assert first.status is OrderStatus.DELIVERED
    assert (first.needs_attention, first.attention_reason) == (True, "buyer asked for an invoice")
    second = await Order.get(id=second.id)
    assert second.attention_reason == DMS_CLOSED_REASON  # its own flag: lifted by its own DM
    assert not (await Customer.get(discord_id=BUYER)).dms_closed


async def test_mark_delivered_reads_the_source_the_orm_reads(db: str) -> None:
    await setup()
    order = await paid("game-key", "s1", source=OrderSource.ECWID)
    twin = await paid("game-key", "s2", OTHER, source=OrderSource.ECWID)
    orm_source = await Order.filter(id=order.id).first().values_list("source", flat=True)
    assert (await delivery_order(order.id)).source is OrderSource(orm_source)

    read = await mark_delivered(order.id)
    given = await mark_delivered(twin.id, OrderSource(orm_source))

    assert (read.status, read.previous_status, read.applied) == (
        given.status,
        given.previous_status,
        given.applied,
    )
    assert read.status is OrderStatus.DELIVERED
    assert len(read.job_ids) == len(given.job_ids) > 0  # the feed entry and the storefront
    assert await state(order.id) == await state(twin.id)


async def test_a_missing_order_is_not_found_either_way(db: str) -> None:
    with pytest.raises(NotFound):
        await mark_delivered(999_999)
    with pytest.raises(NotFound):
        await mark_delivered(999_999, OrderSource.GENERIC)
