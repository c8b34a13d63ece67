"""Stripe's fixture objects (shared/data) overlaid with the stand-in's subscription objects."""

from __future__ import annotations

import copy
from typing import Any

from demo.fakes.stripe_api import FakeStripe
from tests.webhooks.helpers import stripe_event, stripe_headers


def shaped(fixtures: dict[str, Any], resource: str, obj: dict[str, Any]) -> dict[str, Any]:
    """Stripe's own fixture of `resource` with the stand-in object's fields on top."""
    base = copy.deepcopy(fixtures[resource])
    base.update(copy.deepcopy(obj))
    return base


def subscription_body(
    fixtures: dict[str, Any],
    event_type: str,
    obj: dict[str, Any],
    *,
    event_id: str,
    created: int | None = None,
) -> tuple[str, dict[str, str]]:
    """A signed event body of `event_type` around `obj` shaped on its Stripe fixture."""
    resource = {"invoice": "invoice", "subscription": "subscription"}.get(obj["object"])
    full = shaped(fixtures, resource, obj) if resource else obj
    body = stripe_event(fixtures, event_type, full, event_id=event_id, created=created)
    return body, stripe_headers(body)


def paid_subscription(fake: FakeStripe, session_id: str) -> tuple[dict, dict, dict]:
    """Pays a subscription-mode session: (session, subscription, first invoice)."""
    session = fake.pay(session_id)
    sub = fake.billing.subscriptions[session["subscription"]]
    return session, sub, fake.billing.invoices[session["invoice"]]
