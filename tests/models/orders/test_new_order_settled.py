"""A new order's INSERT carries what settle() writes (its UPDATE skipped when nothing differs):
the stored row is the row an order created pending and then settled holds, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models.base import OrderStatus
from models.customers.tables import Customer
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.tables import Order
from models.outbox.raw_sql import rows
from models.stock.restock import add_stock
from tests.models.conftest import external

_SETTLED = (
    '"status", "refunded_amount", "paid_at", "delivered_at", "needs_attention",'
    ' "attention_reason", "access_until"'
)
_AT = datetime(2026, 12, 4, 18, 40, 1, 234567, tzinfo=UTC)


async def _settled_row(external_id: str) -> dict:
    (row,) = await rows(f'SELECT {_SETTLED} FROM "order" WHERE "external_id" = ?', [external_id])
    return row


async def _apply(external_id: str, status: PaymentStatus, buyer: int, **kw) -> None:
    event = external(external_id, status, f"{status.value}-{external_id}", discord_user_id=buyer)
    event = type(event)(**{**event.__dict__, "occurred_at": _AT, **kw})
    await apply_payment_event(event)


async def _both_ways(status: PaymentStatus, key: str, **kw) -> tuple[dict, dict]:
    """(new order with this first event, order created pending then given it)."""
    await _apply("new", status, 11, product_key=key, **kw)
    await _apply("old", PaymentStatus.PENDING, 12, product_key=key)
    await _apply("old", status, 12, product_key=key, **kw)
    return await _settled_row("new"), await _settled_row("old")


@pytest.mark.parametrize(
    ("status", "key", "stock", "expected"),
    [
        (PaymentStatus.PAID, "game-key", 2, OrderStatus.PAID),
        (PaymentStatus.PAID, "game-key", 0, OrderStatus.AWAITING_STOCK),  # settle differs
        (PaymentStatus.PAID, "vip", 0, OrderStatus.PAID),
        (PaymentStatus.REFUNDED, "game-key", 0, OrderStatus.REFUNDED),
    ],
)
async def test_the_row_is_the_row_settled_after_a_pending_insert(
    catalog, cipher, status, key, stock, expected
) -> None:
    if stock:
        await add_stock("game-key", [f"CODE-{n}-ABCD" for n in range(stock)], cipher)
    new, old = await _both_ways(status, key)
    assert new == old
    assert OrderStatus(new["status"]) is expected
    order = await Order.get(external_id="new")
    assert order.status is expected and order.paid_at == _AT and order.delivered_at is None
    # The first payment counts in the buyer's spend once, as before.
    new_buyer, old_buyer = await Customer.get(discord_id=11), await Customer.get(discord_id=12)
    assert new_buyer.total_spent == old_buyer.total_spent == 500


async def test_a_pending_first_event_leaves_the_row_pending(catalog) -> None:
    await _apply("p", PaymentStatus.PENDING, 13)
    order = await Order.get(external_id="p")
    assert order.status is OrderStatus.PENDING and order.paid_at is None
    assert (await Customer.get(discord_id=13)).total_spent == 0
