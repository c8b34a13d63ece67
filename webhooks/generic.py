"""The generic signed JSON webhook: X-Signature t=…,v1=… over "t.body", then a payment event.

The first event of an order must say what was bought (product, quantity, amount, currency
and the buyer); later events may be minimal (event_id, order_id, status). Whether an event
is the first is decided before anything is stored: a minimal event for an order id the shop
has no order for is a 422 naming the missing fields, and the sender retries it.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
from typing import Any

from aiohttp import web

from models.base import OrderSource, PaymentMethod
from models.catalog.known import is_known_product
from models.inbox.queries import StoredEvent, stored_bodies_containing
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.tables import Order
from webhooks.errors import BadSignature, MalformedBody, Refused
from webhooks.intake import (
    SETTINGS,
    AcceptedEvent,
    decode_json_object,
    decode_text,
    hmac_sha256_hex,
    parse_json_object,
    read_body,
    required_text,
    store_and_answer,
)
from webhooks.order_fields import (
    FirstEventIncomplete,
    OrderFields,
    missing_for_new_order,
    order_fields,
)
from webhooks.processing import Outcome, ProviderContext

log = logging.getLogger(__name__)

PROVIDER = "generic"
TOLERANCE_SECONDS = 300
STATUSES = {
    s.value: s
    for s in (
        PaymentStatus.PENDING,
        PaymentStatus.PAID,
        PaymentStatus.FAILED,
        PaymentStatus.EXPIRED,
        PaymentStatus.CANCELLED,
        PaymentStatus.REFUNDED,
        PaymentStatus.DISPUTED,
    )
}
# Inbox rows naming an order id read to find its first event (they are few: one per event).
FIRST_EVENT_SCAN = 200
_ID = re.compile(r"^[\x21-\x7e]{1,191}$")


def sign_generic(body: bytes | str, secret: str, timestamp: int | None = None) -> str:
    """The X-Signature header for a body: what senders compute (and tests use)."""
    text = body.decode() if isinstance(body, bytes) else body
    ts = int(time.time()) if timestamp is None else timestamp
    return f"t={ts},v1={hmac_sha256_hex(secret, f'{ts}.{text}')}"


def verify_generic_signature(
    header: str | None, body: str, secret: str, *, now: float | None = None
) -> None:
    """Raises BadSignature unless one v1 matches HMAC-SHA256("t.body") within the tolerance."""
    if not header:
        raise BadSignature("X-Signature header missing")
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isascii() and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif key == "v1" and value.strip().isascii():
            # Odd header bytes arrive as lone surrogates: never a hex digest, never compared.
            candidates.append(value.strip().lower())
    if timestamp is None or not candidates:
        raise BadSignature("X-Signature must be t=<unix>,v1=<hex>")
    current = time.time() if now is None else now
    if abs(current - timestamp) > TOLERANCE_SECONDS:
        raise BadSignature("X-Signature timestamp outside the 300 s tolerance")
    wanted = hmac_sha256_hex(secret, f"{timestamp}.{body}").encode()
    if not any(hmac.compare_digest(c.encode(), wanted) for c in candidates):
        raise BadSignature()


async def receive_generic(request: web.Request) -> web.Response:
    """POST /webhooks/generic: verify, validate the JSON, store, answer 200."""
    settings = request.app[SETTINGS]
    raw = await read_body(request)
    text = decode_text(raw)
    verify_generic_signature(request.headers.get("X-Signature"), text, settings.generic_secret)
    # One parse, one validation pass (the payment event is built when the row is processed).
    event_id, order_id, status, fields = _checked(parse_json_object(text))
    if fields.product is not None and not await is_known_product(fields.product):
        raise MalformedBody("body.product is not a product key of this shop")
    await require_known_or_complete(order_id, fields)
    return await store_and_answer(
        request, AcceptedEvent(PROVIDER, event_id, f"order.{status}", text)
    )


async def require_known_or_complete(order_id: str, fields: OrderFields) -> None:
    """FirstEventIncomplete (422) when the body lacks order fields and the order is not known.

    Known means an order exists, or a complete first event for it is already in the inbox
    (received, not processed yet: a sender posting its events back to back is not refused).
    The order is looked up first: processing creates it before marking its event processed.
    """
    missing = missing_for_new_order(fields)
    if not missing:
        return
    if await Order.exists(source=OrderSource.GENERIC, external_id=order_id):
        return
    if await _first_event_stored(order_id):
        return
    raise FirstEventIncomplete(order_id, missing)


async def _first_event_stored(order_id: str) -> bool:
    """Whether the inbox holds a complete first event for `order_id` (stored, not failed)."""
    # The id as JSON writes it (a\"b for a"b); an odder escaping is missed: 422, retried.
    needle = json.dumps(order_id)[1:-1]
    bodies = await stored_bodies_containing(PROVIDER, needle, FIRST_EVENT_SCAN)
    for raw in bodies:
        try:
            body = json.loads(raw)
            if _identifier(body, "order_id") != order_id:
                continue
            if not missing_for_new_order(order_fields(body)):
                return True
        except (ValueError, Refused):
            continue
    return False


async def process_generic(event: StoredEvent, context: ProviderContext) -> list[Outcome]:
    return [generic_event(decode_json_object(event.raw_body.encode()))]


def generic_event(body: dict[str, Any]) -> PaymentEvent:
    """Validates the SPEC §6 JSON and maps it to a payment event (source generic)."""
    event_id, order_id, status, fields = _checked(body)
    return PaymentEvent(
        source=OrderSource.GENERIC,
        status=status,
        cause=f"generic:{status.value}",
        reference=event_id,
        external_id=order_id,
        discord_user_id=fields.discord_user_id,
        product_key=fields.product,
        quantity=fields.quantity,
        amount=fields.amount,
        currency=fields.currency,
        email=fields.email,
        payment_method=PaymentMethod.EXTERNAL,
    )


def _checked(body: dict[str, Any]) -> tuple[str, str, PaymentStatus, OrderFields]:
    """The SPEC §6 checks of a body: (event_id, order_id, status, order fields), or a 4xx."""
    event_id = _identifier(body, "event_id")
    order_id = _identifier(body, "order_id")
    status_text = required_text(body, "status")
    if status_text not in STATUSES:
        raise MalformedBody(f"body.status must be one of {', '.join(STATUSES)}")
    return event_id, order_id, STATUSES[status_text], order_fields(body)


def _identifier(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _ID.match(value):
        raise MalformedBody(f"body.{key} is required: 1 to 191 visible characters")
    return value
