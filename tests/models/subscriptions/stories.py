"""A subscription's possible facts on one timeline, for the state and property tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.subscriptions.state import SubscriptionFact

DAY = timedelta(days=1)
T0 = datetime(2026, 11, 1, tzinfo=UTC)
SUB = "sub_story"


def fact(kind: str, event: str, at: datetime, **fields) -> SubscriptionFact:
    return SubscriptionFact(
        kind=kind, subscription_id=SUB, event_id=event, occurred_at=at, **fields
    )


def pool(order_id: int | None = None, start: datetime = T0) -> list[SubscriptionFact]:
    """Every fact a two-renewal story may hold, each with its own event id and time."""
    o = {"order_id": order_id, "stripe_customer_id": "cus_story"}
    return [
        fact("started", "evt_checkout", start, interval="month", **o),
        fact("invoice_paid", "evt_paid1", start, invoice_id="in_1",
             period_end=start + 30 * DAY, billing_reason="subscription_create", **o),
        fact("object", "evt_upd_active", start + timedelta(seconds=1), status="active",
             cancel_at_period_end=False, period_end=start + 30 * DAY, **o),
        fact("object", "evt_upd_cancel", start + 10 * DAY, status="active",
             cancel_at_period_end=True, period_end=start + 30 * DAY, **o),
        fact("object", "evt_upd_cancel_at", start + 11 * DAY, status="active",
             cancel_at_period_end=False, cancel_at=start + 25 * DAY,
             period_end=start + 30 * DAY, **o),
        fact("object", "evt_upd_resume", start + 12 * DAY, status="active",
             cancel_at_period_end=False, period_end=start + 30 * DAY, **o),
        fact("invoice_failed", "evt_fail2a", start + 30 * DAY, invoice_id="in_2",
             period_end=start + 60 * DAY, billing_reason="subscription_cycle", **o),
        fact("invoice_failed", "evt_fail2b", start + 31 * DAY, invoice_id="in_2",
             period_end=start + 60 * DAY, billing_reason="subscription_cycle", **o),
        fact("object", "evt_upd_pastdue", start + 30 * DAY + timedelta(seconds=1),
             status="past_due", cancel_at_period_end=False, period_end=start + 30 * DAY, **o),
        fact("invoice_paid", "evt_paid2", start + 32 * DAY, invoice_id="in_2",
             period_end=start + 60 * DAY, billing_reason="subscription_cycle", **o),
        fact("invoice_failed", "evt_fail3", start + 60 * DAY, invoice_id="in_3",
             period_end=start + 90 * DAY, billing_reason="subscription_cycle", **o),
        fact("deleted", "evt_deleted", start + 65 * DAY, status="canceled",
             cancel_at_period_end=False, period_end=start + 60 * DAY, **o),
    ]  # fmt: skip


def chronological(facts: list[SubscriptionFact]) -> list[SubscriptionFact]:
    return sorted(facts, key=lambda f: (f.occurred_at, f.event_id))
