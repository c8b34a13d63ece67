"""The update_storefront job for Ecwid: the order marked delivered once every cart line is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiohttp

from models.base import OrderSource, OrderStatus
from models.orders.tables import Order
from settings import Settings
from webhooks.ecwid.cart import ecwid_order_of, line_external_id
from webhooks.ecwid.client import put_fulfilment_status


@dataclass(frozen=True)
class _Cart:
    lines: list[str]  # every line's external id, in cart order
    waiting: list[str]  # the lines not delivered
    last_delivered: str | None  # the line delivered last, once every line is


async def update_storefront(
    settings: Settings,
    http: aiohttp.ClientSession,
    external_id: str,
    fulfillment_status: str = "DELIVERED",
) -> str:
    """Sets the Ecwid order of the line `external_id` to `fulfillment_status`; returns a note.

    DELIVERED is sent once every line of the cart is delivered, by the job of the line
    delivered last: each line's delivery queues this job, and a job runs after its line's
    delivery was committed, so that line's job always sees the whole cart delivered. A cart
    with a line the shop does not fulfil is left for the seller to mark. Raises
    ProviderUnavailable when Ecwid does not accept the update, so the job is retried.
    """
    ecwid_id = ecwid_order_of(external_id)
    if fulfillment_status == "DELIVERED":
        cart = await _cart(ecwid_id, external_id)
        if cart.waiting:
            done = len(cart.lines) - len(cart.waiting)
            return (
                f"ecwid order {ecwid_id}: {done} of {len(cart.lines)} lines delivered, not "
                f"marked {fulfillment_status} (waiting: {', '.join(cart.waiting)})"
            )
        if cart.last_delivered != external_id:
            return f"ecwid order {ecwid_id}: marked by the update of {cart.last_delivered}"
    await put_fulfilment_status(settings, http, ecwid_id, fulfillment_status)
    return f"ecwid order {ecwid_id} marked {fulfillment_status}"


async def _cart(ecwid_id: str, external_id: str) -> _Cart:
    line = await Order.filter(source=OrderSource.ECWID, external_id=external_id).first()
    count = line.details.get("cart_lines") if line is not None else None
    total = count if isinstance(count, int) and count >= 1 else 1
    lines = [line_external_id(ecwid_id, position) for position in range(1, total + 1)]
    delivered = await Order.filter(
        source=OrderSource.ECWID, external_id__in=lines, status=OrderStatus.DELIVERED
    ).values_list("external_id", "delivered_at", "id")
    done = {row[0] for row in delivered}
    last = max(delivered, key=_delivery_order)[0] if delivered else None
    return _Cart(lines, [w for w in lines if w not in done], last)


def _delivery_order(row: tuple[str, datetime | None, int]) -> tuple[float, int]:
    return (row[1].timestamp() if row[1] is not None else 0.0, row[2])
