"""The admin HTTP API: idempotent POST /api/orders and the webhook log, behind ADMIN_API_TOKEN."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from typing import Any

from aiohttp import web

from models.base import InboxStatus, OrderSource, PaymentMethod
from models.catalog.known import is_known_product
from models.errors import ShopError
from models.inbox.idempotency import (
    ClaimState,
    claim_idempotency_key,
    release_idempotency_key,
    save_idempotent_response,
)
from models.inbox.queries import list_webhook_events
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from webhooks.errors import MalformedBody, Refused
from webhooks.intake import (
    SETTINGS,
    bearer_token,
    decode_json_object,
    optional_text,
    read_body,
    same_secret,
)
from webhooks.order_fields import order_fields

log = logging.getLogger(__name__)

PROVIDERS = ("stripe", "midtrans", "ecwid", "refract", "generic")
_KEY = re.compile(r"^[\x21-\x7e]{1,150}$")
# How long a request waits for a concurrent request with the same key before answering 409.
IN_PROGRESS_WAIT_SECONDS = 5.0
_POLL_SECONDS = 0.05


def require_admin(request: web.Request) -> None:
    if not same_secret(bearer_token(request), request.app[SETTINGS].admin_api_token):
        raise Refused(401, "admin token missing or wrong")


def api_order_event(body: dict[str, Any], idempotency_key: str) -> PaymentEvent:
    """Validates a POST /api/orders body and maps it to a payment event (source api).

    Body: {"discord_user_id", "product", "quantity"?, "amount"?, "currency"?, "email"?,
    "status"? ("paid" default, or "pending"), "order_id"? (the caller's id; default: the key)}.
    """
    fields = order_fields(body)
    if fields.discord_user_id is None:
        raise MalformedBody("body.discord_user_id is required")
    if fields.product is None:
        raise MalformedBody("body.product is required")
    status = optional_text(body, "status") or "paid"
    if status not in ("paid", "pending"):
        raise MalformedBody("body.status must be paid or pending")
    order_ref = optional_text(body, "order_id") or f"key:{idempotency_key}"
    if len(order_ref) > 191:
        raise MalformedBody("body.order_id must be at most 191 characters")
    return PaymentEvent(
        source=OrderSource.API,
        status=PaymentStatus(status),
        cause="api:create",
        reference=f"idempotency:{idempotency_key}",
        external_id=order_ref,
        discord_user_id=fields.discord_user_id,
        product_key=fields.product,
        quantity=fields.quantity or 1,
        amount=fields.amount,
        currency=fields.currency,
        email=fields.email,
        payment_method=PaymentMethod.MANUAL,
    )


def _request_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def create_api_order(request: web.Request) -> web.Response:
    """POST /api/orders: one order per Idempotency-Key; repeats get the stored response."""
    require_admin(request)
    key = request.headers.get("Idempotency-Key", "").strip()
    if not _KEY.match(key):
        raise Refused(400, "Idempotency-Key header required (1 to 150 visible characters)")
    body = decode_json_object(await read_body(request))
    event = api_order_event(body, key)
    if not await is_known_product(event.product_key or ""):
        raise Refused(422, "body.product is not a product key of this shop")
    request_hash = _request_hash(body)
    claim = await claim_idempotency_key(key, request_hash)
    waited = 0.0
    while claim.state == ClaimState.IN_PROGRESS and waited < IN_PROGRESS_WAIT_SECONDS:
        await asyncio.sleep(_POLL_SECONDS)
        waited += _POLL_SECONDS
        claim = await claim_idempotency_key(key, request_hash)
    if claim.state == ClaimState.MISMATCH:
        raise Refused(422, "Idempotency-Key was already used with a different request body")
    if claim.state == ClaimState.IN_PROGRESS:
        return web.json_response(
            {"error": "a request with this Idempotency-Key is still running; retry"},
            status=409,
            headers={"Retry-After": "1"},
        )
    if claim.state == ClaimState.REPLAY:
        return web.json_response(
            claim.response_body,
            status=claim.response_status or 200,
            headers={"Idempotent-Replayed": "true"},
        )
    status, answer = await _create_order(key, event)
    return web.json_response(answer, status=status)


async def _create_order(key: str, event: PaymentEvent) -> tuple[int, dict[str, Any]]:

    try:
        result = await apply_payment_event(event)
    except ShopError as exc:
        status, answer = 422, {"error": exc.message}
    except BaseException:
        await release_idempotency_key(key)
        raise
    else:
        status = 201 if result.created else 200
        answer = {
            "order_id": result.order_id,
            "order_number": result.order_number,
            "status": str(result.status),
            "created": result.created,
        }
    await save_idempotent_response(key, status, answer)
    return status, answer


def _page_param(request: web.Request, name: str, default: int, high: int) -> int:
    value = request.query.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= high:
        raise Refused(400, f"{name} must be a whole number from 1 to {high}")
    return int(value)


async def webhook_logs(request: web.Request) -> web.Response:
    """GET /api/webhooks/logs?provider=&status=&page=&per_page=: the inbox, newest first."""
    require_admin(request)
    provider = request.query.get("provider") or None
    if provider is not None and provider not in PROVIDERS:
        raise Refused(400, f"provider must be one of {', '.join(PROVIDERS)}")
    status = request.query.get("status") or None
    if status is not None and status not in {s.value for s in InboxStatus}:
        raise Refused(400, f"status must be one of {', '.join(s.value for s in InboxStatus)}")
    page = _page_param(request, "page", 1, 100000)
    per_page = _page_param(request, "per_page", 50, 200)
    events, total = await list_webhook_events(
        provider=provider, status=status, page=page, per_page=per_page
    )
    return web.json_response({"events": events, "page": page, "per_page": per_page, "total": total})
