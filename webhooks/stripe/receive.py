"""Stripe webhooks: verified with the stripe library, mapped to payment events and top-ups."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

import stripe
from aiohttp import web

from models.base import OrderSource, PaymentMethod
from models.inbox.queries import StoredEvent
from models.orders.payment_event import PaymentEvent, PaymentStatus
from webhooks.errors import BadSignature, EventIgnored, MalformedBody
from webhooks.intake import (
    SETTINGS,
    AcceptedEvent,
    discord_id,
    optional_int,
    optional_object,
    optional_text,
    parse_json_object,
    read_body,
    required_text,
    store_and_answer,
)
from webhooks.processing import Outcome, ProviderContext, WalletTopUp
from webhooks.stripe.checkout import KIND_TOPUP
from webhooks.stripe.subscription_events import (
    INVOICE_EVENTS,
    SUBSCRIPTION_EVENTS,
    invoice_fact,
    started_fact,
    subscription_fact,
)

log = logging.getLogger(__name__)

PROVIDER = "stripe"
TOLERANCE_SECONDS = 300
# The last second of 9999: the largest unix time a datetime holds, far past any real event.
LATEST_CREATED = 253_402_300_799
_SESSION_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}
_PAID = {"paid", "no_payment_required"}


async def receive_stripe(request: web.Request) -> web.Response:
    """POST /webhooks/stripe: verify the Stripe-Signature, check the shape, store, answer 200."""
    settings = request.app[SETTINGS]
    body = await read_body(request)
    header = request.headers.get("Stripe-Signature")
    if not header:
        raise BadSignature("Stripe-Signature header missing")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        # Stripe signs UTF-8 text: bytes that are not cannot carry a valid signature.
        raise BadSignature() from None
    verify_stripe_signature(header, text, settings.stripe.webhook_secret)
    payload = _event_object(text)
    try:
        parse_stripe_event(payload)
    except EventIgnored:
        pass  # genuine but irrelevant: stored, then marked ignored by the processor
    return await store_and_answer(
        request,
        AcceptedEvent(PROVIDER, payload["id"], payload["type"], text),
    )


def verify_stripe_signature(
    header: str, text: str, secret: str, *, now: float | None = None
) -> None:
    """Raises BadSignature unless the header verifies and its t is within 300 s either way.

    The stripe library's verify_header does the HMAC and the past half of the tolerance;
    it lets any future timestamp through and raises TypeError on a non-ASCII header, so
    both are checked here first.
    """
    if not header.isascii():
        raise BadSignature("Stripe-Signature must be t=<unix>,v1=<hex>")
    signed_at = _signed_at(header)
    if signed_at is None:
        raise BadSignature("Stripe-Signature must be t=<unix>,v1=<hex>")
    current = time.time() if now is None else now
    if abs(current - signed_at) > TOLERANCE_SECONDS:
        raise BadSignature("Stripe-Signature timestamp outside the 300 s tolerance")
    try:
        stripe.WebhookSignature.verify_header(text, header, secret, tolerance=TOLERANCE_SECONDS)
    except stripe.SignatureVerificationError:
        raise BadSignature() from None


def _signed_at(header: str) -> int | None:
    """The t of the header, read as the stripe library reads it (the first t= item)."""
    for item in header.split(","):
        key, _, value = item.partition("=")
        if key == "t":
            value = value.strip()
            return int(value) if value.isdigit() and len(value) <= 12 else None
    return None


def _event_object(text: str) -> dict[str, Any]:
    # Not stripe.Webhook.construct_event: it raises AttributeError on signed JSON that is
    # not an object (found by the hypothesis test), and it has no depth bound.
    payload = parse_json_object(text)
    required_text(payload, "id")
    required_text(payload, "type")
    data = optional_object(payload, "data")
    if not isinstance(data.get("object"), dict):
        raise MalformedBody("data.object must be an object")
    return payload


async def process_stripe(event: StoredEvent, context: ProviderContext) -> list[Outcome]:
    """Re-reads a stored Stripe event into what the shop must do."""
    return parse_stripe_event(_event_object(event.raw_body))


def parse_stripe_event(payload: dict[str, Any]) -> list[Outcome]:
    """Maps a Stripe event to payment events / top-ups; EventIgnored when it asks nothing."""
    event_id: str = payload["id"]
    event_type: str = payload["type"]
    obj: dict[str, Any] = payload["data"]["object"]
    occurred = _occurred_at(payload)
    if event_type in _SESSION_EVENTS:
        return _session_outcomes(event_id, event_type, obj, occurred)
    if event_type in INVOICE_EVENTS:
        return [invoice_fact(event_id, event_type, obj, occurred)]
    if event_type in SUBSCRIPTION_EVENTS:
        return [subscription_fact(event_id, event_type, obj, occurred)]
    if event_type == "charge.refunded":
        return [_refund_event(event_id, obj, occurred)]
    if event_type in ("charge.dispute.created", "charge.dispute.closed"):
        return [_dispute_event(event_id, event_type, obj, occurred)]
    raise EventIgnored(f"stripe event type {event_type} is not used by the shop")


def _occurred_at(payload: dict[str, Any]) -> datetime:
    """When the event happened: `created`, a unix time Stripe sets (now when absent)."""
    created = optional_int(payload, "created")
    if created is None:
        return datetime.now(UTC)
    if not 0 < created <= LATEST_CREATED:
        raise MalformedBody("created must be a unix timestamp")
    return datetime.fromtimestamp(created, UTC)


def _session_outcomes(
    event_id: str, event_type: str, session: dict[str, Any], occurred: datetime
) -> list[Outcome]:
    session_id = required_text(session, "id", "data.object")
    metadata = optional_object(session, "metadata", "data.object")
    payment_status = optional_text(session, "payment_status", "data.object") or ""
    amount = optional_int(session, "amount_total", "data.object")
    currency = (optional_text(session, "currency", "data.object") or "").upper() or None
    payment_intent = _id_of(session.get("payment_intent"), "data.object.payment_intent")
    paid_event = event_type in (
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
    )
    if metadata.get("kind") == KIND_TOPUP:
        if not paid_event or payment_status not in _PAID:
            raise EventIgnored(f"top-up session {event_type} ({payment_status or 'no status'})")
        user = discord_id(metadata.get("discord_user_id"), "metadata.discord_user_id")
        if user is None or amount is None or currency is None:
            raise MalformedBody("top-up session without discord_user_id, amount or currency")
        return [
            WalletTopUp(
                discord_user_id=user,
                amount=amount,
                currency=currency,
                reference=f"stripe:{session_id}",
                note="Stripe top-up",
                payment_ref=payment_intent,
            )
        ]
    order_text = optional_text(metadata, "order_id", "metadata") or optional_text(
        session, "client_reference_id", "data.object"
    )
    order_id = _our_order_id(order_text)
    if order_id is None:
        raise EventIgnored("checkout session not created by the shop (no order id of ours)")
    if paid_event:
        # A delayed method (bank debit) completes the session unpaid; the later
        # async_payment_succeeded is the payment. Until then the order stays pending.
        status = PaymentStatus.PAID if payment_status in _PAID else PaymentStatus.PENDING
    elif event_type == "checkout.session.async_payment_failed":
        status = PaymentStatus.FAILED
    else:
        status = PaymentStatus.EXPIRED
    customer = optional_object(session, "customer_details", "data.object")
    outcomes: list[Outcome] = [
        PaymentEvent(
            source=OrderSource.STRIPE,
            status=status,
            cause=f"stripe:{event_type}",
            reference=event_id,
            order_id=order_id,
            occurred_at=occurred,
            amount=amount,
            currency=currency,
            email=optional_text(customer, "email", "customer_details"),
            payment_method=PaymentMethod.STRIPE,
            payment_ref=payment_intent,
            checkout_id=session_id,
            details={"payment_status": payment_status},
        )
    ]
    if status is PaymentStatus.PAID and session.get("mode") == "subscription":
        started = started_fact(event_id, session, order_id, occurred)
        if started is not None:
            outcomes.append(started)
    return outcomes


def _refund_event(event_id: str, charge: dict[str, Any], occurred: datetime) -> PaymentEvent:
    payment_intent = _id_of(charge.get("payment_intent"), "data.object.payment_intent")
    metadata = optional_object(charge, "metadata", "data.object")
    order_id = _order_id(metadata)
    if payment_intent is None and order_id is None:
        raise EventIgnored("refunded charge has no payment intent: not a checkout payment")
    refunded_amount = optional_int(charge, "amount_refunded", "data.object") or 0
    full = charge.get("refunded") is True
    return PaymentEvent(
        source=OrderSource.STRIPE,
        status=PaymentStatus.REFUNDED if full else PaymentStatus.PARTIALLY_REFUNDED,
        cause="stripe:charge.refunded",
        reference=event_id,
        order_id=order_id,
        occurred_at=occurred,
        refund_amount=refunded_amount,
        currency=(optional_text(charge, "currency", "data.object") or "").upper() or None,
        payment_method=PaymentMethod.STRIPE,
        payment_ref=payment_intent,
        details={"charge": optional_text(charge, "id", "data.object")},
    )


def _dispute_event(
    event_id: str, event_type: str, dispute: dict[str, Any], occurred: datetime
) -> PaymentEvent:
    payment_intent = _id_of(dispute.get("payment_intent"), "data.object.payment_intent")
    if payment_intent is None:
        raise EventIgnored("dispute has no payment intent: not a checkout payment")
    dispute_status = optional_text(dispute, "status", "data.object") or ""
    if event_type == "charge.dispute.created":
        status = PaymentStatus.DISPUTED
    elif dispute_status == "lost":
        status = PaymentStatus.DISPUTE_LOST
    elif dispute_status in ("won", "warning_closed"):
        # warning_closed: an inquiry closed without becoming a chargeback.
        status = PaymentStatus.DISPUTE_WON
    else:
        raise EventIgnored(f"dispute closed with status {dispute_status or 'unknown'}")
    return PaymentEvent(
        source=OrderSource.STRIPE,
        status=status,
        cause=f"stripe:{event_type}",
        reference=event_id,
        order_id=_order_id(optional_object(dispute, "metadata", "data.object")),
        occurred_at=occurred,
        payment_method=PaymentMethod.STRIPE,
        payment_ref=payment_intent,
        details={"dispute": optional_text(dispute, "id", "data.object"), "status": dispute_status},
    )


def _id_of(value: Any, where: str) -> str | None:
    """An expandable Stripe field: an id string, an expanded object with an id, or null."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    raise MalformedBody(f"{where} must be an id or an object with an id")


def _order_id(metadata: dict[str, Any]) -> int | None:
    value = metadata.get("order_id")
    return _our_order_id(value if isinstance(value, str) else None)


def _our_order_id(text: str | None) -> int | None:
    """An order id the shop could have made: ASCII digits within a signed 64-bit column."""
    if not text or len(text) > 18 or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
