"""The shop panel end to end: the real bot, the Discord emulator, a real database."""

from __future__ import annotations

import asyncio

import pytest

from cogs.shop.panel import post_shop_panel
from demo.emulator import DiscordEmulator
from demo.emulator.state import Message
from models.audit.tables import AuditEntry
from models.base import JobKind, JobStatus, OrderStatus
from models.catalog.storefront import get_shop_product, panel_location
from models.customers import wallet
from models.orders.purchases import purchase_with_wallet
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.queries import codes_for_order
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot, StartBot

pytestmark = pytest.mark.e2e

CODES = [f"GAME-{n:04d}-KEY" for n in range(8)]


async def open_panel(running: RunningBot) -> Message:
    """Posts the shop panel in #shop and returns it as the emulator holds it."""
    emulator = running.emulator
    channel = running.bot.get_channel(emulator.world.shop_channel.id)
    posted = await post_shop_panel(running.bot, channel)
    return emulator.world.messages[posted.id]


async def buy_to_payment_step(emulator: DiscordEmulator, panel: Message, who: str, qty: str):
    """Shop → product → package as `who`; returns the ephemeral message at the payment step."""
    shop = await emulator.reply(await emulator.click(who, panel, "panel:shop"))
    assert shop.ephemeral
    assert "shop:product" in shop.custom_ids()
    step = await emulator.reply(await emulator.select(who, shop, "shop:product", ["game-key"]))
    assert step.id == shop.id  # the same ephemeral message moves on to the next step
    assert "shop:pkg:game-key" in step.custom_ids()
    return await emulator.reply(await emulator.select(who, step, "shop:pkg:game-key", [qty]))


async def refusal(emulator: DiscordEmulator, ix) -> str:
    message = await emulator.reply(ix)
    assert message.ephemeral
    return message.content


async def forge(emulator: DiscordEmulator, who: str, message: Message, custom_id: str, **data):
    """A component interaction with an id (and values) the bot never sent, as a client could."""
    payload = {"custom_id": custom_id, "component_type": 3 if "values" in data else 2, **data}
    return await emulator._interact(who, 3, payload, None, message)


@pytest.fixture
async def shop(stockroom: RunningBot) -> RunningBot:
    await add_stock("game-key", CODES, stockroom.bot.cipher)
    return stockroom


async def test_wallet_purchase_pays_and_delivers(shop: RunningBot) -> None:
    emulator = shop.emulator
    alice = emulator.world.alice
    await wallet.credit(alice.id, 5000, reference="test-topup-1")
    panel = await open_panel(shop)
    assert panel.custom_ids() == ["panel:shop", "panel:wallet", "panel:orders"]

    pay_step = await buy_to_payment_step(emulator, panel, "alice", "5")
    # Stripe, QRIS are off; a coupon can be entered.
    assert pay_step.custom_ids() == ["shop:pay:wallet:game-key:5", "shop:coupon:game-key:5"]
    assert "$50.00" in str(pay_step.embeds)  # the balance shown before paying

    ix = await emulator.click("alice", pay_step, "shop:pay:wallet:game-key:5")
    paid = await emulator.reply(ix)
    assert paid.ephemeral and paid.components == []
    (embed,) = paid.embeds
    assert "codes are on their way by DM" in embed["description"]
    order = await Order.get(customer__discord_id=alice.id)
    assert embed["fields"][0]["value"] == order.number
    assert order.status in (OrderStatus.PAID, OrderStatus.DELIVERED)
    assert (order.quantity, order.amount) == (5, 2250)
    assert await wallet.balance(alice.id) == 5000 - 2250
    assert (await get_shop_product("game-key")).available == len(CODES) - 5
    assert await Job.filter(order_id=order.id, kind=JobKind.DELIVER_CODES).exists()

    dm = await emulator.next_dm("alice")
    codes = await codes_for_order(order.id, shop.bot.cipher)
    assert len(codes) == 5 and all(code in dm.embeds[0]["description"] for code in codes)
    assert not any(code in str(paid.embeds) for code in codes)  # never in the shop reply

    wallet_view = await emulator.reply(await emulator.click("alice", panel, "panel:wallet"))
    balance, history = wallet_view.embeds[0]["fields"]
    assert balance["value"] == "$27.50"
    assert "Purchase **-$22.50**" in history["value"] and order.number in history["value"]


