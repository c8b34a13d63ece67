"""Straight-line lifecycle runs: paid, delivered, refunded, and what each leaves behind."""

from __future__ import annotations

from models.base import JobKind, OrderStatus, StockStatus
from models.orders.actions import mark_delivered
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.tables import Order, OrderEvent
from models.outbox.tables import Job
from models.stock.queries import codes_for_order
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from tests.models.conftest import external


async def test_paid_reserves_delivers_and_refund_revokes(catalog, cipher) -> None:
    await add_stock("game-key", ["AAA-1", "AAA-2", "AAA-3", "AAA-4"], cipher)
    first = await apply_payment_event(external("e1", PaymentStatus.PAID, "evt-1", quantity=2))
    assert first.created and first.status is OrderStatus.PAID
    assert sorted(await codes_for_order(first.order_id, cipher)) == ["AAA-1", "AAA-2"]
    kinds = sorted(j.kind for j in await Job.filter(order_id=first.order_id))
    assert kinds == [JobKind.DELIVER_CODES, JobKind.POST_FEED]
    again = await apply_payment_event(external("e1", PaymentStatus.PAID, "evt-1", quantity=2))
    assert not again.applied and await OrderEvent.filter(order_id=first.order_id).count() == 1
    delivered = await mark_delivered(first.order_id)
    assert delivered.status is OrderStatus.DELIVERED
    assert await StockItem.filter(status=StockStatus.DELIVERED).count() == 2
    refunded = await apply_payment_event(external("e1", PaymentStatus.REFUNDED, "evt-2"))
    assert refunded.status is OrderStatus.REFUNDED
    assert await StockItem.filter(status=StockStatus.REVOKED).count() == 2
    order = await Order.get(id=first.order_id)
    assert order.refunded_amount == 500
