"""Midtrans QRIS notifications: signature checked, stored, then confirmed by GET status."""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from aiohttp import web

from models.base import OrderSource, PaymentMethod
from models.customers.topups import TopUpFact
from models.inbox.queries import StoredEvent
from models.money import parse_money
from models.orders.payment_event import PaymentEvent, PaymentStatus
from webhooks.errors import (
    BadSignature,
    EventIgnored,
    MalformedBody,
)
from webhooks.intake import (
    SETTINGS,
    AcceptedEvent,
    decode_json_object,
    discord_id,
    optional_text,
    read_body,
    required_text,
    same_secret,
    store_and_answer,
)
from webhooks.midtrans.client import fetch_transaction_status
from webhooks.processing import Outcome, ProviderContext, TopUpChange, WalletTopUp

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

# A credited QRIS top-up refunded or charged back (Midtrans reports no dispute outcome).
_TOPUP_CHANGES = {
    PaymentStatus.REFUNDED: TopUpFact.REFUNDED,
    PaymentStatus.PARTIALLY_REFUNDED: TopUpFact.REFUNDED,
    PaymentStatus.DISPUTED: TopUpFact.DISPUTE_OPENED,
}


def expected_signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """SHA-512 hex of order_id + status_code + gross_amount + server key, exact strings."""
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


async def receive_midtrans(request: web.Request) -> web.Response:
    """POST /webhooks/midtrans: check signature_key, store, answer 200; confirmed later.

    The signature is a field of the body, so the JSON is decoded first (depth-bounded),
    then only the signed fields are read until the signature verifies.
    """
    settings = request.app[SETTINGS]
    raw = await read_body(request)
    note = decode_json_object(raw)
    order_id = required_text(note, "order_id")
    status_code = required_text(note, "status_code")
    gross_amount = required_text(note, "gross_amount")
    signature = required_text(note, "signature_key")
    wanted = expected_signature(order_id, status_code, gross_amount, settings.midtrans.server_key)
    if not same_secret(signature.lower(), wanted):
        raise BadSignature()
    transaction_status = required_text(note, "transaction_status")
    fraud_status = optional_text(note, "fraud_status") or "-"
    # Midtrans has no event id; one order gets one notification per status.
    event_id = f"{order_id}:{transaction_status}:{fraud_status}:{status_code}"
    return await store_and_answer(
        request,
        AcceptedEvent(PROVIDER, event_id, f"qris.{transaction_status}", raw.decode()),
    )


async def process_midtrans(event: StoredEvent, context: ProviderContext) -> list[Outcome]:
    """Confirms a notification with GET status and maps Midtrans' answer (not the body)."""
    note = decode_json_object(event.raw_body.encode())
    order_id = required_text(note, "order_id")
    if not (_ORDER_REF.match(order_id) or _TOPUP_REF.match(order_id)):
        # Not asked about: an id the shop never made would only fail the status fetch.
        raise EventIgnored("midtrans order id was not made by the shop")
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
        if target in _TOPUP_CHANGES:
            full = target is not PaymentStatus.PARTIALLY_REFUNDED
            return [
                TopUpChange(
                    _TOPUP_CHANGES[target],
                    reference=f"midtrans:{order_id}",
                    refund_amount=None if full else _refund_amount(status, currency, target),
                )
            ]
        if target != PaymentStatus.PAID:
            raise EventIgnored(f"top-up {transaction_status}: nothing to credit")
        try:
            user = discord_id(topup.group(1), "top-up order id")
        except MalformedBody:
            raise EventIgnored("top-up order id names no possible Discord user") from None
        return [
            WalletTopUp(
                discord_user_id=user,
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
