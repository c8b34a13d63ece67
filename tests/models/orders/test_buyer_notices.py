"""The buyer's own notices an order plans: a role order's receipt, and "queued" for stock."""

from __future__ import annotations

from models.base import JobKind, OrderStatus
from models.orders.actions import mark_delivered
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.outbox.tables import Job
from models.stock.restock import add_stock
from tests.models.conftest import external


async def notices(order_id: int) -> list[str]:
    jobs = await Job.filter(order_id=order_id, kind=JobKind.NOTIFY_BUYER).order_by("id")
    return [job.payload["notice"] for job in jobs]


async def test_a_delivered_role_order_plans_one_receipt(catalog) -> None:
    paid = await apply_payment_event(
        external("vip-1", PaymentStatus.PAID, "p", product_key="vip", amount=1000)
    )
    assert await notices(paid.order_id) == []  # not before the role is granted
    await mark_delivered(paid.order_id)
    await mark_delivered(paid.order_id)  # a repeated grant
    assert await notices(paid.order_id) == ["receipt"]


async def test_a_code_order_gets_no_receipt_beside_its_codes(catalog, cipher) -> None:
    await add_stock("bundle", ["B-1"], cipher)
    paid = await apply_payment_event(
        external("b-1", PaymentStatus.PAID, "p", product_key="bundle", amount=1500)
    )
    await mark_delivered(paid.order_id)
    assert await notices(paid.order_id) == []


async def test_an_order_waiting_for_stock_tells_its_buyer_once(catalog, cipher) -> None:
    waiting = await apply_payment_event(external("w-1", PaymentStatus.PAID, "p", quantity=2))
    assert waiting.status is OrderStatus.AWAITING_STOCK
    assert await notices(waiting.order_id) == ["queued"]
    await add_stock("game-key", ["Q-1"], cipher)  # still short: waits on
    await add_stock("game-key", ["Q-2"], cipher)
    assert await Job.filter(order_id=waiting.order_id, kind=JobKind.DELIVER_CODES).exists()
    assert await notices(waiting.order_id) == ["queued"]


async def test_an_order_without_a_buyer_plans_no_notice(catalog) -> None:
    waiting = await apply_payment_event(
        external("anon", PaymentStatus.PAID, "p", discord_user_id=None)
    )
    assert waiting.status is OrderStatus.AWAITING_STOCK
    assert await notices(waiting.order_id) == []
