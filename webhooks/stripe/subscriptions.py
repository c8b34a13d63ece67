"""Calls to Stripe about a subscription: the customer portal link and cancelling it."""

from __future__ import annotations

from typing import Any

import aiohttp
import stripe

from settings import Settings
from webhooks.errors import ProviderRefused, ProviderUnavailable
from webhooks.stripe.checkout import stripe_client


async def portal_link(settings: Settings, http: aiohttp.ClientSession, customer_id: str) -> str:
    """A customer-portal session URL where the buyer updates their card or cancels."""
    client = stripe_client(settings, http)
    try:
        session = await client.v1.billing_portal.sessions.create_async(
            params={"customer": customer_id, "return_url": settings.stripe.success_url}
        )
    except stripe.APIConnectionError as exc:
        raise ProviderUnavailable(f"stripe: {type(exc).__name__}") from exc
    except stripe.StripeError as exc:
        raise ProviderRefused(f"stripe refused the portal session ({exc.http_status})") from exc
    if not session.url:
        raise ProviderUnavailable("stripe returned a portal session without a url")
    return session.url


async def cancel_subscription(
    settings: Settings, http: aiohttp.ClientSession, subscription_id: str, *, at_period_end: bool
) -> dict[str, Any]:
    """Cancels at Stripe, now or at the period end; returns the subscription object then.

    The caller may apply the answer as a fact at once (it is Stripe's state at that moment);
    the customer.subscription.updated / deleted event that follows says the same, later.
    """
    client = stripe_client(settings, http)
    try:
        if at_period_end:
            sub = await client.v1.subscriptions.update_async(
                subscription_id, params={"cancel_at_period_end": True}
            )
        else:
            sub = await client.v1.subscriptions.cancel_async(subscription_id)
    except stripe.APIConnectionError as exc:
        raise ProviderUnavailable(f"stripe: {type(exc).__name__}") from exc
    except stripe.StripeError as exc:
        raise ProviderRefused(f"stripe refused the cancellation ({exc.http_status})") from exc
    return sub.to_dict()
