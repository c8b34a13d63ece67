"""The generic webhook in disorder: minimal events (only the first carries the facts) shuffled."""

from __future__ import annotations

import json

from cryptography.fernet import Fernet

from models.base import JobKind, JobStatus, OrderSource, OrderStatus, StockStatus
from models.inbox.tables import WebhookEvent
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.cipher import StockCipher
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from tests.webhooks.helpers import BUYER, generic_headers, processed

URL = "/webhooks/generic"
FIRST = {
    "discord_user_id": str(BUYER),
    "product": "starter-bundle",
    "quantity": 2,
    "amount": 3000,
    "currency": "USD",
}


async def send(client, body: dict) -> None:
    text = json.dumps(body)
    response = await client.post(URL, data=text, headers=generic_headers(text))
    assert response.status == 200, await response.text()


async def outcome(external_id: str) -> dict:
    order = await Order.get(source=OrderSource.GENERIC, external_id=external_id)
    live = Job.filter(order_id=order.id, status=JobStatus.PENDING)
    return {
        "status": order.status,
        "amount": order.amount,
        "quantity": order.quantity,
        "reserved": await StockItem.filter(order_id=order.id, status=StockStatus.RESERVED).count(),
        "deliveries": await live.filter(kind=JobKind.DELIVER_CODES).count(),
        "grants": await live.filter(kind=JobKind.GRANT_ROLE).count(),
    }


async def test_paid_before_pending_delivers_like_in_order(client) -> None:
    cipher = StockCipher((Fernet.generate_key().decode(),))
    await add_stock("starter-bundle", [f"SB-{i}" for i in range(4)], cipher)
    pending = {"event_id": "p", "status": "pending", **FIRST}
    await send(client, {**pending, "order_id": "in-order", "event_id": "a1"})
    await send(client, {"event_id": "a2", "order_id": "in-order", "status": "paid"})
    await send(client, {"event_id": "b2", "order_id": "shuffled", "status": "paid"})
    await send(client, {**pending, "order_id": "shuffled", "event_id": "b1"})
    await processed(client)
    assert await WebhookEvent.filter(status="processed").count() == 4
    clean = await outcome("in-order")
    assert clean == {
        "status": OrderStatus.PAID,
        "amount": 3000,
        "quantity": 2,
        "reserved": 2,
        "deliveries": 1,
        "grants": 1,
    }
    assert await outcome("shuffled") == clean
