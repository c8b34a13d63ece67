"""Stripe: Checkout Sessions out (checkout.py), signed webhook events in (receive.py)."""

from webhooks.stripe.checkout import create_checkout, create_topup_checkout

__all__ = ["create_checkout", "create_topup_checkout"]
