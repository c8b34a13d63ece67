"""Midtrans QRIS: Core API charges, the QR image, and notifications confirmed by GET status."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any

import aiohttp
import segno
from aiohttp import web

from models.base import OrderSource, PaymentMethod
from models.inbox.actions import StoredEvent
from models.money import exponent, parse_money
from models.orders.payment_event import PaymentEvent, PaymentStatus
from settings import Settings
from webhooks.intake import (
    SETTINGS,
    AcceptedEvent,
    BadSignature,
    MalformedBody,
    decode_json_object,
    optional_text,
    read_body,
    required_text,
    store_and_answer,
)
from webhooks.processing import (
    EventIgnored,
    Outcome,
    ProviderContext,
    ProviderRefused,
    ProviderUnavailable,
    WalletTopUp,
)

log = logging.getLogger(__name__)

PROVIDER = "midtrans"
# Our Midtrans order ids: "order-<our order id>-<order number>" or "topup-<discord id>-<token>".
_ORDER_REF = re.compile(r"^order-(\d{1,18})-[A-Za-z0-9_-]{1,32}$")
_TOPUP_REF = re.compile(r"^topup-(\d{7,20})-[0-9a-f]{12}$")
_STATUSES = {
    "settlement": PaymentStatus.PAID,
    "pending": PaymentStatus.PENDING,
    "expire": PaymentStatus.EXPIRED,
    "cancel": PaymentStatus.CANCELLED,
    "deny": PaymentStatus.FAILED,
    "failure": PaymentStatus.FAILED,
    "refund": PaymentStatus.REFUNDED,
    "partial_refund": PaymentStatus.PARTIALLY_REFUNDED,
    "chargeback": PaymentStatus.DISPUTED,
    "partial_chargeback": PaymentStatus.DISPUTED,
}


@dataclass(frozen=True)
class QrisCharge:
    """A created QRIS charge: show `qr_png` (or `qr_url`) to the buyer."""

    order_ref: str
    transaction_id: str
    qr_string: str
    qr_url: str | None
    qr_png: bytes


def order_ref_for(order_id: int, order_number: str) -> str:
    """The Midtrans order_id used for one of our orders (at most 50 characters)."""
    return f"order-{order_id}-{order_number}"


def new_topup_ref(discord_user_id: int) -> str:
    """A fresh Midtrans order_id for a wallet top-up by this Discord user."""
    return f"topup-{discord_user_id}-{secrets.token_hex(6)}"


def _auth_header(settings: Settings) -> dict[str, str]:
    token = base64.b64encode(f"{settings.midtrans.server_key}:".encode()).decode()
    return {"Authorization": f"Basic {token}", "Accept": "application/json"}


def render_qr_png(qr_string: str, scale: int = 8) -> bytes:
    """The QRIS payload as a PNG image the customer scans."""
    buffer = io.BytesIO()
    segno.make(qr_string, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def gross_amount_for(amount: int, currency: str) -> int:
    """Midtrans takes whole units of IDR; our amounts are minor units (ISO exponent)."""
    whole, rest = divmod(amount, 10 ** exponent(currency))
    if rest:
        raise ValueError(f"{amount} minor units of {currency} is not a whole amount")
    return whole


async def create_qris_charge(
    settings: Settings,
    http: aiohttp.ClientSession,
    *,
    order_ref: str,
    amount: int,
    currency: str | None = None,
    notification_url: str | None = None,
) -> QrisCharge:
    """POST /v2/charge with payment_type qris; `amount` in minor units of the Midtrans currency.

    Pass the order's `currency`: QRIS settles in settings.midtrans.currency only, and an
    amount in another currency is refused rather than charged as the wrong sum.
    """
    if currency is not None and currency.upper() != settings.midtrans.currency.upper():
        raise ProviderRefused(
            f"QRIS takes {settings.midtrans.currency} only, this amount is in {currency}"
        )
    try:
        gross_amount = gross_amount_for(amount, settings.midtrans.currency)
    except ValueError as exc:
        raise ProviderRefused(str(exc)) from None
    body = {
        "payment_type": "qris",
        "transaction_details": {"order_id": order_ref, "gross_amount": gross_amount},
        "custom_expiry": {"expiry_duration": settings.order_expiry_minutes, "unit": "minute"},
    }
    headers = _auth_header(settings)
    if notification_url:
        headers["X-Override-Notification"] = notification_url
    url = f"{settings.midtrans.api_base}/v2/charge"
    try:
        async with http.post(url, json=body, headers=headers) as response:
            payload = await response.json(content_type=None)
            status = response.status
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise ProviderUnavailable(f"midtrans charge: {type(exc).__name__}") from exc
    if status >= 500:
        raise ProviderUnavailable(f"midtrans charge answered {status}")
    if not isinstance(payload, dict) or str(payload.get("status_code")) != "201":
        code = payload.get("status_code") if isinstance(payload, dict) else None
        raise ProviderRefused(f"midtrans refused the charge (HTTP {status}, status_code {code})")
    qr_string = payload.get("qr_string")
    if not isinstance(qr_string, str) or not qr_string:
        raise ProviderRefused("midtrans charge has no qr_string")
    qr_url = next(
        (
            a.get("url")
            for a in payload.get("actions") or []
            if isinstance(a, dict) and a.get("name") == "generate-qr-code"
        ),
        None,
    )
    return QrisCharge(
        order_ref=order_ref,
        transaction_id=str(payload.get("transaction_id", "")),
        qr_string=qr_string,
        qr_url=qr_url,
        qr_png=render_qr_png(qr_string),
    )


def expected_signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """SHA-512 hex of order_id + status_code + gross_amount + server key, exact strings."""
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


async def receive_midtrans(request: web.Request) -> web.Response:
    """POST /webhooks/midtrans: check signature_key, store, answer 200; confirmed later."""
    settings = request.app[SETTINGS]
    raw = await read_body(request)
    note = decode_json_object(raw)
    order_id = required_text(note, "order_id")
    status_code = required_text(note, "status_code")
    gross_amount = required_text(note, "gross_amount")
    signature = required_text(note, "signature_key")
    transaction_status = required_text(note, "transaction_status")
    fraud_status = optional_text(note, "fraud_status") or "-"
    wanted = expected_signature(order_id, status_code, gross_amount, settings.midtrans.server_key)
    if not hmac.compare_digest(signature.lower().encode(), wanted.encode()):
        raise BadSignature()
    # Midtrans has no event id; one order gets one notification per status.
    event_id = f"{order_id}:{transaction_status}:{fraud_status}:{status_code}"
    return await store_and_answer(
        request,
        AcceptedEvent(PROVIDER, event_id, f"qris.{transaction_status}", raw.decode()),
    )


async def fetch_transaction_status(
    settings: Settings, http: aiohttp.ClientSession, order_id: str
) -> dict[str, Any] | None:
    """GET /v2/{order_id}/status: Midtrans' current view, or None when it does not know it."""
    url = f"{settings.midtrans.api_base}/v2/{order_id}/status"
    try:
        async with http.get(url, headers=_auth_header(settings)) as response:
            payload = await response.json(content_type=None)
            status = response.status
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise ProviderUnavailable(f"midtrans status: {type(exc).__name__}") from exc
    code = str(payload.get("status_code")) if isinstance(payload, dict) else ""
    if status == 404 or code == "404":
        return None
    if status >= 300 or not isinstance(payload, dict) or code.startswith(("4", "5")):
        raise ProviderUnavailable(f"midtrans status answered HTTP {status}, status_code {code}")
    return payload


