"""A monthly subscription end to end: bought by card, a failed renewal, grace, lapse, renewal.

The real bot runs against the Discord emulator and the Stripe stand-in; Stripe's events are
posted signed to the bot's webhook port. Time moves with the shop's injected clock (the
stand-in reads the same clock for its periods), and the minute sweep is called directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from demo.fakes.stripe_api import FakeStripe
from models import clock
from models.base import OrderStatus
from models.orders.tables import Order
from models.subscriptions.state import RENEWAL_ALLOWANCE
from models.subscriptions.tables import Subscription
from tests.discord_plugin import RunningBot
from tests.e2e.stripe_bot import bot_env, post_stripe_event  # noqa: F401 (bot_env: a fixture)
from tests.e2e.test_admin import admin_reply, fields_of, text_of
from tests.e2e.test_shop_payments import link_buttons, open_panel, until
from tests.webhooks.stripe.subscription_objects import shaped

pytestmark = pytest.mark.e2e
WAIT = 15.0


@pytest.fixture(autouse=True)
def injected_clock(fake_stripe: FakeStripe) -> Iterator[None]:
    clock.reset()
    fake_stripe.billing.now = lambda: clock.now().timestamp()
    yield
    clock.reset()


async def send(running: RunningBot, fixtures: dict, kind: str, obj: dict, event_id: str) -> None:
    """Posts the event as Stripe would now (by the injected clock), signed at the real time."""
    resource = obj.get("object")
    full = shaped(fixtures, resource, obj) if resource in ("invoice", "subscription") else obj
    created = int(clock.now().timestamp())
    await post_stripe_event(running, fixtures, kind, full, event_id, created=created)


def period_end(invoice: dict) -> datetime:
    return datetime.fromtimestamp(invoice["lines"]["data"][0]["period"]["end"], UTC)


async def test_a_monthly_subscription_keeps_its_role_through_grace_lapses_and_renews(
    stockroom: RunningBot, fake_stripe: FakeStripe, stripe_fixtures: dict
) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    role = world.customer_role
    sweep = stockroom.bot.get_cog("Maintenance").sweep
    panel = await open_panel(stockroom)

    # The subscription is sold by card only, and the shop says why.
    shop = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    step = await emulator.reply(
        await emulator.select("alice", shop, "shop:product", ["vip-monthly"])
    )
    assert step.custom_ids() == ["shop:pay:stripe:vip-monthly:1"]
    assert "Card only" in str(step.embeds) and "every month" in str(step.embeds)
    answer = await emulator.reply(
        await emulator.click("alice", step, "shop:pay:stripe:vip-monthly:1")
    )
    (session_id,) = fake_stripe.sessions
    assert link_buttons(answer)[0]["url"] == fake_stripe.sessions[session_id]["url"]
    assert fake_stripe.sessions[session_id]["mode"] == "subscription"

    # Alice subscribes: the role is hers until the first period ends.
    session = fake_stripe.pay(session_id)
    sub_id = session["subscription"]
    first = fake_stripe.billing.invoices[session["invoice"]]
    await send(stockroom, stripe_fixtures, "checkout.session.completed", session, "evt_checkout")
    await send(stockroom, stripe_fixtures, "invoice.paid", first, "evt_paid_1")
    await emulator.has_role("alice", role, within=WAIT)
    (order,) = await Order.filter(product__key="vip-monthly")
    renewing = period_end(first) + RENEWAL_ALLOWANCE
    await until(lambda: _access_is(order.id, renewing), "access past the period end")

    # A month on, the period ends; Stripe has not charged the renewal yet: the role stays.
    clock.advance(period_end(first) - clock.now() + timedelta(minutes=5))
    await sweep()
    assert role.id in world.member(world.alice.id).roles

    # The renewal fails: the role stays through the grace period, a DM links the portal.
    failed = fake_stripe.billing.invoice(sub_id, paid=False)
    await send(stockroom, stripe_fixtures, "invoice.payment_failed", failed, "evt_failed_2")
    dm = await emulator.next_dm("alice", where=lambda m: "failed" in str(m.embeds), within=WAIT)
    (portal,) = fake_stripe.billing.portal_sessions
    assert portal["url"] in dm.embeds[0]["description"]
    assert portal["customer"] == fake_stripe.billing.subscriptions[sub_id]["customer"]
    await until(lambda: _status_is(sub_id, "past_due"), "the subscription to be past due")
    await sweep()
    assert role.id in world.member(world.alice.id).roles

    # Past the grace period, the sweep takes the role.
    clock.advance(timedelta(days=stockroom.settings.stripe.grace_days, minutes=1))
    await sweep()
    await emulator.has_role("alice", role, present=False, within=WAIT)

    # Alice updates her card; Stripe's retry pays the invoice: the role is back, for a month.
    paid = dict(failed, status="paid", amount_paid=failed["amount_due"], amount_remaining=0)
    await send(stockroom, stripe_fixtures, "invoice.paid", paid, "evt_paid_2")
    await emulator.has_role("alice", role, within=WAIT)
    renewed = period_end(failed) + RENEWAL_ALLOWANCE
    await until(lambda: _access_is(order.id, renewed), "access to the new period end")
    sub = await Subscription.get(stripe_id=sub_id)
    assert (sub.status, sub.renewals, sub.grace_until) == ("active", 1, None)
    assert (await Order.get(id=order.id)).status in (OrderStatus.PAID, OrderStatus.DELIVERED)
    await sweep()
    assert role.id in world.member(world.alice.id).roles

    # The orders feed told the admins of the failed renewal and of the renewal.
    for title in ("Subscription renewal failed", "Subscription renewed"):
        await emulator.wait_until(
            lambda title=title: any(
                title in str(m.embeds) for m in world.channel_messages(world.orders_channel.id)
            ),
            f"the feed entry {title!r}",
            within=WAIT,
        )


async def _access_is(order_id: int, until_: datetime) -> bool:
    return (await Order.get(id=order_id)).access_until == until_


async def _status_is(stripe_id: str, status: str) -> bool:
    row = await Subscription.get_or_none(stripe_id=stripe_id)
    return row is not None and row.status == status


async def _subscribe(running: RunningBot, fake: FakeStripe, fixtures: dict) -> tuple:
    """Alice buys vip-monthly through the panel and Stripe confirms it: (panel, order, sub)."""
    emulator = running.emulator
    panel = await open_panel(running)
    shop = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    step = await emulator.reply(
        await emulator.select("alice", shop, "shop:product", ["vip-monthly"])
    )
    await emulator.reply(await emulator.click("alice", step, "shop:pay:stripe:vip-monthly:1"))
    (session_id,) = fake.sessions
    session = fake.pay(session_id)
    await send(running, fixtures, "checkout.session.completed", session, "evt_checkout")
    await send(running, fixtures, "invoice.paid", fake.billing.invoices[session["invoice"]], "e1")
    await emulator.has_role("alice", emulator.world.customer_role, within=WAIT)
    (order,) = await Order.filter(product__key="vip-monthly")
    return panel, order, session["subscription"]


async def test_my_orders_links_the_portal_and_admins_see_and_cancel_the_subscription(
    stockroom: RunningBot, fake_stripe: FakeStripe, stripe_fixtures: dict
) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    panel, order, sub_id = await _subscribe(stockroom, fake_stripe, stripe_fixtures)
    await until(lambda: _status_is(sub_id, "active"), "the subscription to be stored")

    # My orders: the order's details carry the subscription and a Manage subscription link.
    listing = await emulator.reply(await emulator.click("alice", panel, "panel:orders"))
    details = await emulator.reply(
        await emulator.select("alice", listing, "orders:view", [order.number])
    )
    (portal,) = fake_stripe.billing.portal_sessions
    links = [b for b in link_buttons(details) if b.get("url")]
    assert [(b["label"], b["url"]) for b in links] == [("Manage subscription", portal["url"])]
    assert "renews" in fields_of(details)["Subscription"]

    # /admin customer lists it with its renewal date.
    profile = await admin_reply(emulator, world.admin, "admin customer", user=world.alice)
    line = fields_of(profile)["Subscriptions"]
    assert order.number in line and "active · renews <t:" in line

    # /admin processorder cancel: Stripe stops renewing; the role lasts the paid period.
    reply = await admin_reply(
        emulator, world.admin, "admin processorder", order=order.number, action="cancel"
    )
    assert "cancelled at the end of the paid period" in text_of(reply), text_of(reply)
    assert fake_stripe.billing.subscriptions[sub_id]["cancel_at_period_end"] is True
    assert ("POST", f"/v1/subscriptions/{sub_id}") in fake_stripe.requests
    sub = await Subscription.get(stripe_id=sub_id)
    assert sub.cancel_at_period_end and sub.status == "active"
    assert (await Order.get(id=order.id)).access_until == sub.current_period_end
    again = await admin_reply(
        emulator, world.admin, "admin processorder", order=order.number, action="cancel"
    )
    assert "already ends at its period end" in again.content
    assert role_kept(world)

    # A refund from Discord is refused with what to do instead, and changes nothing: the
    # order carries no payment of its own (each invoice is paid at Stripe).
    requests = len(fake_stripe.requests)
    status = (await Order.get(id=order.id)).status
    refused = await admin_reply(
        emulator, world.admin, "admin processorder", order=order.number, action="refund"
    )
    assert "is a Stripe subscription" in text_of(refused), text_of(refused)
    assert "Nothing was changed" in text_of(refused)
    assert len(fake_stripe.requests) == requests
    assert (await Order.get(id=order.id)).status == status
    assert role_kept(world)


def role_kept(world) -> bool:  # type: ignore[no-untyped-def]
    return world.customer_role.id in world.member(world.alice.id).roles