async def test_short_wallet_is_refused_and_changes_nothing(shop: RunningBot) -> None:
    emulator = shop.emulator
    bob = emulator.world.bob
    await wallet.credit(bob.id, 1000, reference="test-topup-bob")
    panel = await open_panel(shop)
    pay_step = await buy_to_payment_step(emulator, panel, "bob", "5")

    ix = await emulator.click("bob", pay_step, "shop:pay:wallet:game-key:5")
    text = await refusal(emulator, ix)
    assert "Not enough in your wallet" in text and "$10.00" in text and "$22.50" in text
    assert await wallet.balance(bob.id) == 1000
    assert await wallet.ledger_sum(bob.id) == 1000
    assert (await get_shop_product("game-key")).available == len(CODES)
    assert not await Order.exists()


async def test_forged_and_stale_ids_are_refused_and_change_nothing(shop: RunningBot) -> None:
    emulator = shop.emulator
    alice = emulator.world.alice
    await wallet.credit(alice.id, 10_000, reference="test-topup-forge")
    panel = await open_panel(shop)
    forged = {
        "shop:pay:wallet:game-key:0": {},
        "shop:pay:wallet:game-key:abc": {},
        "shop:pay:cash:game-key:1": {},
        "shop:pay:wallet:GAME KEY:1": {},
        "shop:pkg:game-key:extra": {},
        "wallet:history:-1": {},
        "wallet:topup:wallet": {},
        "orders:resend:../../etc": {},
        "shop:nothing": {},
        "shop:product": {"values": ["game-key", "vip"]},
        "shop:pkg:game-key": {"values": ["1e3"]},
    }
    for custom_id, data in forged.items():
        text = await refusal(emulator, await forge(emulator, "alice", panel, custom_id, **data))
        assert text == "That button is not valid any more. Open the shop panel again.", custom_id
    unknown = {
        "shop:pay:wallet:no-such-product:1": "That product is not for sale any more.",
        "shop:pay:wallet:game-key:3": "Game key is not sold in packs of 3.",
        "shop:product": "That product is not for sale any more.",
    }
    for custom_id, expected in unknown.items():
        data = {"values": ["retired-product"]} if custom_id == "shop:product" else {}
        text = await refusal(emulator, await forge(emulator, "alice", panel, custom_id, **data))
        assert text == expected, custom_id
    assert await wallet.balance(alice.id) == 10_000
    assert (await get_shop_product("game-key")).available == len(CODES)
    assert not await Order.exists()
    assert not await Job.exists()


async def test_my_orders_lists_orders_and_only_the_buyer_may_resend(shop: RunningBot) -> None:
    emulator = shop.emulator
    alice = emulator.world.alice
    await wallet.credit(alice.id, 10_000, reference="test-topup-orders")
    first = await purchase_with_wallet(alice.id, "game-key", quantity=1, reference="t-1")
    second = await purchase_with_wallet(alice.id, "game-key", package_quantity=5, reference="t-2")
    await emulator.next_dm("alice")
    await emulator.next_dm("alice")
    panel = await open_panel(shop)

    listing = await emulator.reply(await emulator.click("alice", panel, "panel:orders"))
    assert listing.ephemeral
    names = [field["name"] for field in listing.embeds[0]["fields"]]
    assert names == [f"Order {second.number}", f"Order {first.number}"]  # newest first
    assert "Delivered" in listing.embeds[0]["fields"][0]["value"]

    details = await emulator.reply(
        await emulator.select("alice", listing, "orders:view", [second.number])
    )
    assert details.embeds[0]["title"] == f"Order {second.number}"
    resend_id = f"orders:resend:{second.number}"
    assert resend_id in details.custom_ids()

    # Bob cannot see Alice's ephemeral message; he can only forge the id. He is refused.
    bob_panel_reply = await emulator.reply(await emulator.click("bob", panel, "panel:orders"))
    assert "no orders yet" in bob_panel_reply.embeds[0]["description"]
    text = await refusal(emulator, await forge(emulator, "bob", panel, resend_id))
    assert text == "You have no order with that number."
    text = await refusal(
        emulator, await forge(emulator, "bob", panel, "orders:view", values=[second.number])
    )
    assert text == "You have no order with that number."
    assert not await Job.filter(
        order_id=second.id, kind=JobKind.DELIVER_CODES, status=JobStatus.PENDING
    ).exists()
    assert not any(m.author.id != emulator.world.bot.id for m in emulator.dms("bob"))

    resent = await emulator.reply(await emulator.click("alice", details, resend_id))
    assert resent.ephemeral and second.number in resent.content
    dm = await emulator.next_dm("alice")
    codes = await codes_for_order(second.id, shop.bot.cipher)
    assert all(code in dm.embeds[0]["description"] for code in codes)
    assert emulator.dms("bob") == []
    (audited,) = await AuditEntry.filter(action="resend")
    assert (audited.actor_id, audited.target) == (alice.id, second.number)

    # A second Resend within the minute is refused with the wait, and changes nothing.
    jobs_before = await Job.filter(order_id=second.id).count()
    text = await refusal(emulator, await emulator.click("alice", details, resend_id))
    wait = text.removeprefix("You can resend again in ").removesuffix(" s.")
    assert text == f"You can resend again in {wait} s." and 50 <= int(wait) <= 60, text
    assert await Job.filter(order_id=second.id).count() == jobs_before
    assert await AuditEntry.filter(action="resend").count() == 1
    await asyncio.sleep(0.3)
    assert emulator.dms("alice")[-1].id == dm.id  # no further DM


