"""The update_storefront job for Ecwid: the order marked delivered once every cart line is."""

from __future__ import annotations

import aiohttp

from models.orders.cart_lines import cart_progress
from settings import Settings
from webhooks.ecwid.cart import ecwid_order_of
from webhooks.ecwid.client import put_fulfilment_status


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
        cart = await cart_progress(ecwid_id, external_id)
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
