"""Stripe subscriptions through the app: checkout in subscription mode, invoices, lifecycle.

Over a real socket, signed like Stripe signs, in Stripe's fixture shapes; the stand-in
answers the stripe library's calls (checkout, portal, cancel).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from models.base import InboxStatus, JobKind, OrderStatus, PaymentMethod
from models.inbox.tables import WebhookEvent
from models.orders.purchases import start_checkout
from models.orders.tables import Order
from models.outbox.tables import Job
from models.subscriptions.state import RENEWAL_ALLOWANCE
from models.subscriptions.tables import Subscription
from tests.webhooks.helpers import (
    BUYER,
    STRIPE_SECRET,
    processed,
    stripe_event,
    stripe_headers,
)
from tests.webhooks.stripe.subscription_objects import paid_subscription, subscription_body
from webhooks.stripe.checkout import create_checkout
from webhooks.stripe.subscriptions import cancel_subscription, portal_link

URL = "/webhooks/stripe"
KEY = "vip-monthly"


def at(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


async def subscribed(client, settings, http, fake_stripe, stripe_fixtures):
    """A vip-monthly order bought through a paid subscription checkout, both events in."""
    order = await start_checkout(
        BUYER,
        KEY,
        payment_method=PaymentMethod.STRIPE,
        reference=f"sub-{time.monotonic_ns()}",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
    )
    link = await create_checkout(
        settings, http, order, settings.product(KEY), discord_user_id=BUYER, interval="month"
    )
    session, sub, invoice = paid_subscription(fake_stripe, link.session_id)
    await post(client, stripe_event(
        stripe_fixtures, "checkout.session.completed", session, event_id="evt_s_checkout"
    ))  # fmt: skip
    await post(client, *subscription_body(
        stripe_fixtures, "invoice.paid", invoice, event_id="evt_s_paid1"
    ))  # fmt: skip
    await processed(client)
    return order, sub, invoice


async def post(client, body: str, headers: dict | None = None) -> int:
    response = await client.post(URL, data=body, headers=headers or stripe_headers(body))
    return response.status


async def test_an_interval_product_checks_out_in_subscription_mode(
    client, settings, http, fake_stripe
):
    order = await start_checkout(
        BUYER, KEY, payment_method=PaymentMethod.STRIPE, reference="sub-mode",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
    )  # fmt: skip
    await create_checkout(
        settings, http, order, settings.product(KEY), discord_user_id=BUYER, interval="month"
    )
    (params,) = fake_stripe.created_params
    assert params["mode"] == "subscription"
    assert params["line_items"][0]["price_data"]["recurring"] == {"interval": "month"}
    assert "payment_intent_data" not in params
    assert params["subscription_data"]["metadata"]["order_id"] == str(order.id)


async def test_paid_checkout_and_first_invoice_grant_to_the_period_end(
    client, settings, http, fake_stripe, stripe_fixtures
):
    order, sub, invoice = await subscribed(client, settings, http, fake_stripe, stripe_fixtures)
    order = await Order.get(id=order.id)
    assert order.status == OrderStatus.PAID
    end = invoice["lines"]["data"][0]["period"]["end"]
    assert order.access_until == at(end) + RENEWAL_ALLOWANCE
    row = await Subscription.get(stripe_id=sub["id"])
    assert (row.status, row.order_id) == ("active", order.id)
    assert row.stripe_customer_id == sub["customer"]
    assert row.renewals == 0


async def test_a_failed_renewal_keeps_access_through_grace_and_tells_buyer_and_admins(
    client, settings, http, fake_stripe, stripe_fixtures
):
    order, sub, first = await subscribed(client, settings, http, fake_stripe, stripe_fixtures)
    end = first["lines"]["data"][0]["period"]["end"]
    failed = fake_stripe.billing.invoice(sub["id"], paid=False)
    for event_id in ("evt_s_fail", "evt_s_fail_retry"):
        body, headers = subscription_body(
            stripe_fixtures, "invoice.payment_failed", failed, event_id=event_id, created=end
        )
        assert await post(client, body, headers) == 200
    await processed(client)
    row = await Subscription.get(stripe_id=sub["id"])
    assert row.status == "past_due"
    grace = at(end) + timedelta(days=settings.stripe.grace_days)
    assert row.grace_until == grace == (await Order.get(id=order.id)).access_until
    # One DM and one alert per failed invoice, however often Stripe retries it.
    dms = await Job.filter(kind=JobKind.NOTIFY_BUYER, order_id=order.id)
    assert [j.payload["notice"] for j in dms] == ["payment_failed"]
    assert dms[0].payload["invoice_id"] == failed["id"]
    alerts = await Job.filter(kind=JobKind.NOTIFY_ADMIN, order_id=order.id)
    assert len(alerts) == 1 and failed["id"] in alerts[0].payload["message"]

    # Paid after all: the period runs on, counted as a renewal.
    paid = dict(failed, status="paid", amount_paid=failed["amount_due"])
    body, headers = subscription_body(
        stripe_fixtures, "invoice.paid", paid, event_id="evt_s_paid2", created=end + 3600
    )
    assert await post(client, body, headers) == 200
    await processed(client)
    row = await Subscription.get(stripe_id=sub["id"])
    assert (row.status, row.renewals, row.grace_until) == ("active", 1, None)
    new_end = failed["lines"]["data"][0]["period"]["end"]
    assert (await Order.get(id=order.id)).access_until == at(new_end) + RENEWAL_ALLOWANCE


async def test_cancel_at_period_end_then_deleted_ends_access(
    client, settings, http, fake_stripe, stripe_fixtures
):
    order, sub, first = await subscribed(client, settings, http, fake_stripe, stripe_fixtures)
    answer = await cancel_subscription(settings, http, sub["id"], at_period_end=True)
    assert (answer["status"], answer["cancel_at_period_end"]) == ("active", True)
    assert fake_stripe.billing.subscriptions[sub["id"]]["cancel_at_period_end"]
    end = first["lines"]["data"][0]["period"]["end"]
    body, headers = subscription_body(
        stripe_fixtures, "customer.subscription.updated", sub, event_id="evt_s_upd"
    )
    assert await post(client, body, headers) == 200
    await processed(client)
    row = await Subscription.get(stripe_id=sub["id"])
    assert row.cancel_at_period_end and row.status == "active"
    assert (await Order.get(id=order.id)).access_until == at(end)

    await cancel_subscription(settings, http, sub["id"], at_period_end=False)
    gone = fake_stripe.billing.subscriptions[sub["id"]]
    # The stand-in's own event and signature, as Stripe would POST them.
    event = fake_stripe.billing.event("customer.subscription.deleted", gone)
    body, headers = fake_stripe.billing.signed(event, STRIPE_SECRET)
    assert await post(client, body, headers) == 200
    await processed(client)
    row = await Subscription.get(stripe_id=sub["id"])
    assert row.status == "canceled"
    assert (await Order.get(id=order.id)).access_until == at(gone["ended_at"])
    assert await Job.filter(kind=JobKind.NOTIFY_ADMIN, order_id=order.id).count() == 1


async def test_the_portal_link_comes_from_a_billing_portal_session(
    client, settings, http, fake_stripe, stripe_fixtures
):
    _, sub, _ = await subscribed(client, settings, http, fake_stripe, stripe_fixtures)
    url = await portal_link(settings, http, sub["customer"])
    (session,) = fake_stripe.billing.portal_sessions
    assert url == session["url"] and session["customer"] == sub["customer"]
    assert session["return_url"] == settings.stripe.success_url


async def test_an_invoice_before_its_checkout_waits_for_nothing(
    client, settings, http, fake_stripe, stripe_fixtures
):
    """invoice.paid first: the subscription is stored from its metadata, the order still
    pending; the checkout then pays the order, the access is the invoice's period."""
    order = await start_checkout(
        BUYER, KEY, payment_method=PaymentMethod.STRIPE, reference="sub-early",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
    )  # fmt: skip
    link = await create_checkout(
        settings, http, order, settings.product(KEY), discord_user_id=BUYER, interval="month"
    )
    session, _, invoice = paid_subscription(fake_stripe, link.session_id)
    assert await post(client, *subscription_body(
        stripe_fixtures, "invoice.paid", invoice, event_id="evt_e_paid"
    )) == 200  # fmt: skip
    await processed(client)
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING
    assert await post(client, stripe_event(
        stripe_fixtures, "checkout.session.completed", session, event_id="evt_e_checkout"
    )) == 200  # fmt: skip
    await processed(client)
    order = await Order.get(id=order.id)
    assert order.status == OrderStatus.PAID
    end = invoice["lines"]["data"][0]["period"]["end"]
    assert order.access_until == at(end) + RENEWAL_ALLOWANCE


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda inv: inv["lines"].update(data="nope"), "lines.data"),
        (lambda inv: inv["lines"]["data"][0]["period"].update(end="soon"), "period"),
        (lambda inv: inv["lines"]["data"][0].update(period={"end": -5}), "period.end"),
        (lambda inv: inv["parent"]["subscription_details"].update(subscription=5), "subscription"),
    ],
)
async def test_a_malformed_invoice_is_400_and_stores_nothing(
    client, settings, http, fake_stripe, stripe_fixtures, change, reason
):
    _, sub, _ = await subscribed(client, settings, http, fake_stripe, stripe_fixtures)
    invoice = json.loads(json.dumps(fake_stripe.billing.invoice(sub["id"], paid=True)))
    change(invoice)
    body, headers = subscription_body(stripe_fixtures, "invoice.paid", invoice, event_id="evt_bad")
    response = await client.post(URL, data=body, headers=headers)
    assert response.status == 400
    assert reason in (await response.json())["error"]
    assert not await WebhookEvent.filter(event_id="evt_bad").exists()


async def test_an_invoice_of_no_subscription_is_ignored(client, stripe_fixtures):
    invoice = dict(stripe_fixtures["invoice"], id="in_oneoff", subscription=None, parent=None)
    invoice["lines"] = {"object": "list", "data": []}
    body = stripe_event(stripe_fixtures, "invoice.paid", invoice, event_id="evt_oneoff")
    assert await post(client, body) == 200
    await processed(client)
    row = await WebhookEvent.get(event_id="evt_oneoff")
    assert row.status == InboxStatus.IGNORED and "no subscription" in row.error


async def test_an_unknown_subscription_without_an_order_id_is_retried(client, stripe_fixtures):
    sub = dict(stripe_fixtures["subscription"], id="sub_stranger", metadata={})
    body = stripe_event(stripe_fixtures, "customer.subscription.updated", sub, event_id="evt_str")
    assert await post(client, body) == 200
    await processed(client)
    row = await WebhookEvent.get(event_id="evt_str")
    assert (row.status, row.attempts) == (InboxStatus.RECEIVED, 1)
    assert "sub_stranger" in row.error
