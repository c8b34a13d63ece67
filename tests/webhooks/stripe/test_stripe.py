"""Stripe: checkout creation through the stripe library, and signed events through the app."""

from __future__ import annotations

import copy
import dataclasses
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from models.base import InboxStatus, OrderStatus, PaymentMethod
from models.customers.tables import Customer, WalletTransaction
from models.inbox.tables import WebhookEvent
from models.orders.purchases import start_checkout
from models.orders.tables import Order, OrderEvent
from tests.webhooks.helpers import (
    BUYER,
    checkout_session,
    processed,
    stripe_event,
    stripe_headers,
)
from webhooks.app import INBOX_WORKER
from webhooks.stripe.checkout import create_checkout, create_topup_checkout

URL = "/webhooks/stripe"


async def pending_order(product_key: str = "vip") -> Order:
    return await start_checkout(
        BUYER,
        product_key,
        payment_method=PaymentMethod.STRIPE,
        reference=f"test-{time.monotonic_ns()}",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
    )


async def post_event(client, body: str, **header_options):
    return await client.post(URL, data=body, headers=stripe_headers(body, **header_options))


async def test_create_checkout_goes_through_the_stripe_library(client, settings, http, fake_stripe):
    order = await pending_order()
    product = settings.product("vip")
    before = int(time.time())
    link = await create_checkout(settings, http, order, product, discord_user_id=BUYER)
    assert link.url.startswith("https://checkout.stripe.com/")
    session = fake_stripe.sessions[link.session_id]
    assert session["amount_total"] == order.amount == 1000
    params = fake_stripe.created_params[0]
    assert params["mode"] == "payment"
    assert params["client_reference_id"] == str(order.id)
    for metadata in (params["metadata"], params["payment_intent_data"]["metadata"]):
        assert metadata["order_id"] == str(order.id)
        assert metadata["discord_user_id"] == str(BUYER)
    item = params["line_items"][0]
    assert item["price_data"]["currency"] == "usd"
    assert item["price_data"]["unit_amount"] == "1000"
    assert item["price_data"]["product_data"]["name"] == "VIP access"
    assert int(params["expires_at"]) >= before + settings.order_expiry_minutes * 60
    # Creating again for the same order reuses the session (idempotency key per order).
    again = await create_checkout(settings, http, order, product, discord_user_id=BUYER)
    assert again.session_id == link.session_id
    assert len(fake_stripe.sessions) == 1


async def test_paid_checkout_marks_the_order_paid(
    client, stripe_fixtures, fake_stripe, settings, http
):
    order = await pending_order()
    link = await create_checkout(
        settings, http, order, settings.product("vip"), discord_user_id=BUYER
    )
    session = fake_stripe.pay(link.session_id)
    body = stripe_event(
        stripe_fixtures, "checkout.session.completed", session, event_id="evt_paid_1"
    )
    response = await post_event(client, body)
    assert response.status == 200
    assert await response.json() == {"received": True, "duplicate": False}
    await processed(client)
    row = await WebhookEvent.get(provider="stripe", event_id="evt_paid_1")
    assert row.status == InboxStatus.PROCESSED
    order = await Order.get(id=order.id)
    assert order.status == OrderStatus.PAID
    assert order.payment_ref == session["payment_intent"]
    assert order.checkout_id == link.session_id


async def test_duplicate_event_is_answered_and_not_processed_again(client, stripe_fixtures):
    order = await pending_order()
    session = checkout_session(stripe_fixtures, order_id=order.id)
    body = stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_dup")
    first = await post_event(client, body)
    await processed(client)
    second = await post_event(client, body)
    assert (first.status, second.status) == (200, 200)
    assert (await second.json())["duplicate"] is True
    await processed(client)
    assert await WebhookEvent.filter(event_id="evt_dup").count() == 1
    assert await OrderEvent.filter(order_id=order.id, reference="evt_dup").count() == 1


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("forged", 401),
        ("stale", 401),
        ("missing", 401),
        ("not-json", 400),
        ("json-not-object", 400),
        ("no-object", 400),
    ],
)
async def test_rejected_events_change_nothing(client, stripe_fixtures, case, status):
    order = await pending_order()
    body = stripe_event(
        stripe_fixtures,
        "checkout.session.completed",
        checkout_session(stripe_fixtures, order_id=order.id),
        event_id="evt_rejected",
    )
    headers = stripe_headers(body)
    if case == "forged":
        headers = stripe_headers(body, secret="whsec_someone_else")
    elif case == "stale":
        headers = stripe_headers(body, timestamp=int(time.time()) - 301)
    elif case == "missing":
        del headers["Stripe-Signature"]
    elif case == "not-json":
        body = "{not json"
        headers = stripe_headers(body)
    elif case == "json-not-object":
        body = "true"
        headers = stripe_headers(body)
    elif case == "no-object":
        body = json.dumps({"id": "evt_rejected", "type": "checkout.session.completed"})
        headers = stripe_headers(body)
    response = await client.post("/webhooks/stripe", data=body, headers=headers)
    assert response.status == status
    assert "error" in await response.json()
    assert await WebhookEvent.all().count() == 0
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING


