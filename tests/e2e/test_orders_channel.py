"""The orders-channel reader end to end: storefront webhook embeds → roles, reactions, catch-up."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path
from typing import Any

import pytest

from demo.emulator import DiscordEmulator
from demo.emulator.state import Member, Message, Webhook
from models.base import OrderSource, OrderStatus
from models.orders.feed_embeds import last_read_message_id
from models.orders.tables import Order
from settings import DEFAULT_CONFIG
from tests.discord_plugin import RunningBot, StartBot

pytestmark = pytest.mark.e2e

WAIT = 10.0
APPLIED = "✅"
REJECTED = "❌"


def order_embed(order_id: str, status: str, discord_id: int | str) -> dict[str, Any]:
    """The embed the original PHP relay posts (seed 000)."""
    return {
        "title": "Order update",
        "color": 0x2ECC71,
        "fields": [
            {"name": "Order ID", "value": order_id, "inline": True},
            {"name": "Payment Status", "value": status, "inline": True},
            {"name": "Email", "value": "buyer@example.com", "inline": False},
            {"name": "Discord User ID", "value": str(discord_id), "inline": False},
        ],
    }


def new_order_id() -> str:
    return "EC" + secrets.token_hex(3).upper()


async def reacted(emulator: DiscordEmulator, message: Message, emoji: str) -> None:
    bot_id = emulator.world.bot.id
    await emulator.wait_until(
        lambda: bot_id in message.reactions.get(emoji, set()),
        f"the bot's {emoji} on message {message.id}",
        WAIT,
    )


async def cursor_reaches(message_id: int) -> None:
    """Polls the stored catch-up cursor (a database fact the emulator cannot wait on)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while (found := await last_read_message_id()) != message_id:
        if loop.time() > deadline:
            raise AssertionError(f"cursor at {found}, expected {message_id}")
        await asyncio.sleep(0.02)


def bot_reactions(emulator: DiscordEmulator, message: Message) -> set[str]:
    bot_id = emulator.world.bot.id
    return {emoji for emoji, users in message.reactions.items() if bot_id in users}


@pytest.fixture
def store_hook(discord_emulator: DiscordEmulator) -> Webhook:
    return discord_emulator.create_webhook(discord_emulator.world.orders_channel, "Ecwid orders")


@pytest.fixture
def bot_env(store_hook: Webhook) -> dict[str, str]:
    """The store's webhook is created before the bot starts, and trusted by it."""
    return {"TRUSTED_WEBHOOK_IDS": str(store_hook.id)}


async def test_paid_embed_grants_the_customer_role_and_refund_removes_it(
    stockroom: RunningBot, discord_emulator: DiscordEmulator, store_hook: Webhook
) -> None:
    world = discord_emulator.world
    order_id = new_order_id()
    paid = await discord_emulator.post_webhook(
        store_hook, embeds=[order_embed(order_id, "PAID", world.alice.id)]
    )
    await discord_emulator.has_role(world.alice, world.customer_role, within=WAIT)
    await reacted(discord_emulator, paid, APPLIED)
    order = await Order.get(source=OrderSource.EMBED, external_id=order_id)
    assert order.details["message_id"] == str(paid.id)

    refunded = await discord_emulator.post_webhook(
        store_hook, embeds=[order_embed(order_id, "REFUNDED", world.alice.id)]
    )
    await discord_emulator.has_role(world.alice, world.customer_role, present=False, within=WAIT)
    await reacted(discord_emulator, refunded, APPLIED)
    await order.refresh_from_db()
    assert order.status is OrderStatus.REFUNDED
    assert bot_reactions(discord_emulator, paid) == {APPLIED}


async def test_user_or_bot_posted_copies_are_ignored(
    stockroom: RunningBot, discord_emulator: DiscordEmulator, store_hook: Webhook
) -> None:
    world = discord_emulator.world
    forged = await discord_emulator.say(
        world.bob, world.orders_channel, embeds=[order_embed(new_order_id(), "PAID", world.bob.id)]
    )
    other_bot = world.add_user("otherbot", bot=True)
    world.guild.members[other_bot.id] = Member(user=other_bot)
    from_bot = await discord_emulator.say(
        other_bot, world.orders_channel, embeds=[order_embed(new_order_id(), "PAID", world.bob.id)]
    )
    # Messages are read one at a time in order: once a later trusted post is answered,
    # the copies before it were looked at and left alone.
    marker = await discord_emulator.post_webhook(
        store_hook, embeds=[order_embed(new_order_id(), "PAID", world.dave.id)]
    )
    await reacted(discord_emulator, marker, APPLIED)
    assert bot_reactions(discord_emulator, forged) == set()
    assert bot_reactions(discord_emulator, from_bot) == set()
    assert world.customer_role.id not in world.member(world.bob.id).roles
    assert await Order.filter(source=OrderSource.EMBED).count() == 1


