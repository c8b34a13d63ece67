"""POST /api/orders (idempotent), GET /api/webhooks/logs and GET /health."""

from __future__ import annotations

import asyncio
import dataclasses
import json

import pytest

from models.base import OrderSource, OrderStatus
from models.catalog.tables import Product
from models.database import close_database
from models.inbox.tables import IdempotencyRecord, WebhookEvent
from models.orders.tables import Order
from tests.webhooks.conftest import settings_for
from tests.webhooks.helpers import BUYER, admin_headers, generic_headers, processed

ORDER = {"discord_user_id": str(BUYER), "product": "vip", "email": "a@example.com"}


async def post_order(client, key: str | None, body: dict, **headers: str):
    extra = {"Idempotency-Key": key} if key is not None else {}
    return await client.post(
        "/api/orders", data=json.dumps(body), headers=admin_headers(**extra, **headers)
    )


async def test_order_is_created_once_per_key_and_replayed(client):
    first = await post_order(client, "key-1", ORDER)
    assert first.status == 201
    answer = await first.json()
    assert answer["status"] == "paid" and answer["created"] is True
    again = await post_order(client, "key-1", ORDER)
    assert again.status == 201
    assert await again.json() == answer
    assert again.headers["Idempotent-Replayed"] == "true"
    order = await Order.get(source=OrderSource.API)
    assert order.number == answer["order_number"]
    assert order.status == OrderStatus.PAID
    assert await Order.all().count() == 1


async def test_same_key_with_another_body_is_422(client):
    assert (await post_order(client, "key-2", ORDER)).status == 201
    other = await post_order(client, "key-2", dict(ORDER, email="b@example.com"))
    assert other.status == 422
    assert await Order.all().count() == 1


async def test_concurrent_requests_with_one_key_make_one_order(client):
    answers = await asyncio.gather(*(post_order(client, "key-race", ORDER) for _ in range(8)))
    statuses = [a.status for a in answers]
    assert set(statuses) <= {201, 409}
    bodies = [await a.json() for a in answers if a.status == 201]
    assert bodies and all(b == bodies[0] for b in bodies)
    assert await Order.all().count() == 1


@pytest.mark.parametrize(
    ("key", "body", "auth", "status"),
    [
        ("k", ORDER, None, 401),
        ("k", ORDER, "Bearer wrong", 401),
        ("k", ORDER, "Basic admin-token-789", 401),
        (None, ORDER, "", 400),
        ("has space", ORDER, "", 400),
        ("k", {"product": "vip"}, "", 400),
        ("k", dict(ORDER, quantity=0), "", 400),
        ("k", dict(ORDER, status="refunded"), "", 400),
        ("k", dict(ORDER, product="nope"), "", 422),
    ],
)
async def test_rejected_requests_change_nothing(client, key, body, auth, status):
    headers = admin_headers(**({"Idempotency-Key": key} if key else {}))
    if auth is None:
        del headers["Authorization"]
    elif auth:
        headers["Authorization"] = auth
    response = await client.post("/api/orders", data=json.dumps(body), headers=headers)
    assert response.status == status
    assert await Order.all().count() == 0
    assert await IdempotencyRecord.all().count() == 0


async def test_admin_routes_are_404_without_an_admin_token(make_client, settings):
    client = await make_client(dataclasses.replace(settings, admin_api_token=""))
    assert (await post_order(client, "k", ORDER)).status == 404
    assert (await client.get("/api/webhooks/logs", headers=admin_headers())).status == 404


