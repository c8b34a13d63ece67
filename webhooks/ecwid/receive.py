"""Ecwid order webhooks: signature checked, stored, then the order re-fetched and mapped."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from models.base import OrderSource, PaymentMethod
from models.catalog.known import KnownProduct, known_products
from models.inbox.queries import StoredEvent
from models.orders.cart_lines import CART_LINES, recorded_as_one_order
from models.orders.creation import UNFULFILLABLE
from models.orders.payment_event import PaymentEvent, PaymentStatus
from settings import Settings
from webhooks.ecwid.cart import LINE_SEPARATOR, CartLine, cart_lines
from webhooks.ecwid.client import fetch_order
from webhooks.errors import BadSignature, EventIgnored, MalformedBody
from webhooks.intake import (
    SETTINGS,
    AcceptedEvent,
    decode_json_object,
    discord_id,
    optional_object,
    read_body,
    required_text,
    same_secret,
    store_and_answer,
)
from webhooks.processing import Outcome, ProviderContext

log = logging.getLogger(__name__)

PROVIDER = "ecwid"
ORDER_EVENTS = ("order.created", "order.updated")
_PAYMENT_STATUSES = {
    "PAID": PaymentStatus.PAID,
    "REFUNDED": PaymentStatus.REFUNDED,
    "CANCELLED": PaymentStatus.CANCELLED,
    "PARTIALLY_REFUNDED": PaymentStatus.PARTIALLY_REFUNDED,
    "AWAITING_PAYMENT": PaymentStatus.PENDING,
}


def expected_signature(event_created: int | str, event_id: str, client_secret: str) -> str:
    """base64 of the raw HMAC-SHA256 of f"{eventCreated}.{eventId}" keyed with the secret."""
    digest = hmac.new(
        client_secret.encode(), f"{event_created}.{event_id}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


async def receive_ecwid(request: web.Request) -> web.Response:
    """POST /webhooks/ecwid: verify X-Ecwid-Webhook-Signature, store, answer 200."""
    settings = request.app[SETTINGS]
    raw = await read_body(request)
    # The signature covers eventCreated.eventId, fields of the body itself: the body is
    # decoded first (depth-bounded, so deep JSON is a 400, not a RecursionError).
    body = decode_json_object(raw)
    event_id = required_text(body, "eventId")
    event_created = body.get("eventCreated")
    if isinstance(event_created, bool) or not isinstance(event_created, int | str):
        raise MalformedBody("body.eventCreated must be a unix timestamp")
    event_type = required_text(body, "eventType")
    header = request.headers.get("X-Ecwid-Webhook-Signature", "")
    wanted = expected_signature(event_created, event_id, settings.ecwid.client_secret)
    if not same_secret(header, wanted):
        raise BadSignature()
    if event_type in ORDER_EVENTS:
        ecwid_order_id(body)  # the order id must be there for the re-fetch; else 400
    return await store_and_answer(
        request, AcceptedEvent(PROVIDER, event_id, event_type, raw.decode())
    )


def ecwid_order_id(body: dict[str, Any]) -> str:
    """data.orderId (current docs), else entityId (older docs: the order number)."""
    data = optional_object(body, "data")
    order_id = data.get("orderId")
    if order_id in (None, ""):
        order_id = body.get("entityId")
    if isinstance(order_id, bool) or not isinstance(order_id, int | str) or order_id == "":
        raise MalformedBody("order webhook without data.orderId or entityId")
    text = str(order_id)
    if not text.replace("-", "").replace("_", "").isalnum() or len(text) > 64:
        raise MalformedBody("order id has unexpected characters")
    return text


async def process_ecwid(event: StoredEvent, context: ProviderContext) -> list[Outcome]:
    """Re-fetches the order named by the webhook and maps what Ecwid says now, line by line."""
    body = decode_json_object(event.raw_body.encode())
    if event.event_type not in ORDER_EVENTS:
        raise EventIgnored(f"ecwid {event.event_type} is not an order event")
    settings = context.settings
    if str(body.get("storeId", settings.ecwid.store_id)) != settings.ecwid.store_id:
        raise EventIgnored("webhook for another Ecwid store")
    order_id = ecwid_order_id(body)
    order = await fetch_order(settings, context.http, order_id)
    if order is None:
        raise EventIgnored(f"ecwid has no order {order_id}")
    events = cart_events(
        order,
        settings,
        await known_products(),
        reference=event.event_id,
        cause=event.event_type,
    )
    if len(events) > 1 and await recorded_as_one_order(events[0].external_id or ""):
        # Recorded before carts were split: its one order is all the shop has sold of it, so
        # the payment status reaches that order and no line order is made up afterwards.
        return events[:1]
    return events


def cart_events(
    order: dict[str, Any],
    settings: Settings,
    catalog: Mapping[str, KnownProduct],
    *,
    reference: str,
    cause: str,
) -> list[PaymentEvent]:
    """Maps a fetched Ecwid order to one payment event per cart line (webhooks/ecwid/cart.py)."""
    payment_status = str(order.get("paymentStatus") or "")
    target = _PAYMENT_STATUSES.get(payment_status)
    if target is None:
        raise EventIgnored(f"ecwid payment status {payment_status or 'missing'} asks nothing")
    external_id = str(order.get("id") or order.get("orderNumber") or "")
    if not external_id:
        raise EventIgnored("ecwid order without an id")
    if LINE_SEPARATOR in external_id or len(external_id) > 160:
        raise EventIgnored("ecwid order id the shop cannot number lines of")
    lines = cart_lines(order, external_id, settings, catalog)
    user, raw_user = _discord_user(order, settings.ecwid.discord_field)
    shared: dict[str, Any] = {
        "ecwid_order_id": external_id,
        "payment_status": payment_status,
        "fulfillment_status": str(order.get("fulfillmentStatus") or ""),
        CART_LINES: len(lines),
    }
    if unfulfilled := [line.sku or f"line {line.position}" for line in lines if line.problem]:
        shared["unfulfilled_skus"] = unfulfilled
    if raw_user and user is None:
        shared["discord_field_invalid"] = True
    email = order.get("email") if isinstance(order.get("email"), str) else None
    return [
        PaymentEvent(
            source=OrderSource.ECWID,
            status=target,
            cause=f"ecwid:{cause}",
            reference=reference,
            external_id=line.external_id,
            discord_user_id=user,
            product_key=line.product_key,
            quantity=line.quantity,
            amount=line.amount,
            currency=line.currency,
            email=email,
            product_name=line.name,
            payment_method=PaymentMethod.EXTERNAL,
            details=_line_details(shared, line, external_id),
        )
        for line in lines
    ]


def _line_details(shared: dict[str, Any], line: CartLine, ecwid_id: str) -> dict[str, Any]:
    details = {**shared, "cart_line": line.position}
    if line.problem:
        details[UNFULFILLABLE] = (
            f"Ecwid order {ecwid_id}, line {line.position} of {shared[CART_LINES]}: "
            f"{line.problem}, so the shop does not deliver it. Map the SKU in "
            "[providers.ecwid.product_map] (the order's next update then fulfils it) "
            "or fulfil it by hand."
        )
    return details


def _discord_user(order: dict[str, Any], field_title: str) -> tuple[int | None, str]:
    """The Discord id typed into the checkout field titled `field_title` (either JSON shape)."""
    raw = ""
    for extra in order.get("orderExtraFields") or []:
        if isinstance(extra, dict) and field_title.lower() in (
            str(extra.get("title", "")).strip().lower(),
            str(extra.get("id", "")).strip().lower(),
        ):
            raw = str(extra.get("value") or "").strip()
            break
    if not raw:
        fields = order.get("extraFields")
        if isinstance(fields, dict):
            wanted = field_title.lower()
            raw = next(
                (str(v).strip() for k, v in fields.items() if str(k).strip().lower() == wanted),
                "",
            )
    if not raw:
        return None, ""
    try:
        return discord_id(raw.lstrip("@<!").rstrip(">"), "discord field"), raw
    except MalformedBody:
        return None, raw