async def test_oversized_body_is_413_by_header_and_by_stream(make_client, settings):
    small = dataclasses.replace(settings, max_body_bytes=2048)
    client = await make_client(small)
    body = json.dumps({"id": "evt_big", "type": "x", "pad": "x" * 3000})
    response = await client.post(URL, data=body, headers=stripe_headers(body))
    assert response.status == 413

    async def chunks():
        for _ in range(4):
            yield b"x" * 1024

    streamed = await client.post(URL, data=chunks(), headers={"Stripe-Signature": "t=1,v1=00"})
    assert streamed.status == 413
    assert await WebhookEvent.all().count() == 0


async def test_unpaid_completion_waits_for_async_payment(client, stripe_fixtures):
    order = await pending_order()
    unpaid = checkout_session(stripe_fixtures, order_id=order.id, payment_status="unpaid")
    await post_event(
        client,
        stripe_event(stripe_fixtures, "checkout.session.completed", unpaid, event_id="evt_u1"),
    )
    await processed(client)
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING
    paid = checkout_session(stripe_fixtures, order_id=order.id)
    await post_event(
        client,
        stripe_event(
            stripe_fixtures, "checkout.session.async_payment_succeeded", paid, event_id="evt_u2"
        ),
    )
    await processed(client)
    assert (await Order.get(id=order.id)).status == OrderStatus.PAID


async def test_async_failure_and_expiry(client, stripe_fixtures):
    failed_order = await pending_order()
    expired_order = await pending_order()
    failed = checkout_session(stripe_fixtures, order_id=failed_order.id, payment_status="unpaid")
    expired = checkout_session(
        stripe_fixtures, order_id=expired_order.id, payment_status="unpaid", status="expired"
    )
    for event_type, obj, event_id in (
        ("checkout.session.async_payment_failed", failed, "evt_f"),
        ("checkout.session.expired", expired, "evt_e"),
    ):
        await post_event(client, stripe_event(stripe_fixtures, event_type, obj, event_id=event_id))
    await processed(client)
    assert (await Order.get(id=failed_order.id)).status == OrderStatus.FAILED
    assert (await Order.get(id=expired_order.id)).status == OrderStatus.EXPIRED


def refunded_charge(fixtures, payment_intent: str, amount_refunded: int, full: bool) -> dict:
    charge = copy.deepcopy(fixtures["charge"])
    charge.update(
        amount=500,
        amount_captured=500,
        amount_refunded=amount_refunded,
        refunded=full,
        payment_intent=payment_intent,
        captured=True,
    )
    return charge


async def test_partial_then_full_refund(client, stripe_fixtures):
    order = await pending_order()
    session = checkout_session(stripe_fixtures, order_id=order.id, payment_intent="pi_refund")
    await post_event(
        client,
        stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_p"),
    )
    partial = refunded_charge(stripe_fixtures, "pi_refund", 200, full=False)
    await post_event(
        client, stripe_event(stripe_fixtures, "charge.refunded", partial, event_id="evt_r1")
    )
    await processed(client)
    order = await Order.get(id=order.id)
    assert order.status == OrderStatus.PARTIALLY_REFUNDED
    assert order.refunded_amount == 200
    full = refunded_charge(stripe_fixtures, "pi_refund", 1000, full=True)
    await post_event(
        client, stripe_event(stripe_fixtures, "charge.refunded", full, event_id="evt_r2")
    )
    await processed(client)
    assert (await Order.get(id=order.id)).status == OrderStatus.REFUNDED


async def test_refund_arriving_before_the_payment_is_retried(client, stripe_fixtures):
    order = await pending_order()
    refund = refunded_charge(stripe_fixtures, "pi_early", 1000, full=True)
    await post_event(
        client, stripe_event(stripe_fixtures, "charge.refunded", refund, event_id="evt_early")
    )
    await processed(client)
    row = await WebhookEvent.get(event_id="evt_early")
    assert (row.status, row.attempts) == (InboxStatus.RECEIVED, 1)
    session = checkout_session(stripe_fixtures, order_id=order.id, payment_intent="pi_early")
    await post_event(
        client,
        stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_late"),
    )
    await processed(client)
    # The scheduled retry (here: the resume a restart would do) applies the refund.
    await client.app[INBOX_WORKER].resume()
    await processed(client)
    assert (await WebhookEvent.get(event_id="evt_early")).status == InboxStatus.PROCESSED
    assert (await Order.get(id=order.id)).status == OrderStatus.REFUNDED


