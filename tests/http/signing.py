"""Correct credentials for each route, so fuzzed requests reach past the signature checks."""

from __future__ import annotations

import json
import secrets
from typing import Any

import stripe

from demo.fakes.ecwid_api import sign_ecwid
from demo.fakes.midtrans_api import sign_notification
from tests.webhooks.helpers import (
    ADMIN_TOKEN,
    ECWID_SECRET,
    GENERIC_SECRET,
    MIDTRANS_KEY,
    REFRACT_TOKEN,
    STRIPE_SECRET,
)
from webhooks.generic import sign_generic

Headers = list[tuple[bytes, bytes]]


def signed_headers(path: str, body: bytes) -> Headers:
    """The headers that authenticate `body` on `path` (the body itself for Midtrans/Ecwid)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = "not UTF-8, so it cannot be signed"
    if path == "/webhooks/generic":
        return [(b"X-Signature", sign_generic(text, GENERIC_SECRET).encode())]
    if path == "/webhooks/stripe":
        header = stripe.WebhookSignature.generate_signature_header(text, STRIPE_SECRET)
        return [(b"Stripe-Signature", header.encode())]
    if path == "/webhooks/refract":
        return [(b"X-Refract-Token", REFRACT_TOKEN.encode())]
    if path == "/webhooks/ecwid":
        return [(b"X-Ecwid-Webhook-Signature", _ecwid_signature(body).encode())]
    if path in ("/api/orders", "/api/webhooks/logs"):
        key = f"fuzz-{secrets.token_hex(8)}".encode()
        return [(b"Authorization", f"Bearer {ADMIN_TOKEN}".encode()), (b"Idempotency-Key", key)]
    return []


def _ecwid_signature(body: bytes) -> str:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return "not-signable"
    if not isinstance(data, dict):
        return "not-signable"
    return sign_ecwid(data.get("eventCreated"), str(data.get("eventId")), ECWID_SECRET)


def midtrans_signed(note: dict[str, Any]) -> dict[str, Any]:
    """A notification with its signature_key computed over whatever its fields say."""
    parts = [str(note.get(k, "")) for k in ("order_id", "status_code", "gross_amount")]
    return {**note, "signature_key": sign_notification(*parts, MIDTRANS_KEY)}