async def test_panel_buttons_work_after_a_restart_on_the_same_database(
    start_bot: StartBot,
) -> None:
    first = await start_bot()
    emulator = first.emulator
    await add_stock("game-key", CODES, first.bot.cipher)
    panel = await open_panel(first)
    alice = emulator.world.alice
    await wallet.credit(alice.id, 5000, reference="test-topup-restart")
    shop_message = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    await first.bot.close()

    second = await start_bot(env={"DATABASE_URL": first.settings.database_url})
    assert await panel_location() is not None
    wallet_reply = await emulator.reply(await emulator.click("alice", panel, "panel:wallet"))
    assert "$50.00" in wallet_reply.embeds[0]["fields"][0]["value"]
    # The ephemeral shop message from before the restart still moves on.
    step = await emulator.reply(
        await emulator.select("alice", shop_message, "shop:product", ["game-key"])
    )
    assert "shop:pkg:game-key" in step.custom_ids()
    # Posting the panel again edits the same message rather than adding a second one.
    again = await open_panel(second)
    assert again.id == panel.id
    panels = [m for m in emulator.world.channel_messages(emulator.world.shop_channel.id)]
    assert [m.id for m in panels] == [panel.id]


async def test_posting_the_panel_in_another_channel_moves_it(shop: RunningBot) -> None:
    emulator = shop.emulator
    world = emulator.world
    old = await open_panel(shop)
    orders_channel = shop.bot.get_channel(world.orders_channel.id)
    moved = await post_shop_panel(shop.bot, orders_channel)
    assert world.messages[old.id].deleted
    location = await panel_location()
    assert (location.channel_id, location.message_id) == (world.orders_channel.id, moved.id)
    shop_view = await emulator.reply(await emulator.click("carol", moved.id, "panel:shop"))
    assert shop_view.ephemeral and "shop:product" in shop_view.custom_ids()


async def test_a_double_click_pays_once_and_buyers_never_share_an_order(shop: RunningBot) -> None:
    emulator = shop.emulator
    world = emulator.world
    for who in (world.alice, world.bob):
        await wallet.credit(who.id, 5000, reference=f"topup-{who.name}")
    panel = await open_panel(shop)
    pay_id = "shop:pay:wallet:game-key:1"
    first = await emulator.reply(await forge(emulator, "alice", panel, pay_id))
    again = await emulator.reply(await forge(emulator, "alice", panel, pay_id))
    bobs = await emulator.reply(await forge(emulator, "bob", panel, pay_id))
    numbers = [m.embeds[0]["fields"][0]["value"] for m in (first, again, bobs)]
    assert numbers[0] == numbers[1] != numbers[2]
    assert await wallet.balance(world.alice.id) == 4500
    assert await wallet.balance(world.bob.id) == 4500
    assert await Order.filter(customer__discord_id=world.bob.id, number=numbers[2]).exists()
    # The clicks sat on the public panel: each got its own ephemeral answer, the panel is intact.
    assert first.ephemeral and len({first.id, again.id, bobs.id, panel.id}) == 4
    assert world.messages[panel.id].custom_ids() == ["panel:shop", "panel:wallet", "panel:orders"]
    assert world.messages[panel.id].edited_timestamp is None
