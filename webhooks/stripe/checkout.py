"""Stripe Checkout Sessions for orders and wallet top-ups, created through the stripe library."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import aiohttp
import stripe

from models.money import format_money
from settings import Settings
from webhooks.errors import ProviderRefused, ProviderUnavailable

log = logging.getLogger(__name__)

# Stripe refuses an expiry under 30 minutes from its own clock; keep a margin for clock skew.
_MIN_EXPIRY_SECONDS = 31 * 60
KIND_ORDER = "order"
KIND_TOPUP = "topup"


class CheckoutOrder(Protocol):
    """The order fields a checkout needs (models.Order has them)."""

    id: int
    number: str
    amount: int
    currency: str
    quantity: int


class NamedProduct(Protocol):
    name: str


@dataclass(frozen=True)
class CheckoutLink:
    """A created Checkout Session: send `url` to the buyer; keep `session_id` on the order."""

    url: str
    session_id: str
    expires_at: datetime


def stripe_client(settings: Settings, http: aiohttp.ClientSession) -> stripe.StripeClient:
    """A StripeClient on the bot's aiohttp session, pointed at settings.stripe.api_base."""
    return stripe.StripeClient(
        settings.stripe.api_key,
        base_addresses={"api": settings.stripe.api_base},
        http_client=stripe.AIOHTTPClient(session=http, timeout=20),
        max_network_retries=2,
    )


def _expires_at(settings: Settings) -> int:
    return int(time.time()) + max(settings.order_expiry_minutes * 60, _MIN_EXPIRY_SECONDS)


async def create_checkout(
    settings: Settings,
    http: aiohttp.ClientSession,
    order: CheckoutOrder,
    product: NamedProduct,
    *,
    discord_user_id: int,
    email: str | None = None,
    interval: str | None = None,
) -> CheckoutLink:
    """Creates the Checkout Session paying for a pending order; one session per order id.

    The order id and the buyer's Discord id travel in the session metadata, in
    client_reference_id and in the PaymentIntent metadata, so every later event maps back.
    With an `interval` ("month" or "year") the session is in subscription mode: the price
    recurs, and the metadata goes on the subscription instead (Stripe copies it onto every
    invoice of it), so renewals and failures map back to the order too.
    """
    name = product.name if order.quantity == 1 else f"{product.name} × {order.quantity}"
    metadata = {
        "kind": KIND_ORDER,
        "order_id": str(order.id),
        "order_number": order.number,
        "discord_user_id": str(discord_user_id),
    }
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": order.currency.lower(),
                    "unit_amount": order.amount,
                    "product_data": _product_data(name, order),
                },
            }
        ],
        "metadata": metadata,
        "client_reference_id": str(order.id),
        "payment_intent_data": {"metadata": metadata},
        "expires_at": _expires_at(settings),
        "success_url": settings.stripe.success_url,
        "cancel_url": settings.stripe.cancel_url,
    }
    if email:
        params["customer_email"] = email
    if interval is not None:
        metadata["interval"] = interval
        params["mode"] = "subscription"
        params["line_items"][0]["price_data"]["recurring"] = {"interval": interval}
        # Stripe refuses payment_intent_data in subscription mode: the subscription has it.
        del params["payment_intent_data"]
        params["subscription_data"] = {"metadata": metadata}
    return await _create(settings, http, params, idempotency_key=f"stockroom-order-{order.id}")


def _product_data(name: str, order: CheckoutOrder) -> dict[str, str]:
    """The line's name, and under a coupon a description naming it. The line is the
    discounted price itself (order.amount), not a Stripe coupon: Stripe coupons would repeat
    the coupon's rules at Stripe and need keeping in step; the order stays the one source."""
    data = {"name": name[:250]}
    applied = (getattr(order, "details", None) or {}).get("coupon")
    if applied:
        off = format_money(applied["discount"], order.currency)
        listed = format_money(applied["list_price"], order.currency)
        data["description"] = f"Coupon {applied['code']}: {off} off {listed}"[:500]
    return data


async def create_topup_checkout(
    settings: Settings,
    http: aiohttp.ClientSession,
    *,
    discord_user_id: int,
    amount: int,
    reference: str,
) -> CheckoutLink:
    """A Checkout Session topping up the wallet by `amount` (wallet currency, minor units).

    `reference` identifies this top-up attempt (e.g. a random token) and makes the create
    idempotent; the wallet is credited when Stripe reports the session paid.
    """
    metadata = {
        "kind": KIND_TOPUP,
        "discord_user_id": str(discord_user_id),
        "topup_reference": reference,
    }
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": settings.wallet_currency.lower(),
                    "unit_amount": amount,
                    "product_data": {"name": "Wallet top-up"},
                },
            }
        ],
        "metadata": metadata,
        "client_reference_id": f"topup-{discord_user_id}",
        "payment_intent_data": {"metadata": metadata},
        "expires_at": _expires_at(settings),
        "success_url": settings.stripe.success_url,
        "cancel_url": settings.stripe.cancel_url,
    }
    return await _create(settings, http, params, idempotency_key=f"stockroom-topup-{reference}")


async def _create(
    settings: Settings, http: aiohttp.ClientSession, params: dict[str, Any], *, idempotency_key: str
) -> CheckoutLink:
    client = stripe_client(settings, http)
    try:
        session = await client.v1.checkout.sessions.create_async(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.APIConnectionError as exc:
        raise ProviderUnavailable(f"stripe: {type(exc).__name__}") from exc
    except stripe.StripeError as exc:
        # The message names the bad parameter; it carries no secret.
        log.error("stripe refused the checkout session: %s", exc.user_message or exc)
        raise ProviderRefused(f"stripe refused the session ({exc.http_status})") from exc
    if not session.url:
        raise ProviderUnavailable("stripe returned a session without a url")
    return CheckoutLink(
        url=session.url,
        session_id=session.id,
        expires_at=datetime.fromtimestamp(session.expires_at, UTC),
    )


async def retrieve_checkout_status(
    settings: Settings, http: aiohttp.ClientSession, session_id: str
) -> tuple[str, str]:
    """(status, payment_status) of a Checkout Session as Stripe has it now."""
    client = stripe_client(settings, http)
    try:
        session = await client.v1.checkout.sessions.retrieve_async(session_id)
    except stripe.APIConnectionError as exc:
        raise ProviderUnavailable(f"stripe: {type(exc).__name__}") from exc
    except stripe.StripeError as exc:
        raise ProviderRefused(f"stripe refused the lookup ({exc.http_status})") from exc
    return session.status or "", session.payment_status or ""
