"""A fake of Ecwid's REST API: GET and PUT /api/v3/{storeId}/orders/{orderId}."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from typing import Any

from aiohttp import web

from demo.fakes.service import FakeService


def sign_ecwid(event_created: int, event_id: str, client_secret: str) -> str:
    digest = hmac.new(
        client_secret.encode(), f"{event_created}.{event_id}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


class FakeEcwid(FakeService):
    """Orders kept in `orders` by id; `puts` records fulfilment updates.

    `hold_reads()` makes order fetches wait until `release_reads()`, with `read_arrived`
    set when one is waiting: a test can act while a processor is mid-fetch.
    """

    def __init__(self, store_id: str, token: str) -> None:
        super().__init__()
        self.store_id = store_id
        self.token = token
        self.orders: dict[str, dict[str, Any]] = {}
        self.puts: list[tuple[str, dict[str, Any]]] = []
        self.read_arrived = asyncio.Event()
        self._reads_open = asyncio.Event()
        self._reads_open.set()
        path = "/api/v3/{store_id}/orders/{order_id}"
        self.app.router.add_get(path, self._get)
        self.app.router.add_put(path, self._put)

    @property
    def base_url(self) -> str:
        return f"{self.origin}/api/v3"

    def hold_reads(self) -> None:
        self.read_arrived.clear()
        self._reads_open.clear()

    def release_reads(self) -> None:
        self._reads_open.set()

    def _check(self, request: web.Request) -> web.Response | None:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.json_response({"errorMessage": "Invalid token"}, status=403)
        if request.match_info["store_id"] != self.store_id:
            return web.json_response({"errorMessage": "Store not found"}, status=404)
        if request.match_info["order_id"] not in self.orders:
            return web.json_response({"errorMessage": "Order not found"}, status=404)
        return None

    async def _get(self, request: web.Request) -> web.Response:
        self.read_arrived.set()
        await self._reads_open.wait()
        refused = self._check(request)
        if refused is not None:
            return refused
        return web.json_response(self.orders[request.match_info["order_id"]])

    async def _put(self, request: web.Request) -> web.Response:
        refused = self._check(request)
        if refused is not None:
            return refused
        order_id = request.match_info["order_id"]
        changes = await request.json()
        self.puts.append((order_id, changes))
        self.orders[order_id].update(changes)
        return web.json_response({"updateCount": 1})

    def add_order(
        self,
        order_id: str,
        *,
        payment_status: str = "PAID",
        sku: str = "GAME-KEY",
        quantity: int = 1,
        discord_user_id: str | None = None,
        field_title: str = "Discord User ID",
        field_shape: str = "orderExtraFields",
        total: float = 5.0,
        email: str = "shopper@example.com",
    ) -> dict[str, Any]:
        """An order shaped like Ecwid's GET order answer."""
        order: dict[str, Any] = {
            "id": order_id,
            "internalId": 123456789,
            "orderNumber": 1234,
            "email": email,
            "paymentStatus": payment_status,
            "fulfillmentStatus": "AWAITING_PROCESSING",
            "total": total,
            "subtotal": total,
            "items": [
                {
                    "id": 1,
                    "productId": 42,
                    "sku": sku,
                    "name": "Game key",
                    "quantity": quantity,
                    "price": total / quantity,
                }
            ],
        }
        if discord_user_id is not None:
            if field_shape == "orderExtraFields":
                order["orderExtraFields"] = [
                    {
                        "id": "discord_id",
                        "value": discord_user_id,
                        "title": field_title,
                        "customerInputType": "TEXT",
                        "orderDetailsDisplaySection": "order_comments",
                    }
                ]
            else:
                order["extraFields"] = {field_title: discord_user_id}
        self.orders[order_id] = order
        return order
