"""Drop-safe checkouts: a card or QRIS checkout holds its codes for the checkout's lifetime.

The hold is the order core's own reservation (`reserve_stock`, status `reserved` with the
order's id), taken in the same transaction that creates the pending order: a buyer who cannot
get every code is refused and nothing is written. A held code is not `available`, so wallet
purchases and other checkouts never see it. The hold ends when the order stops being pending:
paid (the held codes are the ones delivered), expired, failed or cancelled (the order core puts
them back on sale, see models/orders/effects.py).
"""

from __future__ import annotations

from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from models.errors import OutOfStock
from models.orders.tables import Order
from models.stock.actions import reserve_stock
from models.stock.queries import held_count


def short_message(name: str, wanted: int, left: int) -> str:
    """What a buyer who cannot get a hold is told before paying."""
    if left <= 0:
        return f"{name} is sold out right now."
    return f"Only {left} of {name} left; pick fewer."


async def hold_codes(
    order_id: int, product_id: int, name: str, quantity: int, conn: BaseDBAsyncClient
) -> int:
    """Holds `quantity` codes for a pending order or raises OutOfStock (roll the transaction
    back then: the codes taken so far go back with it)."""
    held = await held_count(order_id, conn)
    if held >= quantity:
        return held
    got = await reserve_stock(product_id, order_id, quantity - held, conn)
    if held + got < quantity:
        raise OutOfStock(short_message(name, quantity, held + got))
    return held + got


async def extend_hold(order_id: int, expires_at: datetime) -> None:
    """The hold lasts as long as the provider's checkout (e.g. Stripe's 30-minute minimum)."""
    await Order.filter(id=order_id, expires_at__lt=expires_at).update(expires_at=expires_at)
