"""A drop through the shop panel: holds decide who may pay, in time for Discord's 3 s window.

The real bot against the Discord emulator (which refuses a first response later than 3 s,
as Discord does) and the Stripe stand-in; Stripe's callbacks are posted to the bot's port.
"""

from __future__ import annotations

import asyncio
import sys

import pytest

from demo.fakes.stripe_api import FakeStripe
from models.base import OrderStatus
from models.orders.tables import Order
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot
from tests.e2e.test_shop_payments import (  # noqa: F401 (bot_env, bot_config_path: fixtures)
    bot_config_path,
    bot_env,
    link_buttons,
    open_panel,
    post_webhook,
    until,
)
from tests.webhooks.helpers import stripe_event, stripe_headers

pytestmark = pytest.mark.e2e

PAY_STRIPE = "shop:pay:stripe:voucher:1"


async def payment_step_for(running: RunningBot, who: str, panel):
    emulator = running.emulator
    shop = await emulator.reply(await emulator.click(who, panel, "panel:shop"))
    step = await emulator.reply(await emulator.select(who, shop, "shop:product", ["voucher"]))
    return await emulator.reply(await emulator.select(who, step, "shop:pkg:voucher", ["1"]))


async def test_the_last_code_is_held_for_the_first_checkout_and_freed_when_it_expires(
    stockroom: RunningBot, fake_stripe: FakeStripe, stripe_fixtures: dict
) -> None:
    emulator = stockroom.emulator
    await add_stock("voucher", ["V-LAST"], stockroom.bot.cipher)
    panel = await open_panel(stockroom)
    alice_step = await payment_step_for(stockroom, "alice", panel)
    bob_step = await payment_step_for(stockroom, "bob", panel)

    alice_reply = await emulator.reply(await emulator.click("alice", alice_step, PAY_STRIPE))
    assert link_buttons(alice_reply), alice_reply.content
    (alice_session,) = fake_stripe.sessions

    refused = await emulator.reply(await emulator.click("bob", bob_step, PAY_STRIPE))
    assert refused.ephemeral and refused.content == "Game voucher is sold out right now."
    assert list(fake_stripe.sessions) == [alice_session]  # nothing was started at Stripe

    expired = fake_stripe.expire(alice_session)
    body = stripe_event(stripe_fixtures, "checkout.session.expired", expired, event_id="evt_exp")
    assert await post_webhook(stockroom, "/webhooks/stripe", body, stripe_headers(body)) == 200
    alice_order = await Order.get(checkout_id=alice_session)
    await until(
        lambda: Order.filter(id=alice_order.id, status=OrderStatus.EXPIRED).exists(),
        "Alice's checkout to expire",
    )

    bob_reply = await emulator.reply(await emulator.click("bob", bob_step, PAY_STRIPE))
    assert link_buttons(bob_reply), bob_reply.content
    bob_session = next(s for s in fake_stripe.sessions if s != alice_session)
    paid = fake_stripe.pay(bob_session)
    body = stripe_event(stripe_fixtures, "checkout.session.completed", paid, event_id="evt_bob")
    assert await post_webhook(stockroom, "/webhooks/stripe", body, stripe_headers(body)) == 200
    dm = await emulator.next_dm("bob")
    assert "V-LAST" in dm.embeds[0]["description"]


async def test_a_hold_that_waits_on_a_busy_drop_still_answers_within_three_seconds(
    stockroom: RunningBot, fake_stripe: FakeStripe, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a drop the hold can queue behind other buyers' transactions: the buyer must still
    get Discord's first response in time, or the click fails with "interaction failed"."""
    emulator = stockroom.emulator
    await add_stock("voucher", ["V-1111"], stockroom.bot.cipher)
    # The running bot's module: unloading an extension drops its modules from sys.modules,
    # so a module imported here before an earlier test's bot stopped may not be the one used.
    buying = sys.modules["cogs.shop.buying"]
    real_start_checkout = buying.start_checkout

    async def behind_a_crowd(*args, **kwargs):
        await asyncio.sleep(3.5)  # longer than Discord waits for a first response
        return await real_start_checkout(*args, **kwargs)

    monkeypatch.setattr(buying, "start_checkout", behind_a_crowd)
    panel = await open_panel(stockroom)
    step = await payment_step_for(stockroom, "alice", panel)
    ix = await emulator.click("alice", step, PAY_STRIPE)
    reply = await emulator.reply(ix, within=15)
    assert reply.ephemeral and link_buttons(reply), reply.content
    assert len(fake_stripe.sessions) == 1
