"""The update_storefront job for Ecwid: the order marked delivered once every cart line is."""

from __future__ import annotations

import aiohttp

from models.base import OrderSource, OrderStatus
from models.orders.tables import Order
from settings import Settings
from webhooks.ecwid.cart import ecwid_order_of, line_external_id
from webhooks.ecwid.client import put_fulfilment_status


async def update_storefront(
    settings: Settings,
    http: aiohttp.ClientSession,
    external_id: str,
    fulfillment_status: str = "DELIVERED",
) -> str:
    """Sets the Ecwid order of the line `external_id` to `fulfillment_status`; returns a note.

    DELIVERED is sent only when every line of the cart is delivered: each line's delivery
    queues this job, and the job of the last one sends it (a job runs after its line's
    delivery was committed, so the last one always sees every line delivered). A line the
    shop does not fulfil keeps the storefront as it is. Raises ProviderUnavailable when Ecwid
    does not accept the update, so the job is retried.
    """
    ecwid_id = ecwid_order_of(external_id)
    if fulfillment_status == "DELIVERED":
        waiting = await _lines_not_delivered(ecwid_id, external_id)
        if waiting:
            total, open_lines = waiting
            return (
                f"ecwid order {ecwid_id}: {total - len(open_lines)} of {total} lines delivered, "
                f"not marked {fulfillment_status} (waiting: {', '.join(open_lines)})"
            )
    await put_fulfilment_status(settings, http, ecwid_id, fulfillment_status)
    return f"ecwid order {ecwid_id} marked {fulfillment_status}"


async def _lines_not_delivered(ecwid_id: str, external_id: str) -> tuple[int, list[str]] | None:
    """(number of lines, the lines not delivered) of the cart, or None when all are."""
    line = await Order.filter(source=OrderSource.ECWID, external_id=external_id).first()
    count = line.details.get("cart_lines") if line is not None else None
    total = count if isinstance(count, int) and count >= 1 else 1
    wanted = [line_external_id(ecwid_id, position) for position in range(1, total + 1)]
    delivered = set(
        await Order.filter(
            source=OrderSource.ECWID, external_id__in=wanted, status=OrderStatus.DELIVERED
        ).values_list("external_id", flat=True)
    )
    open_lines = [w for w in wanted if w not in delivered]
    return (total, open_lines) if open_lines else None
