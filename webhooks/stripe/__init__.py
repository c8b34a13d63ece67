"""Stripe: Checkout Sessions out, signed webhook events in."""
