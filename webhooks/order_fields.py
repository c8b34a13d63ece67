"""The JSON order fields the generic webhook and POST /api/orders share, checked in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from settings_catalog import CURRENCY_CODE
from webhooks.errors import MalformedBody, Refused
from webhooks.intake import discord_id, optional_int, optional_text

MAX_QUANTITY = 1000
MAX_AMOUNT = 10**12
# At most 254 characters in all, as the order's email column (and RFC 5321) allow.
_EMAIL = re.compile(r"^(?=.{3,254}$)[^@\s]{1,64}@[^@\s]{1,189}$")


@dataclass(frozen=True)
class OrderFields:
    """What a JSON body says about the order; None where the body leaves a field out."""

    discord_user_id: int | None
    product: str | None
    quantity: int | None
    amount: int | None
    currency: str | None
    email: str | None


class FirstEventIncomplete(Refused):
    """The first event of an order does not say what was bought: 422, nothing stored.

    A sender whose later (minimal) event overtook the order's first one gets this too and
    should retry it: once the first event is processed, the minimal one is accepted.
    """

    def __init__(self, order_id: str, missing: list[str]) -> None:
        super().__init__(
            422,
            f"order {order_id} is not known yet, so this event is its first and must say what "
            f"was bought; missing: {', '.join(missing)}. If the order's first event was sent, "
            "retry this one once it has been processed.",
        )
        self.missing = missing


def missing_for_new_order(fields: OrderFields) -> list[str]:
    """The body fields a new order needs that `fields` leave out (product ... buyer)."""
    missing = [
        name
        for name in ("product", "quantity", "amount", "currency")
        if getattr(fields, name) is None
    ]
    if fields.discord_user_id is None and fields.email is None:
        missing.append("discord_user_id or email (the buyer)")
    return missing


def is_email(text: str) -> bool:
    """Whether `text` is shaped like an email address the order can hold."""
    return bool(_EMAIL.match(text))


def order_fields(body: dict[str, Any]) -> OrderFields:
    """Checks discord_user_id, product, quantity, amount, currency and email of a JSON body."""
    quantity = optional_int(body, "quantity")
    if quantity is not None and not 1 <= quantity <= MAX_QUANTITY:
        raise MalformedBody(f"body.quantity must be from 1 to {MAX_QUANTITY}")
    amount = optional_int(body, "amount")
    if amount is not None and not 0 <= amount <= MAX_AMOUNT:
        raise MalformedBody("body.amount must be a whole number of minor units, 0 or more")
    currency = optional_text(body, "currency")
    if currency is not None and not CURRENCY_CODE.match(currency):
        raise MalformedBody("body.currency must be a 3-letter ISO code like USD")
    email = optional_text(body, "email")
    if email is not None and not is_email(email):
        raise MalformedBody("body.email is not an email address")
    product = optional_text(body, "product")
    if product is not None and not 1 <= len(product) <= 64:
        raise MalformedBody("body.product must be a catalog key")
    return OrderFields(
        discord_user_id=discord_id(body.get("discord_user_id"), "body.discord_user_id"),
        product=product,
        quantity=quantity,
        amount=amount,
        currency=currency,
        email=email,
    )
