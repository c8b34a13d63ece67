"""Builders shared by the order tests: a buyer and the order a generic `paid` event makes."""

from __future__ import annotations

from models.base import OrderSource
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.tables import Order

BUYER = 5 << 22


async def paid(product_key: str, external_id: str, *, amount: int = 500) -> Order:
    """One of `product_key`, paid by BUYER through the generic webhook; the stored order."""
    result = await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.PAID,
            cause="generic:paid",
            reference=f"paid-{external_id}",
            external_id=external_id,
            discord_user_id=BUYER,
            product_key=product_key,
            quantity=1,
            amount=amount,
            currency="USD",
        )
    )
    return await Order.get(id=result.order_id)
