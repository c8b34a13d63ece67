"""Refract checkout texts: a token-authenticated text/plain message parsed field by field."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from aiohttp import web

from models.base import OrderSource, PaymentMethod
from models.inbox.queries import StoredEvent
from models.money import parse_money
from models.orders.payment_event import PaymentEvent, PaymentStatus
from webhooks.errors import BadSignature, MalformedBody
from webhooks.intake import (
    SETTINGS,
    AcceptedEvent,
    decode_text,
    read_body,
    same_secret,
    store_and_answer,
)
from webhooks.order_fields import MAX_AMOUNT, is_email
from webhooks.processing import Outcome, ProviderContext

log = logging.getLogger(__name__)

PROVIDER = "refract"
# Message label -> RefractCheckout attribute. Labels are matched without case or markup.
LABELS = {
    "product": "product",
    "price": "price",
    "quantity": "quantity",
    "total": "total",
    "commission": "commission",
    "profile": "profile",
    "proxy details": "proxy_details",
    "share link": "share_link",
    "order number": "order_number",
    "email": "email",
    "image": "image",
    "tracking number": "tracking_number",
    "reference #": "reference_number",
    "payment method": "payment_method",
    "shipping address": "shipping_address",
    "shipping method": "shipping_method",
    "status": "status_text",
    "notes": "notes",
}
_MONEY_FIELDS = ("price", "total", "commission")
_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "Rp": "IDR"}
_ORDER_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/:-]{0,119}$")
# Status words Refract and stores use -> what they mean for the order.
_STATUS_WORDS = {
    "pending": PaymentStatus.PENDING,
    "processing": PaymentStatus.PAID,
    "verified": PaymentStatus.PAID,
    "confirmed": PaymentStatus.PAID,
    "successful": PaymentStatus.PAID,
    "success": PaymentStatus.PAID,
    "paid": PaymentStatus.PAID,
    "shipped": PaymentStatus.PAID,
    "delivered": PaymentStatus.PAID,
    "cancelled": PaymentStatus.CANCELLED,
    "canceled": PaymentStatus.CANCELLED,
    "refunded": PaymentStatus.REFUNDED,
    "failed": PaymentStatus.FAILED,
    "declined": PaymentStatus.FAILED,
}
MAX_FIELD_CHARS = 1000
MAX_PRODUCT_NAME = 255  # the order's product_name column


@dataclass(frozen=True)
class RefractCheckout:
    """Every field of a Refract message; money in minor units of `currency`."""

    order_number: str
    headline: str = ""
    store: str = ""
    currency: str = "USD"
    product: str | None = None
    price: int | None = None
    quantity: int | None = None
    total: int | None = None
    commission: int | None = None
    profile: str | None = None
    proxy_details: str | None = None
    share_link: str | None = None
    email: str | None = None
    image: str | None = None
    tracking_number: str | None = None
    reference_number: str | None = None
    payment_method: str | None = None
    shipping_address: str | None = None
    shipping_method: str | None = None
    status_text: str | None = None
    notes: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def payment_status(self) -> PaymentStatus:
        """The Status field when it is a known word, else the headline, else pending."""
        if self.status_text:
            word = self.status_text.strip().lower()
            if word in _STATUS_WORDS:
                return _STATUS_WORDS[word]
        if "successful checkout" in self.headline.lower():
            return PaymentStatus.PAID
        return PaymentStatus.PENDING

    @property
    def amount(self) -> int | None:
        if self.total is not None:
            return self.total
        if self.price is not None:
            return self.price * (self.quantity or 1)
        return None


def _label(line: str) -> str:
    return line.strip().strip("*_`:").strip().lower()


def parse_refract_text(text: str) -> RefractCheckout:
    """Parses the message format of seed 003; MalformedBody when it is not one."""
    headline, fields, extra = _split_fields(text)
    order_number = fields.pop("order_number", "").lstrip("#").strip()
    if not order_number:
        raise MalformedBody("Refract message without an Order Number")
    if not _ORDER_NUMBER.match(order_number):
        raise MalformedBody("Order Number has unexpected characters")
    currency = _currency(fields)
    parsed = _parse_numbers(fields, currency)
    store = headline.split("|", 1)[1].strip() if "|" in headline else ""
    return RefractCheckout(
        order_number=order_number,
        headline=headline.split("|", 1)[0].strip(),
        store=store,
        currency=currency,
        extra=extra,
        **parsed,
        **fields,
    )


def _split_fields(text: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """The headline, the labelled fields (label line, then value lines) and unlabelled lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headline = ""
    values: dict[str, list[str]] = {}
    extra: dict[str, str] = {}
    current: str | None = None
    for line in lines:
        label = _label(line)
        if label in LABELS:
            current = LABELS[label]
            values.setdefault(current, [])
        elif current is not None:
            values[current].append(line.rstrip())
        elif line.strip() and not headline:
            headline = line.strip()[:MAX_FIELD_CHARS]
        elif line.strip():
            extra[f"line{len(extra) + 1}"] = line.strip()[:MAX_FIELD_CHARS]
    fields = {name: "\n".join(parts).strip()[:MAX_FIELD_CHARS] for name, parts in values.items()}
    return headline, {name: value for name, value in fields.items() if value}, extra