async def process_midtrans(event: StoredEvent, context: ProviderContext) -> list[Outcome]:
    """Confirms a notification with GET status and maps Midtrans' answer (not the body)."""
    note = decode_json_object(event.raw_body.encode())
    order_id = required_text(note, "order_id")
    current = await fetch_transaction_status(context.settings, context.http, order_id)
    if current is None:
        raise EventIgnored("midtrans does not know this order id")
    if current.get("order_id") != order_id:
        raise EventIgnored("midtrans status answered for another order id")
    return parse_transaction_status(current, event.event_id, context.settings.midtrans.currency)


def parse_transaction_status(
    status: dict[str, Any], reference: str, default_currency: str
) -> list[Outcome]:
    """Maps a Midtrans transaction status object to a payment event or a wallet top-up."""
    order_id = required_text(status, "order_id")
    transaction_status = required_text(status, "transaction_status")
    fraud_status = optional_text(status, "fraud_status") or "accept"
    currency = (optional_text(status, "currency") or default_currency).upper()
    try:
        amount = parse_money(required_text(status, "gross_amount"), currency)
    except ValueError:
        raise MalformedBody("gross_amount is not an amount") from None
    if transaction_status == "capture":
        target = PaymentStatus.PAID if fraud_status == "accept" else PaymentStatus.PENDING
    elif transaction_status in _STATUSES:
        target = _STATUSES[transaction_status]
    else:
        raise EventIgnored(f"midtrans status {transaction_status} asks nothing of the shop")
    if target == PaymentStatus.PAID and fraud_status == "deny":
        target = PaymentStatus.FAILED
    topup = _TOPUP_REF.match(order_id)
    if topup:
        if target != PaymentStatus.PAID:
            raise EventIgnored(f"top-up {transaction_status}: nothing to credit")
        return [
            WalletTopUp(
                discord_user_id=int(topup.group(1)),
                amount=amount,
                currency=currency,
                reference=f"midtrans:{order_id}",
                note="QRIS top-up",
            )
        ]
    order = _ORDER_REF.match(order_id)
    if not order:
        raise EventIgnored("midtrans order id was not made by the shop")
    common: dict[str, Any] = {
        "source": OrderSource.MIDTRANS,
        "order_id": int(order.group(1)),
        "amount": amount,
        "currency": currency,
        "payment_method": PaymentMethod.MIDTRANS,
        "payment_ref": optional_text(status, "transaction_id"),
        "checkout_id": order_id,
        "details": {"transaction_status": transaction_status, "fraud_status": fraud_status},
    }
    return _order_events(target, reference, _refund_amount(status, currency), common)


def _order_events(
    target: PaymentStatus, reference: str, refunded: int | None, common: dict[str, Any]
) -> list[Outcome]:
    """The event for the status, plus a partial refund the status still reports."""
    transaction_status = common["details"]["transaction_status"]
    partial = target == PaymentStatus.PARTIALLY_REFUNDED
    events: list[Outcome] = [
        PaymentEvent(
            status=target,
            cause=f"midtrans:{transaction_status}",
            reference=reference,
            refund_amount=refunded if partial else None,
            **common,
        )
    ]
    if refunded and target not in (PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED):
        # The status moved on (a chargeback) after a partial refund whose notification may be
        # processed only now: the refunded amount it still reports is kept as its own fact.
        events.append(
            PaymentEvent(
                status=PaymentStatus.PARTIALLY_REFUNDED,
                cause="midtrans:refund_amount",
                reference=f"{common['checkout_id']}:refunded:{refunded}",
                refund_amount=refunded,
                **common,
            )
        )
    return events


def _refund_amount(status: dict[str, Any], currency: str) -> int | None:
    """The cumulative refunded amount the status reports (minor units), if any."""
    text = status.get("refund_amount")
    try:
        return parse_money(text, currency) if isinstance(text, str) else None
    except ValueError:
        return None
