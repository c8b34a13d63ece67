"""What the providers would send the bot: a signed Stripe event, a Midtrans notification."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

import aiohttp

STRIPE_API_VERSION = "2025-09-30.clover"


def stripe_event(event_type: str, obj: dict[str, Any]) -> str:
    """An event body in the shape Stripe posts to a webhook endpoint, around `obj`."""
    event = {
        "id": "evt_" + secrets.token_hex(12),
        "object": "event",
        "api_version": STRIPE_API_VERSION,
        "created": int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }
    return json.dumps(event)


def stripe_signature(body: str, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">."""
    stamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{stamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


async def post(base: str, path: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
    """POSTs `body` to the bot's webhook port; (status, answer text)."""
    timeout = aiohttp.ClientTimeout(total=10)
    async with (
        aiohttp.ClientSession(timeout=timeout) as http,
        http.post(base + path, data=body.encode(), headers=headers) as answer,
    ):
        return answer.status, await answer.text()


async def get(base: str, path: str) -> tuple[int, str]:
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as http, http.get(base + path) as answer:
        return answer.status, await answer.text()


async def post_stripe(base: str, secret: str, event_type: str, obj: dict[str, Any]) -> int:
    body = stripe_event(event_type, obj)
    headers = {
        "Stripe-Signature": stripe_signature(body, secret),
        "Content-Type": "application/json",
    }
    status, _ = await post(base, "/webhooks/stripe", body, headers)
    return status


async def post_midtrans(base: str, notification: dict[str, Any]) -> int:
    headers = {"Content-Type": "application/json"}
    status, _ = await post(base, "/webhooks/midtrans", json.dumps(notification), headers)
    return status
