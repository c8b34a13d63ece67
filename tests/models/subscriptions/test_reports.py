"""Renewals and lapses reach the feed, /admin botstats and the subscriptions export."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import timedelta

import pytest

from models.base import JobKind
from models.errors import InvalidInput
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.tables import OrderEvent
from models.outbox.tables import Job
from models.reports.exports import export_csv, export_filter
from models.reports.stats import order_stats
from models.subscriptions.actions import apply_subscription_fact
from tests.models.conftest import external
from tests.models.subscriptions.stories import T0, chronological, pool

GRACE = timedelta(days=3)


async def story(*event_ids: str) -> int:
    order_id = (
        await apply_payment_event(external("sub-r", PaymentStatus.PAID, "p", product_key="vip"))
    ).order_id
    for f in chronological([f for f in pool(order_id) if f.event_id in event_ids]):
        paid = f.kind == "invoice_paid"
        f = dataclasses.replace(f, amount=400 if paid else None, currency="USD" if paid else None)
        await apply_subscription_fact(f, GRACE)
        await apply_subscription_fact(f, GRACE)  # a replay adds no news
    return order_id


ALL = ("evt_checkout", "evt_paid1", "evt_fail2a", "evt_fail2b", "evt_paid2", "evt_deleted")


async def test_renewal_failure_and_end_each_post_one_feed_entry(catalog) -> None:
    order_id = await story(*ALL)
    events = await OrderEvent.filter(order_id=order_id, cause__startswith="stripe:").order_by("id")
    assert [e.cause for e in events] == [
        "stripe:renewal_failed",
        "stripe:renewed",
        "stripe:subscription_ended",
    ]
    assert all(e.from_status == e.to_status for e in events)
    assert "$4.00" in events[1].detail["note"]
    feed = await Job.filter(kind=JobKind.POST_FEED, order_id=order_id).values_list(
        "payload", flat=True
    )
    kinds = [p["kind"] for p in feed]
    assert [k for k in kinds if k in ("renewed", "renewal_failed", "subscription_ended")] == [
        "renewal_failed",
        "renewed",
        "subscription_ended",
    ]


async def test_botstats_count_subscriptions_renewals_and_their_money(catalog) -> None:
    await story(*ALL)
    subs = (await order_stats(T0 + timedelta(days=70))).subscriptions
    assert subs is not None
    assert (subs.by_status, subs.renewals, subs.renewal_revenue, subs.ended) == (
        {"canceled": 1},
        1,
        {"USD": 400},
        1,
    )


async def test_the_export_lists_payments_failures_and_the_end_in_time_order(catalog) -> None:
    await story(*ALL)
    text, count = await export_csv("subscriptions", export_filter(None, None, None))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert count == 4
    assert [r["event"] for r in rows] == ["first_payment", "payment_failed", "renewal", "ended"]
    assert rows[2]["amount"] == "400" and rows[2]["invoice"] == "in_2"
    assert {r["status_now"] for r in rows} == {"canceled"}
    text, count = await export_csv("subscriptions", export_filter(None, None, "renewal"))
    assert count == 1
    with pytest.raises(InvalidInput, match="first_payment, renewal"):
        await export_csv("subscriptions", export_filter(None, None, "lapse"))
