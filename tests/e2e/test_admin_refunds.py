"""/admin processorder refund end to end: the money goes back through Stripe, exactly once."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from demo.emulator import DiscordEmulator
from demo.fakes.stripe_api import FakeStripe
from models.base import OrderStatus, PaymentMethod
from models.orders.actions import attach_checkout
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.purchases import start_checkout
from models.orders.tables import Order, OrderEvent
from tests.discord_plugin import RunningBot
from tests.e2e.stripe_bot import bot_env  # noqa: F401  (the module's fixture)
from tests.e2e.test_admin import WAIT, admin_reply, text_of

pytestmark = pytest.mark.e2e


async def card_order(fake: FakeStripe, discord_id: int) -> Order:
    """A VIP order paid by card: the checkout, its PaymentIntent at the stand-in, the payment."""
    order = await start_checkout(
        discord_id,
        "vip",
        payment_method=PaymentMethod.STRIPE,
        reference=secrets.token_hex(4),
        expires_at=datetime.now(UTC) + timedelta(hours=1),
    )
    payment_intent = fake.add_payment(order.amount, order_id=str(order.id))
    await attach_checkout(order.id, checkout_id=f"cs_test_{order.id}")
    await apply_payment_event(
        PaymentEvent(
            source=order.source,
            order_id=order.id,
            status=PaymentStatus.PAID,
            cause="stripe:checkout.session.completed",
            reference=f"evt_{order.id}",
            payment_method=PaymentMethod.STRIPE,
            payment_ref=payment_intent,
        )
    )
    return await Order.get(id=order.id)


async def test_refund_by_card_is_made_at_stripe_once_even_when_asked_twice(
    stockroom: RunningBot, discord_emulator: DiscordEmulator, fake_stripe: FakeStripe
) -> None:
    world = discord_emulator.world
    order = await card_order(fake_stripe, world.alice.id)
    await discord_emulator.has_role(world.alice, world.customer_role, within=WAIT)

    reply = await admin_reply(
        discord_emulator,
        world.admin,
        "admin processorder",
        order=order.number,
        action="refund",
        reason="asked by buyer",
    )
    shown = text_of(reply)
    (refund,) = fake_stripe.refunds.values()
    assert f"Stripe refunded $10.00 ({refund['id']}, succeeded)" in shown
    assert "refunded" in shown.split("Status", 1)[1]
    await discord_emulator.has_role(world.alice, world.customer_role, present=False, within=WAIT)

    again = await admin_reply(
        discord_emulator, world.admin, "admin processorder", order=order.number, action="refund"
    )
    assert "cannot be refunded now" in again.content
    assert fake_stripe.requests.count(("POST", "/v1/refunds")) == 1
    await order.refresh_from_db()
    assert (order.status, order.refunded_amount) == (OrderStatus.REFUNDED, 1000)
    event = await OrderEvent.get(order_id=order.id, cause="admin:refund")
    assert event.actor_id == world.admin.id


async def test_a_refund_stripe_refuses_is_explained_and_changes_nothing(
    stockroom: RunningBot, discord_emulator: DiscordEmulator, fake_stripe: FakeStripe
) -> None:
    world = discord_emulator.world
    order = await card_order(fake_stripe, world.bob.id)
    fake_stripe.payments[order.payment_ref]["amount_refunded"] = order.amount
    reply = await admin_reply(
        discord_emulator, world.admin, "admin processorder", order=order.number, action="refund"
    )
    assert "already been refunded" in reply.content and "Nothing was changed" in reply.content
    await order.refresh_from_db()
    assert order.status is OrderStatus.PAID
    assert not await OrderEvent.filter(order_id=order.id, cause="admin:refund").exists()
