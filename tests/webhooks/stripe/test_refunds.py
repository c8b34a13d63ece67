"""Admin refunds of card orders move the money at Stripe once, and the webhook after agrees."""

from __future__ import annotations

import copy

import pytest

from models.base import JobKind, OrderStatus
from models.errors import InvalidInput, InvalidTransition
from models.orders.tables import Order, OrderEvent
from models.outbox.tables import Job
from tests.webhooks.helpers import checkout_session, processed, stripe_event
from tests.webhooks.stripe.test_stripe import pending_order, post_event
from webhooks.errors import RefundNotMade
from webhooks.refunds import refund_order
from webhooks.stripe.checkout import create_checkout

ADMIN = 323456789012345678


async def paid_card_order(client, stripe_fixtures, fake_stripe, settings, http) -> Order:
    """A VIP order paid through the Stripe stand-in, its completion webhook processed."""
    order = await pending_order()
    link = await create_checkout(settings, http, order, settings.product("vip"), discord_user_id=1)
    session = fake_stripe.pay(link.session_id)
    body = stripe_event(
        stripe_fixtures, "checkout.session.completed", session, event_id=f"evt_paid_{order.id}"
    )
    assert (await post_event(client, body)).status == 200
    await processed(client)
    order = await Order.get(id=order.id)
    assert order.status is OrderStatus.PAID and order.payment_ref
    return order


async def post_refunded_charge(client, stripe_fixtures, fake_stripe, order, event_id: str):
    """charge.refunded as Stripe sends it after the refund: the charge as it is now."""
    charge = copy.deepcopy(stripe_fixtures["charge"])
    charge.update(fake_stripe.refunded_charge(order.payment_ref))
    body = stripe_event(stripe_fixtures, "charge.refunded", charge, event_id=event_id)
    assert (await post_event(client, body)).status == 200
    await processed(client)


def refund_requests(fake_stripe) -> int:
    return fake_stripe.requests.count(("POST", "/v1/refunds"))


async def test_full_refund_calls_stripe_once_and_the_webhook_does_not_refund_again(
    client, stripe_fixtures, fake_stripe, settings, http
):
    order = await paid_card_order(client, stripe_fixtures, fake_stripe, settings, http)
    done = await refund_order(
        settings, http, order.number, amount_text=None, actor_id=ADMIN, note="asked"
    )
    assert done.result is not None and done.result.status is OrderStatus.REFUNDED
    (refund,) = fake_stripe.refunds.values()
    assert refund["payment_intent"] == order.payment_ref and refund["amount"] == 1000
    assert any(refund["id"] in line and "Stripe refunded $10.00" in line for line in done.lines)
    # The second click is refused before Stripe is asked again.
    with pytest.raises(InvalidTransition, match="cannot be refunded now"):
        await refund_order(settings, http, order.number, amount_text=None, actor_id=ADMIN)
    assert refund_requests(fake_stripe) == 1

    revokes = await Job.filter(order_id=order.id, kind=JobKind.REVOKE_ROLE).count()
    await post_refunded_charge(client, stripe_fixtures, fake_stripe, order, "evt_refunded")
    order = await Order.get(id=order.id)
    assert (order.status, order.refunded_amount) == (OrderStatus.REFUNDED, 1000)
    assert len(fake_stripe.refunds) == 1
    assert await Job.filter(order_id=order.id, kind=JobKind.REVOKE_ROLE).count() == revokes
    admin_event = await OrderEvent.get(order_id=order.id, cause="admin:refund")
    assert admin_event.actor_id == ADMIN and admin_event.reference == f"refund:{refund['id']}"


async def test_the_same_partial_refund_twice_is_one_refund_at_stripe(
    client, stripe_fixtures, fake_stripe, settings, http
):
    order = await paid_card_order(client, stripe_fixtures, fake_stripe, settings, http)
    first = await refund_order(settings, http, order.number, amount_text="3", actor_id=ADMIN)
    again = await refund_order(settings, http, order.number, amount_text="3.00", actor_id=ADMIN)
    assert first.result is not None and first.result.status is OrderStatus.PARTIALLY_REFUNDED
    assert again.result is not None and not again.result.applied
    assert any("already recorded" in line for line in again.lines)
    assert [r["amount"] for r in fake_stripe.refunds.values()] == [300]
    await post_refunded_charge(client, stripe_fixtures, fake_stripe, order, "evt_partial")
    order = await Order.get(id=order.id)
    assert (order.status, order.refunded_amount) == (OrderStatus.PARTIALLY_REFUNDED, 300)
    # The rest, then: Stripe refunds what is left and the order is refunded.
    rest = await refund_order(settings, http, order.number, amount_text=None, actor_id=ADMIN)
    assert rest.result is not None and rest.result.status is OrderStatus.REFUNDED
    assert sorted(r["amount"] for r in fake_stripe.refunds.values()) == [300, 700]


async def test_a_refusal_by_stripe_changes_nothing_and_says_why(
    client, stripe_fixtures, fake_stripe, settings, http
):
    order = await paid_card_order(client, stripe_fixtures, fake_stripe, settings, http)
    # Refunded in the Stripe dashboard already: Stripe refuses a second refund.
    fake_stripe.payments[order.payment_ref]["amount_refunded"] = 1000
    with pytest.raises(RefundNotMade) as refused:
        await refund_order(settings, http, order.number, amount_text=None, actor_id=ADMIN)
    assert "already been refunded" in refused.value.message
    assert "Nothing was changed" in refused.value.message
    after = await Order.get(id=order.id)
    assert (after.status, after.refunded_amount) == (OrderStatus.PAID, 0)
    assert not await OrderEvent.filter(order_id=order.id, cause="admin:refund").exists()
    assert not fake_stripe.refunds


async def test_stripe_unreachable_changes_nothing(
    client, stripe_fixtures, fake_stripe, settings, http
):
    order = await paid_card_order(client, stripe_fixtures, fake_stripe, settings, http)
    fake_stripe.fail_next(503, 503, 503)  # the stripe library retries twice
    with pytest.raises(RefundNotMade, match="not reachable"):
        await refund_order(settings, http, order.number, amount_text=None, actor_id=ADMIN)
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    assert not fake_stripe.refunds


async def test_amounts_that_cannot_be_refunded_are_refused_before_stripe(
    client, stripe_fixtures, fake_stripe, settings, http
):
    order = await paid_card_order(client, stripe_fixtures, fake_stripe, settings, http)
    for text in ("10.01", "0", "-1", "ten", "1.001"):
        with pytest.raises(InvalidInput):
            await refund_order(settings, http, order.number, amount_text=text, actor_id=ADMIN)
    assert refund_requests(fake_stripe) == 0
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID


async def test_a_session_without_a_payment_is_refunded_in_records_with_a_line(
    client, stripe_fixtures, settings, http
):
    # Paid by an admin "complete" (no Stripe payment intent): Stripe cannot refund it.
    order = await pending_order()
    session = checkout_session(stripe_fixtures, order_id=order.id, payment_intent=None)
    body = stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_np")
    await post_event(client, body)
    await processed(client)
    done = await refund_order(settings, http, order.number, amount_text=None, actor_id=ADMIN)
    assert done.result is not None and done.result.status is OrderStatus.REFUNDED
    assert any("in the Stripe dashboard" in line and "yourself" in line for line in done.lines)