async def test_webhook_log_filters_pages_and_hides_secrets(client, fake_midtrans):
    for n in range(3):
        body = json.dumps(
            {
                "event_id": f"log-{n}",
                "order_id": f"o{n}",
                "status": "pending",
                "product": "vip",
                "quantity": 1,
                "amount": 1000,
                "currency": "USD",
                "discord_user_id": str(BUYER),
            }
        )
        await client.post("/webhooks/generic", data=body, headers=generic_headers(body))
    await processed(client)
    await WebhookEvent.create(
        provider="midtrans",
        event_id="m1",
        event_type="qris.settlement",
        raw_body=json.dumps({"order_id": "x", "signature_key": "abc123", "email": "jane@ex.com"}),
    )
    unauthorised = await client.get("/api/webhooks/logs")
    assert unauthorised.status == 401
    page = await client.get(
        "/api/webhooks/logs?provider=generic&per_page=2&page=1", headers=admin_headers()
    )
    data = await page.json()
    assert data["total"] == 3 and len(data["events"]) == 2
    assert [e["event_id"] for e in data["events"]] == ["log-2", "log-1"]
    second = await (
        await client.get(
            "/api/webhooks/logs?provider=generic&per_page=2&page=2", headers=admin_headers()
        )
    ).json()
    assert [e["event_id"] for e in second["events"]] == ["log-0"]
    received = await (
        await client.get("/api/webhooks/logs?status=received", headers=admin_headers())
    ).json()
    assert [e["event_id"] for e in received["events"]] == ["m1"]
    preview = received["events"][0]["body_preview"]
    assert "abc123" not in preview and "[hidden]" in preview
    assert "jane@ex.com" not in preview and "j***@ex.com" in preview
    for query in ("status=nope", "provider=paypal", "page=0", "per_page=1000", "page=x"):
        bad = await client.get(f"/api/webhooks/logs?{query}", headers=admin_headers())
        assert bad.status == 400


async def test_health_reports_database_and_gateway(client, gateway):
    ok = await client.get("/health")
    assert ok.status == 200
    body = await ok.json()
    assert (body["status"], body["database"], body["gateway"]) == ("ok", "ok", "connected")
    gateway.ready = False
    down = await client.get("/health")
    assert down.status == 503
    assert (await down.json())["gateway"] == "disconnected"
    gateway.ready = True
    await close_database()
    no_db = await client.get("/health")
    assert no_db.status == 503
    assert (await no_db.json())["database"] == "unreachable"


async def test_unknown_routes_are_json_404(client):
    response = await client.get("/webhooks/paypal")
    assert response.status == 404
    assert "error" in await response.json()


POST_ROUTES = [
    "/webhooks/stripe",
    "/webhooks/midtrans",
    "/webhooks/ecwid",
    "/webhooks/refract",
    "/webhooks/generic",
    "/api/orders",
]


@pytest.mark.parametrize("path", POST_ROUTES)
async def test_every_route_refuses_oversized_bodies(client, settings, path):
    body = "x" * (settings.max_body_bytes + 1)
    headers = admin_headers(**{"Idempotency-Key": "big", "X-Refract-Token": "refract-token-123"})
    response = await client.post(path, data=body, headers=headers)
    assert response.status == 413
    assert await WebhookEvent.all().count() == 0
    assert await IdempotencyRecord.all().count() == 0


@pytest.mark.parametrize("path", POST_ROUTES)
async def test_every_route_is_405_for_other_methods(client, path):
    response = await client.get(path)
    assert response.status == 405
    assert "error" in await response.json()


@pytest.mark.parametrize("path", POST_ROUTES)
async def test_every_route_is_404_when_its_provider_is_not_configured(make_client, path):
    bare = settings_for(
        environ={
            name: ""
            for name in (
                "STRIPE_API_KEY",
                "MIDTRANS_SERVER_KEY",
                "ECWID_API_TOKEN",
                "REFRACT_TOKEN",
                "GENERIC_WEBHOOK_SECRET",
                "ADMIN_API_TOKEN",
            )
        }
    )
    client = await make_client(bare)
    response = await client.post(path, data="{}", headers=admin_headers())
    assert response.status == 404
    assert (await client.get("/health")).status == 200


async def test_a_product_added_in_discord_can_be_ordered_through_the_api(client):
    await Product.create(key="pass-day", name="Day pass", kind="role", price=300, currency="USD")
    response = await post_order(client, "day-1", dict(ORDER, product="pass-day", amount=300))
    assert response.status in (200, 201), await response.text()
    assert await Order.filter(product__key="pass-day").count() == 1