async def test_dispute_created_then_won_restores_the_order(client, stripe_fixtures):
    order = await pending_order()
    session = checkout_session(stripe_fixtures, order_id=order.id, payment_intent="pi_disp")
    await post_event(
        client,
        stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_d0"),
    )
    dispute = copy.deepcopy(stripe_fixtures["dispute"])
    dispute.update(payment_intent="pi_disp", status="needs_response")
    await post_event(
        client,
        stripe_event(stripe_fixtures, "charge.dispute.created", dispute, event_id="evt_d1"),
    )
    await processed(client)
    assert (await Order.get(id=order.id)).status == OrderStatus.DISPUTED
    closed = dict(dispute, status="won")
    await post_event(
        client, stripe_event(stripe_fixtures, "charge.dispute.closed", closed, event_id="evt_d2")
    )
    await processed(client)
    assert (await Order.get(id=order.id)).status == OrderStatus.PAID


async def test_events_out_of_order_end_like_in_order(client, stripe_fixtures):
    order = await pending_order()
    session = checkout_session(stripe_fixtures, order_id=order.id, payment_intent="pi_ooo")
    expired = dict(session, status="expired", payment_status="unpaid")
    # The expiry arrives after the payment although it was sent first: the payment stands.
    await post_event(
        client,
        stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_o1"),
    )
    await post_event(
        client,
        stripe_event(stripe_fixtures, "checkout.session.expired", expired, event_id="evt_o2"),
    )
    await processed(client)
    assert (await Order.get(id=order.id)).status == OrderStatus.PAID


async def test_topup_credits_the_wallet_once(client, stripe_fixtures, settings, http, fake_stripe):
    link = await create_topup_checkout(
        settings, http, discord_user_id=BUYER, amount=2500, reference="t1"
    )
    session = fake_stripe.pay(link.session_id)
    assert session["metadata"]["kind"] == "topup"
    completed = stripe_event(
        stripe_fixtures, "checkout.session.completed", session, event_id="evt_t1"
    )
    succeeded = stripe_event(
        stripe_fixtures, "checkout.session.async_payment_succeeded", session, event_id="evt_t2"
    )
    for body in (completed, completed, succeeded):
        assert (await post_event(client, body)).status == 200
    await processed(client)
    customer = await Customer.get(discord_id=BUYER)
    assert customer.balance == 2500
    assert await WalletTransaction.filter(customer_id=customer.id).count() == 1


async def test_sessions_of_other_integrations_are_stored_and_ignored(client, stripe_fixtures):
    session = copy.deepcopy(stripe_fixtures["checkout.session"])  # no metadata: not ours
    body = stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_x")
    assert (await post_event(client, body)).status == 200
    plan = stripe_event(stripe_fixtures, "plan.created", {"id": "plan_1"}, event_id="evt_plan")
    assert (await post_event(client, plan)).status == 200
    await processed(client)
    statuses = {r.event_id: r.status for r in await WebhookEvent.all()}
    assert statuses == {"evt_x": InboxStatus.IGNORED, "evt_plan": InboxStatus.IGNORED}


async def test_order_ids_no_order_of_ours_can_have_are_ignored_not_failed(client, stripe_fixtures):
    """Found by the signed fuzz: 30 digits overflowed the id column and failed for ever."""
    huge = "9" * 30
    session = copy.deepcopy(stripe_fixtures["checkout.session"])
    session["metadata"] = {"order_id": huge}
    body = stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_h1")
    assert (await post_event(client, body)).status == 200
    charge = copy.deepcopy(stripe_fixtures["charge"])
    charge.update(metadata={"order_id": huge}, amount_refunded=100, refunded=False)
    refund = stripe_event(stripe_fixtures, "charge.refunded", charge, event_id="evt_h2")
    assert (await post_event(client, refund)).status == 200
    await processed(client)
    rows = {r.event_id: r for r in await WebhookEvent.all()}
    assert rows["evt_h1"].status == InboxStatus.IGNORED, rows["evt_h1"].error
    assert rows["evt_h2"].status != InboxStatus.FAILED, rows["evt_h2"].error
    assert "Overflow" not in rows["evt_h2"].error


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_wrong_method_is_405(client, method):
    response = await client.request(method, URL)
    assert response.status == 405
    assert "POST" in response.headers["Allow"]


async def test_disabled_stripe_answers_404(make_client, settings):
    disabled = dataclasses.replace(
        settings, stripe=dataclasses.replace(settings.stripe, api_key="")
    )
    client = await make_client(disabled)
    response = await client.post(URL, data="{}", headers=stripe_headers("{}"))
    assert response.status == 404
    assert await WebhookEvent.all().count() == 0


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
async def test_signed_garbage_is_400_or_stored_never_500(client, body):
    try:
        text = body.decode()
    except UnicodeDecodeError:
        text = None
    headers = stripe_headers(text) if text is not None else {"Stripe-Signature": "t=1,v1=ab"}
    response = await client.post(URL, data=body, headers=headers)
    assert response.status in (200, 400, 401)
    if text is None:
        assert response.status == 401
