"""Stripe subscriptions: the facts Stripe reported, the state they add up to, the order's access."""
