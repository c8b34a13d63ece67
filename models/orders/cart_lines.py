"""What the shop has recorded for an Ecwid order's cart lines (reads only).

Line n of Ecwid order X is the shop order with external id ``X/n``; line 1 keeps ``X``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.base import OrderSource, OrderStatus
from models.orders.tables import Order

LINE_SEPARATOR = "/"
CART_LINES = "cart_lines"  # details key: how many lines the line's cart has


def line_external_id(ecwid_order_id: str, position: int) -> str:
    """The external id of line `position` (1-based) of an Ecwid order."""
    return ecwid_order_id if position == 1 else f"{ecwid_order_id}{LINE_SEPARATOR}{position}"


@dataclass(frozen=True)
class CartProgress:
    lines: list[str]  # every line's external id, in cart order
    waiting: list[str]  # the lines not delivered
    last_delivered: str | None  # the line delivered last (its job marks the storefront)


async def recorded_as_one_order(ecwid_id: str) -> bool:
    """The Ecwid order was recorded before carts were split: one order (the first mapped
    item, under the Ecwid id) stands for the whole cart."""
    found = await Order.filter(source=OrderSource.ECWID, external_id=ecwid_id).values_list(
        "details", flat=True
    )
    return bool(found) and isinstance(found[0], dict) and CART_LINES not in found[0]


async def cart_progress(ecwid_id: str, external_id: str) -> CartProgress:
    """How far the delivery of the cart the line `external_id` belongs to has come."""
    line = await Order.filter(source=OrderSource.ECWID, external_id=external_id).first()
    count = line.details.get(CART_LINES) if line is not None else None
    total = count if isinstance(count, int) and count >= 1 else 1
    lines = [line_external_id(ecwid_id, position) for position in range(1, total + 1)]
    delivered = await Order.filter(
        source=OrderSource.ECWID, external_id__in=lines, status=OrderStatus.DELIVERED
    ).values_list("external_id", "delivered_at", "id")
    done = {row[0] for row in delivered}
    last = max(delivered, key=_delivery_order)[0] if delivered else None
    return CartProgress(lines, [w for w in lines if w not in done], last)


def _delivery_order(row: tuple[str, datetime | None, int]) -> tuple[float, int]:
    return (row[1].timestamp() if row[1] is not None else 0.0, row[2])
