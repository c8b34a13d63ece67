"""Ecwid REST API client: re-fetch an order, and set its fulfilment status."""

from __future__ import annotations

import logging

import aiohttp

from settings import Settings
from webhooks.errors import ProviderUnavailable

log = logging.getLogger(__name__)


async def fetch_order(
    settings: Settings, http: aiohttp.ClientSession, order_id: str
) -> dict | None:
    """GET {api}/{storeId}/orders/{orderId}; None when Ecwid does not know the order."""
    url = f"{settings.ecwid.api_base}/{settings.ecwid.store_id}/orders/{order_id}"
    headers = {"Authorization": f"Bearer {settings.ecwid.api_token}", "Accept": "application/json"}
    try:
        async with http.get(url, headers=headers) as response:
            if response.status == 404:
                return None
            if response.status != 200:
                raise ProviderUnavailable(f"ecwid order fetch answered {response.status}")
            order = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise ProviderUnavailable(f"ecwid order fetch: {type(exc).__name__}") from exc
    if not isinstance(order, dict):
        raise ProviderUnavailable("ecwid order fetch returned no order object")
    return order


async def put_fulfilment_status(
    settings: Settings,
    http: aiohttp.ClientSession,
    ecwid_order_id: str,
    fulfillment_status: str = "DELIVERED",
) -> None:
    """PUT the fulfilment status of an Ecwid order (see webhooks/ecwid/fulfilment.py).

    Raises ProviderUnavailable when Ecwid does not accept it, so the job is retried.
    Ecwid answers this change with an order.updated webhook; re-applying the same payment
    status is a no-op for the order core, so no loop follows.
    """
    url = f"{settings.ecwid.api_base}/{settings.ecwid.store_id}/orders/{ecwid_order_id}"
    headers = {"Authorization": f"Bearer {settings.ecwid.api_token}", "Accept": "application/json"}
    try:
        async with http.put(
            url, json={"fulfillmentStatus": fulfillment_status}, headers=headers
        ) as response:
            if response.status != 200:
                raise ProviderUnavailable(f"ecwid order update answered {response.status}")
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise ProviderUnavailable(f"ecwid order update: {type(exc).__name__}") from exc
    log.info("ecwid order %s marked %s", ecwid_order_id, fulfillment_status)
