"""Coupons end to end: /admin coupon, the shop's coupon modal, wallet and Stripe at the
discounted price, a refund giving the use back, and every bad coupon refused saying which."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cogs.shop.panel import post_shop_panel
from demo.emulator import DiscordEmulator
from demo.emulator.state import Message
from demo.fakes.stripe_api import FakeStripe
from models.audit.tables import AuditEntry
from models.base import OrderStatus
from models.coupons.actions import add_coupon
from models.coupons.tables import Coupon, CouponKind
from models.customers import wallet
from models.orders.tables import Order
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot
from tests.e2e.stripe_bot import bot_env  # noqa: F401  (the module's fixture)
from tests.e2e.test_admin import admin_reply, text_of

pytestmark = pytest.mark.e2e

CONFIG = """
[[products]]
key = "game-key"
name = "Game key"
kind = "code"
price = 1000
currency = "USD"

[[products]]
key = "vip"
name = "VIP"
kind = "role"
price = 2000
currency = "USD"
"""
CODES = [f"GAME-{n:04d}-KEY" for n in range(6)]
PAY_WALLET = "shop:pay:wallet:game-key:1"


@pytest.fixture
def bot_config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return path


@pytest.fixture
async def shop(stockroom: RunningBot) -> RunningBot:
    await add_stock("game-key", CODES, stockroom.bot.cipher)
    return stockroom


async def payment_step(running: RunningBot, who: str = "alice") -> Message:
    emulator = running.emulator
    channel = running.bot.get_channel(emulator.world.shop_channel.id)
    panel = emulator.world.messages[(await post_shop_panel(running.bot, channel)).id]
    shop = await emulator.reply(await emulator.click(who, panel, "panel:shop"))
    return await emulator.reply(await emulator.select(who, shop, "shop:product", ["game-key"]))


async def enter_coupon(emulator: DiscordEmulator, step: Message, code: str, who: str = "alice"):
    """Clicks "I have a coupon" and submits the modal; the interaction of the submit."""
    asked = await emulator.click(who, step, "shop:coupon:game-key:1")
    modal = await emulator.modal(asked)
    assert modal["title"] == "I have a coupon"
    return await emulator.submit_modal(who, asked, {"code": code})


async def test_admin_adds_lists_and_withdraws_a_coupon_audited(
    shop: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    added = await admin_reply(
        discord_emulator,
        world.admin,
        "admin coupon add",
        coupon="save10",
        kind="percent",
        value="10",
        products="game-key",
        max_uses=50,
        once_per_customer=True,
        valid_until="2030-01-01",
    )
    shown = text_of(added)
    assert "Coupon added" in shown and "SAVE10" in shown
    assert "10% off · game-key" in shown and "0 of 50 used · once per customer" in shown
    coupon = await Coupon.get(code="SAVE10")
    assert coupon.valid_until == datetime(2030, 1, 1, tzinfo=UTC)
    assert coupon.created_by == world.admin.id

    refused = await admin_reply(
        discord_emulator, world.admin, "admin coupon add", coupon="X1", kind="fixed", value="1"
    )
    assert "3 to 14 letters" in refused.content
    bad_date = await admin_reply(
        discord_emulator,
        world.admin,
        "admin coupon add",
        coupon="LATER",
        kind="percent",
        value="5",
        valid_from="tomorrow",
    )
    assert "valid_from: write a UTC date" in bad_date.content
    assert await Coupon.all().count() == 1

    listing = text_of(await admin_reply(discord_emulator, world.admin, "admin coupon list"))
    assert "SAVE10" in listing
    withdrawn = await admin_reply(
        discord_emulator, world.admin, "admin coupon disable", coupon="save10"
    )
    assert "Coupon withdrawn" in text_of(withdrawn) and "withdrawn" in text_of(withdrawn)
    assert not (await Coupon.get(code="SAVE10")).active
    empty = text_of(await admin_reply(discord_emulator, world.admin, "admin coupon list"))
    assert "No coupons yet" in empty
    audited = await AuditEntry.filter(action__startswith="coupon").values_list(
        "action", "target", flat=False
    )
    assert ("coupon add", "save10") in audited and ("coupon disable", "save10") in audited


async def test_a_buyer_applies_a_coupon_and_the_wallet_is_charged_the_discount(
    shop: RunningBot,
) -> None:
    emulator = shop.emulator
    alice = emulator.world.alice
    await wallet.credit(alice.id, 5000, reference="topup-coupon")
    await add_coupon("SAVE25", CouponKind.PERCENT, "25", products=["game-key"], max_uses=10)
    step = await payment_step(shop)
    assert "shop:coupon:game-key:1" in step.custom_ids()

    updated = await emulator.reply(await enter_coupon(emulator, step, " save25 "))
    assert updated.id == step.id  # the payment step itself shows the new price
    assert "~~$10.00~~ $7.50" in updated.embeds[0]["description"]
    assert "SAVE25: -$2.50" in text_of(updated)
    assert f"{PAY_WALLET}:SAVE25" in updated.custom_ids()
    button = next(
        c
        for row in updated.components
        for c in row["components"]
        if c.get("custom_id") == f"{PAY_WALLET}:SAVE25"
    )
    assert button["label"] == "Pay $7.50 from wallet"

    paid = await emulator.reply(await emulator.click("alice", updated, f"{PAY_WALLET}:SAVE25"))
    assert "Paid" in text_of(paid) and "$7.50" in text_of(paid)
    assert await wallet.balance(alice.id) == 5000 - 750
    order = await Order.get(customer__discord_id=alice.id)
    assert order.amount == 750
    assert order.details["coupon"] == {"code": "SAVE25", "discount": 250, "list_price": 1000}
    assert (await Coupon.get(code="SAVE25")).uses == 1
    await emulator.next_dm("alice")  # the codes arrive as usual


async def test_a_stripe_checkout_with_a_coupon_sends_the_discounted_amount(
    shop: RunningBot, fake_stripe: FakeStripe
) -> None:
    emulator = shop.emulator
    await add_coupon("TWO", CouponKind.FIXED, "2.00", products=[], currency="USD")
    step = await payment_step(shop)
    updated = await emulator.reply(await enter_coupon(emulator, step, "two"))
    reply = await emulator.reply(
        await emulator.click("alice", updated, "shop:pay:stripe:game-key:1:TWO")
    )
    assert "~~$10.00~~ $8.00" in text_of(reply)
    ((session_id, session),) = fake_stripe.sessions.items()
    assert session["amount_total"] == 800
    (line,) = fake_stripe.created_params[-1]["line_items"]
    assert int(line["price_data"]["unit_amount"]) == 800
    assert line["price_data"]["product_data"]["description"] == "Coupon TWO: $2.00 off $10.00"
    order = await Order.get(checkout_id=session_id)
    assert order.amount == 800 and order.status is OrderStatus.PENDING
    assert (await Coupon.get(code="TWO")).uses == 1


async def test_a_refund_gives_the_coupon_use_back(
    shop: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    await wallet.credit(world.alice.id, 5000, reference="topup-refund")
    await add_coupon("ONLY1", CouponKind.PERCENT, "50", products=[], max_uses=1)
    step = await payment_step(shop)
    updated = await discord_emulator.reply(await enter_coupon(discord_emulator, step, "ONLY1"))
    await discord_emulator.reply(
        await discord_emulator.click("alice", updated, f"{PAY_WALLET}:ONLY1")
    )
    order = await Order.get(customer__discord_id=world.alice.id)
    assert (await Coupon.get(code="ONLY1")).uses == 1
    view = await admin_reply(discord_emulator, world.admin, "admin order", number=order.number)
    assert "Coupon ONLY1: $5.00 off $10.00" in text_of(view)

    reply = await admin_reply(
        discord_emulator,
        world.admin,
        "admin processorder",
        order=order.number,
        action="refund",
        reason="coupon test",
    )
    assert "refunded" in text_of(reply)
    assert (await Order.get(id=order.id)).status is OrderStatus.REFUNDED
    assert await wallet.balance(world.alice.id) == 5000  # the 5.00 paid came back
    assert (await Coupon.get(code="ONLY1")).uses == 0
    again = await payment_step(shop, "bob")
    usable = await discord_emulator.reply(
        await enter_coupon(discord_emulator, again, "only1", "bob")
    )
    assert "~~$10.00~~ $5.00" in usable.embeds[0]["description"]


async def test_bad_coupons_are_refused_saying_which_and_change_nothing(shop: RunningBot) -> None:
    emulator = shop.emulator
    alice = emulator.world.alice
    await wallet.credit(alice.id, 5000, reference="topup-bad")
    now = datetime.now(UTC)
    await add_coupon("OLD", CouponKind.PERCENT, "10", products=[], valid_until=now - timedelta(1))
    await add_coupon("GONE", CouponKind.PERCENT, "10", products=[], max_uses=1)
    await Coupon.filter(code="GONE").update(uses=1)
    await add_coupon("VIPONLY", CouponKind.PERCENT, "10", products=["vip"])
    await add_coupon("ONCE", CouponKind.PERCENT, "10", products=[], once_per_customer=True)
    step = await payment_step(shop)
    used = await emulator.reply(await enter_coupon(emulator, step, "once"))
    await emulator.reply(await emulator.click("alice", used, f"{PAY_WALLET}:ONCE"))
    orders_before = await Order.all().count()
    balance_before = await wallet.balance(alice.id)

    step = await payment_step(shop)
    before = (list(step.embeds), step.custom_ids())
    cases = {
        "NOPE": "There is no coupon NOPE.",
        "old": "The coupon OLD has expired",
        "gone": "The coupon GONE has been used up.",
        "viponly": "The coupon VIPONLY is not for Game key.",
        "once": "You have used the coupon ONCE already.",
        "a b": "A coupon code is 3 to 14 letters, digits or dashes",
    }
    for code, expected in cases.items():
        answer = await emulator.reply(await enter_coupon(emulator, step, code))
        assert answer.ephemeral and answer.id != step.id
        assert expected in answer.content, (code, answer.content)
        step = emulator.world.messages[step.id]
        assert (list(step.embeds), step.custom_ids()) == before  # the step is as it was
    # A pay id naming a used-up coupon (as a client could send) is refused by the order core.
    forged = {"custom_id": f"{PAY_WALLET}:GONE", "component_type": 2}
    refused = await emulator.reply(await emulator._interact("alice", 3, forged, None, step))
    assert refused.ephemeral and "The coupon GONE has been used up." in refused.content
    assert await Order.all().count() == orders_before
    assert await wallet.balance(alice.id) == balance_before
    paid = await emulator.reply(await emulator.click("alice", step, PAY_WALLET))
    assert "Paid" in text_of(paid)  # without a coupon the list price is paid
    assert await wallet.balance(alice.id) == balance_before - 1000
    assert await Order.all().count() == orders_before + 1
    assert {c.code: c.uses for c in await Coupon.all()} == {
        "OLD": 0,
        "GONE": 1,
        "VIPONLY": 0,
        "ONCE": 1,
    }