def _parse_numbers(fields: dict[str, str], currency: str) -> dict[str, Any]:
    """Pops the money fields and the quantity out of `fields`, parsed."""
    parsed: dict[str, Any] = {}
    for name in _MONEY_FIELDS:
        if name in fields:
            try:
                parsed[name] = parse_money(fields.pop(name), currency)
            except ValueError:
                raise MalformedBody(f"{name.title()} is not an amount") from None
            if abs(parsed[name]) > MAX_AMOUNT:
                raise MalformedBody(f"{name.title()} is larger than any order")
    if "quantity" in fields:
        quantity = fields.pop("quantity").strip()
        if not (quantity.isascii() and quantity.isdigit()) or not 1 <= int(quantity) <= 100000:
            raise MalformedBody("Quantity must be a whole number from 1")
        parsed["quantity"] = int(quantity)
    return parsed


def _currency(fields: dict[str, str]) -> str:
    for name in _MONEY_FIELDS:
        value = fields.get(name, "").strip().lstrip("-").strip()
        for sign, code in _CURRENCY_SIGNS.items():
            if value.startswith(sign):
                return code
    return "USD"


def refract_token_ok(request: web.Request, token: str) -> bool:
    given = request.headers.get("X-Refract-Token") or request.query.get("token")
    return same_secret(given, token)


async def receive_refract(request: web.Request) -> web.Response:
    """POST /webhooks/refract: token check, parse, store, answer 200."""
    settings = request.app[SETTINGS]
    if not refract_token_ok(request, settings.refract_token):
        raise BadSignature("missing or wrong Refract token")
    text = decode_text(await read_body(request))
    checkout = parse_refract_text(text)
    digest = hashlib.sha256(text.encode()).hexdigest()[:40]
    return await store_and_answer(
        request,
        AcceptedEvent(PROVIDER, f"{checkout.order_number}:{digest}", "checkout", text),
    )


async def process_refract(event: StoredEvent, context: ProviderContext) -> list[Outcome]:
    return [checkout_event(parse_refract_text(event.raw_body), reference=event.event_id)]


def checkout_event(checkout: RefractCheckout, *, reference: str) -> PaymentEvent:
    """The order-core event for one Refract message (upserted by order number)."""
    details = {
        k: v
        for k, v in asdict(checkout).items()
        if v not in (None, "", {}) and k not in ("order_number", "email", "product")
    }
    return PaymentEvent(
        source=OrderSource.REFRACT,
        status=checkout.payment_status,
        cause="refract:checkout",
        reference=reference,
        external_id=checkout.order_number,
        product_name=(checkout.product or "")[:MAX_PRODUCT_NAME] or None,
        quantity=checkout.quantity,
        amount=checkout.amount,
        currency=checkout.currency if checkout.amount is not None else None,
        # Free text: kept only when it is an address the order can hold.
        email=checkout.email if checkout.email and is_email(checkout.email) else None,
        payment_method=PaymentMethod.EXTERNAL,
        details=details,
        note=_update_note(checkout),
    )


def _update_note(checkout: RefractCheckout) -> str:
    """What this message says about the order, for its audit trail (no email, no proxies)."""
    parts = [
        f"{label}: {value}"
        for label, value in (
            ("status", checkout.status_text),
            ("tracking", checkout.tracking_number),
            ("shipping", checkout.shipping_method),
            ("reference", checkout.reference_number),
            ("notes", checkout.notes),
        )
        if value
    ]
    return "; ".join(parts)[:500]
