"""Stripe refunds out: Refund.create on an order's PaymentIntent, once per order and amount."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import aiohttp
import stripe

from settings import Settings
from webhooks.errors import ProviderRefused, ProviderUnavailable
from webhooks.stripe.checkout import stripe_client

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProviderRefund:
    """A refund the provider accepted: its id, the amount (minor units) and its status."""

    refund_id: str
    amount: int
    status: str


def refund_idempotency_key(order_id: int, amount: int) -> str:
    """The same order and amount is one refund at Stripe, however often the admin clicks."""
    return f"stockroom-refund-{order_id}-{amount}"


async def refund_payment_intent(
    settings: Settings,
    http: aiohttp.ClientSession,
    *,
    payment_intent: str,
    amount: int,
    order_id: int,
    order_number: str,
) -> ProviderRefund:
    """Refunds `amount` minor units of a PaymentIntent; ProviderRefused says why Stripe would not.

    A refund Stripe leaves `failed` or `canceled` is a refusal too: no money moved.
    """
    client = stripe_client(settings, http)
    params = {
        "payment_intent": payment_intent,
        "amount": amount,
        "reason": "requested_by_customer",
        "metadata": {"order_id": str(order_id), "order_number": order_number},
    }
    try:
        refund = await client.v1.refunds.create_async(
            params=params,  # type: ignore[arg-type]
            options={"idempotency_key": refund_idempotency_key(order_id, amount)},
        )
    except stripe.APIConnectionError as exc:
        raise ProviderUnavailable(f"stripe: {type(exc).__name__}") from exc
    except stripe.StripeError as exc:
        if (exc.http_status or 0) >= 500:
            raise ProviderUnavailable(f"stripe answered {exc.http_status}") from exc
        # Stripe's message says why (already refunded, more than is left); no secret in it.
        why = exc.user_message or str(exc) or f"HTTP {exc.http_status}"
        log.warning("stripe refused the refund of order %s: %s", order_number, why)
        raise ProviderRefused(f"Stripe refused the refund: {why}") from exc
    status = refund.status or ""
    if status in ("failed", "canceled"):
        raise ProviderRefused(f"Stripe refund {refund.id} is {status}")
    return ProviderRefund(refund_id=refund.id, amount=int(refund.amount), status=status)
