"""A top-up charged back after it was spent: the role it bought goes, the admins are told.

"Top up, spend it on something delivered at once, dispute the card payment" is the fraud a
wallet invites. The real bot, the shop panel, the Stripe stand-in and the Discord emulator.
"""

from __future__ import annotations

import pytest

from demo.fakes.stripe_api import FakeStripe
from models.customers import wallet
from models.orders.tables import Order
from tests.discord_plugin import RunningBot
from tests.e2e.stripe_bot import bot_env, post_stripe_event  # noqa: F401 (bot_env: a fixture)
from tests.e2e.test_shop_payments import link_buttons, open_panel, until
from tests.webhooks.stripe.test_topup_clawback import dispute

pytestmark = pytest.mark.e2e
WAIT = 15.0


async def test_a_disputed_topup_takes_back_the_role_it_paid_for_and_alerts_the_admins(
    stockroom: RunningBot, fake_stripe: FakeStripe, stripe_fixtures: dict
) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    alice = world.alice
    panel = await open_panel(stockroom)

    # Alice tops up $15 by card.
    wallet_view = await emulator.reply(await emulator.click("alice", panel, "panel:wallet"))
    shown = await emulator.click("alice", wallet_view, "wallet:topup:stripe")
    await emulator.modal(shown)
    answer = await emulator.reply(await emulator.submit_modal("alice", shown, {"amount": "15"}))
    assert link_buttons(answer), answer.content
    (session_id,) = fake_stripe.sessions
    paid = fake_stripe.pay(session_id)
    await post_stripe_event(stockroom, stripe_fixtures, "checkout.session.completed", paid, "evt_t")
    await until(lambda: _balance_is(alice.id, 1500), "the top-up to be credited")

    # She spends $10 of it on VIP access, a role delivered at once.
    shop = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    step = await emulator.reply(await emulator.select("alice", shop, "shop:product", ["vip"]))
    receipt = await emulator.reply(await emulator.click("alice", step, "shop:pay:wallet:vip:1"))
    assert "paid" in str(receipt.embeds).lower(), receipt.content
    await emulator.has_role("alice", world.customer_role, within=WAIT)
    (vip,) = await Order.filter(product__key="vip")

    # Then she disputes the card payment.
    opened = dispute(stripe_fixtures, paid["payment_intent"], "needs_response")
    opened["amount"] = 1500
    await post_stripe_event(stockroom, stripe_fixtures, "charge.dispute.created", opened, "evt_d")

    await emulator.has_role("alice", world.customer_role, present=False, within=WAIT)
    alert = await emulator.wait_until(
        lambda: next(
            (
                m
                for m in world.channel_messages(world.admin_channel.id)
                if "Top-up clawed back" in str(m.embeds)
            ),
            None,
        ),
        "the clawback alert in the admin channel",
        within=WAIT,
    )
    text = str(alert.embeds)
    for part in (f"<@{alice.id}>", "$15.00", "-$10.00", vip.number):
        assert part in text, part
    assert await wallet.balance(alice.id) == -1000 == await wallet.ledger_sum(alice.id)

    # In debt, she cannot buy again, and is told why.
    shop = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    step = await emulator.reply(await emulator.select("alice", shop, "shop:product", ["vip"]))
    again = await emulator.reply(await emulator.click("alice", step, "shop:pay:wallet:vip:1"))
    assert again.ephemeral and "owes" in again.content, again.content


async def _balance_is(discord_id: int, amount: int) -> bool:
    return await wallet.balance(discord_id) == amount
