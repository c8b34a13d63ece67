"""Builders for signed provider requests and small waits shared by the webhook tests."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

import stripe
from aiohttp.test_utils import TestClient

from settings import ROOT
from webhooks.app import INBOX_WORKER
from webhooks.generic import sign_generic

STRIPE_KEY = "sk_test_stockroom"
STRIPE_SECRET = "whsec_test_stockroom"
MIDTRANS_KEY = "SB-Mid-server-test"
ECWID_TOKEN = "secret_test_token"
ECWID_SECRET = "ecwid-client-secret"
ECWID_STORE = "1003"
REFRACT_TOKEN = "refract-token-123"
GENERIC_SECRET = "generic-secret-456"
ADMIN_TOKEN = "admin-token-789"
BUYER = 223456789012345678
FIXTURES = ROOT.parent / "shared" / "data" / "stripe-fixtures3.json"


async def processed(client: TestClient) -> None:
    """Waits until the inbox worker has processed everything stored so far."""
    await client.app[INBOX_WORKER].idle()


def stripe_event(
    fixtures: dict[str, Any],
    event_type: str,
    obj: dict[str, Any],
    *,
    event_id: str,
    created: int | None = None,
) -> str:
    """A Stripe event body built on Stripe's own event fixture, around `obj`."""
    event = copy.deepcopy(fixtures["event"])
    event.update(id=event_id, type=event_type, created=created or int(time.time()))
    event["data"] = {"object": obj}
    return json.dumps(event)


def stripe_headers(body: str, *, secret: str = "", timestamp: int | None = None) -> dict[str, str]:
    header = stripe.WebhookSignature.generate_signature_header(
        body, secret or STRIPE_SECRET, timestamp=timestamp
    )
    return {"Stripe-Signature": header, "Content-Type": "application/json"}


def checkout_session(
    fixtures: dict[str, Any], *, order_id: int | None, payment_status: str = "paid", **fields: Any
) -> dict[str, Any]:
    """Stripe's checkout.session fixture as the shop's checkout would be when paid."""
    session = copy.deepcopy(fixtures["checkout.session"])
    metadata = {"kind": "order", "discord_user_id": str(BUYER)}
    if order_id is not None:
        metadata["order_id"] = str(order_id)
    session.update(
        metadata=metadata,
        client_reference_id=str(order_id) if order_id is not None else None,
        payment_status=payment_status,
        status="complete",
        amount_total=500,
        amount_subtotal=500,
        currency="usd",
    )
    session.update(fields)
    return session


def generic_headers(body: str, *, secret: str = "", timestamp: int | None = None) -> dict[str, str]:
    return {
        "X-Signature": sign_generic(body, secret or GENERIC_SECRET, timestamp),
        "Content-Type": "application/json",
    }


def admin_headers(**extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}", **extra}


def generic_paid(number: int, product: str = "vip") -> str:
    """A generic webhook body: order ext-<number> paid by its own buyer (the inbox tests)."""
    return json.dumps(
        {
            "event_id": f"evt-{number}",
            "order_id": f"ext-{number}",
            "status": "paid",
            "discord_user_id": str(10**17 + number),
            "product": product,
            "quantity": 1,
            "amount": 1000,
            "currency": "USD",
        }
    )