async def test_malformed_embed_is_rejected_and_changes_nothing(
    stockroom: RunningBot, discord_emulator: DiscordEmulator, store_hook: Webhook
) -> None:
    world = discord_emulator.world
    bad_id = await discord_emulator.post_webhook(
        store_hook, embeds=[order_embed(new_order_id(), "PAID", "alice#1234")]
    )
    missing = order_embed(new_order_id(), "PAID", world.alice.id)
    missing["fields"] = [f for f in missing["fields"] if f["name"] != "Payment Status"]
    no_status = await discord_emulator.post_webhook(store_hook, embeds=[missing])
    await reacted(discord_emulator, bad_id, REJECTED)
    await reacted(discord_emulator, no_status, REJECTED)
    assert await Order.all().count() == 0
    assert world.customer_role.id not in world.member(world.alice.id).roles
    await cursor_reaches(no_status.id)


async def test_embeds_posted_while_the_bot_was_down_are_applied_on_start(
    start_bot: StartBot, discord_emulator: DiscordEmulator, store_hook: Webhook
) -> None:
    world = discord_emulator.world
    first = await start_bot()
    before = await discord_emulator.post_webhook(
        store_hook, embeds=[order_embed(new_order_id(), "PAID", world.bob.id)]
    )
    await reacted(discord_emulator, before, APPLIED)
    await first.bot.close()

    order_id = new_order_id()
    missed = [
        await discord_emulator.post_webhook(
            store_hook, embeds=[order_embed(order_id, "PAID", world.alice.id)]
        ),
        await discord_emulator.say(world.dave, world.orders_channel, "anyone there?"),
        await discord_emulator.post_webhook(
            store_hook, embeds=[order_embed(new_order_id(), "PAID", "not-a-user")]
        ),
    ]
    assert world.customer_role.id not in world.member(world.alice.id).roles

    await start_bot(env={"DATABASE_URL": first.settings.database_url})
    await discord_emulator.has_role(world.alice, world.customer_role, within=WAIT)
    await reacted(discord_emulator, missed[0], APPLIED)
    await reacted(discord_emulator, missed[2], REJECTED)
    assert bot_reactions(discord_emulator, missed[1]) == set()
    # The message read before the restart was not applied a second time.
    assert await Order.filter(source=OrderSource.EMBED).count() == 2
    assert bot_reactions(discord_emulator, before) == {APPLIED}
    await cursor_reaches(missed[2].id)


async def test_with_a_trusted_list_only_listed_webhooks_are_acted_on(
    start_bot: StartBot, discord_emulator: DiscordEmulator, store_hook: Webhook, tmp_path: Path
) -> None:
    world = discord_emulator.world
    config = tmp_path / "config.toml"
    config.write_text(
        DEFAULT_CONFIG.read_text(encoding="utf-8").replace(
            "trusted_webhook_ids = []", f"trusted_webhook_ids = [{store_hook.id}]"
        ),
        encoding="utf-8",
    )
    # An empty TRUSTED_WEBHOOK_IDS leaves the file's list in force.
    await start_bot(config_path=config, env={"TRUSTED_WEBHOOK_IDS": ""})
    stranger = discord_emulator.create_webhook(world.orders_channel, "Someone's integration")
    untrusted = await discord_emulator.post_webhook(
        stranger, embeds=[order_embed(new_order_id(), "PAID", world.bob.id)]
    )
    trusted = await discord_emulator.post_webhook(
        store_hook, embeds=[order_embed(new_order_id(), "PAID", world.alice.id)]
    )
    await reacted(discord_emulator, trusted, APPLIED)
    assert bot_reactions(discord_emulator, untrusted) == set()
    assert world.customer_role.id not in world.member(world.bob.id).roles
    assert await Order.filter(source=OrderSource.EMBED).count() == 1


async def test_with_no_trusted_webhook_embeds_wait_until_one_is_trusted(
    start_bot: StartBot, discord_emulator: DiscordEmulator, store_hook: Webhook
) -> None:
    world = discord_emulator.world
    first = await start_bot(env={"TRUSTED_WEBHOOK_IDS": ""})
    assert first.settings.discord.trusted_webhook_ids == ()
    assert any(w.startswith("discord.trusted_webhook_ids:") for w in first.settings.warnings)
    order_id = new_order_id()
    posted = await discord_emulator.post_webhook(
        store_hook, embeds=[order_embed(order_id, "PAID", world.alice.id)]
    )
    # Nothing to wait for when the rule holds: give a reader (were there one) time to act.
    await asyncio.sleep(0.5)
    assert bot_reactions(discord_emulator, posted) == set()
    assert not await Order.filter(source=OrderSource.EMBED).exists()
    assert world.customer_role.id not in world.member(world.alice.id).roles
    assert await last_read_message_id() is None  # nothing read, so nothing is skipped later
    await first.bot.close()

    # Once the store's webhook is trusted, the next start applies what it posted meanwhile.
    await start_bot(
        env={
            "DATABASE_URL": first.settings.database_url,
            "TRUSTED_WEBHOOK_IDS": str(store_hook.id),
        }
    )
    await reacted(discord_emulator, posted, APPLIED)
    await discord_emulator.has_role(world.alice, world.customer_role, within=WAIT)
    assert await Order.filter(source=OrderSource.EMBED, external_id=order_id).exists()
