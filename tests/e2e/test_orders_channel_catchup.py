"""/admin catchup days: the orders channel read as far back as the admin asks, not 30 days."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from demo.emulator import DiscordEmulator
from demo.emulator.commands import CommandNotFound
from demo.emulator.state import DISCORD_EPOCH_MS, Message, Webhook
from models.audit.tables import AuditEntry
from models.base import OrderSource
from models.orders import feed_embeds
from models.orders.feed_embeds import last_read_message_id
from models.orders.tables import Order
from tests.discord_plugin import StartBot
from tests.e2e.test_admin import admin_reply, fields_of
from tests.e2e.test_orders_channel import (
    APPLIED,
    WAIT,
    bot_reactions,
    cursor_reaches,
    new_order_id,
    order_embed,
    reacted,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def store_hook(discord_emulator: DiscordEmulator) -> Webhook:
    return discord_emulator.create_webhook(discord_emulator.world.orders_channel, "Ecwid orders")


@pytest.fixture
def bot_env(store_hook: Webhook) -> dict[str, str]:
    return {"TRUSTED_WEBHOOK_IDS": str(store_hook.id)}


def backdate(emulator: DiscordEmulator, message: Message, days: int) -> Message:
    """Makes `message` one posted `days` ago: its snowflake id and timestamp both say so."""
    world = emulator.world
    when = datetime.now(UTC) - timedelta(days=days)
    millis = int(when.timestamp() * 1000) - DISCORD_EPOCH_MS
    del world.messages[message.id]
    message.id = (millis << 22) | (message.id & 0x3FFFFF)
    message.timestamp = when.isoformat()
    world.messages[message.id] = message
    return message


async def relay_post(
    emulator: DiscordEmulator, hook: Webhook, discord_id: int, days_ago: int
) -> tuple[str, Message]:
    """An order the storefront relay posted `days_ago`, before Stockroom was installed."""
    order_id = new_order_id()
    posted = await emulator.post_webhook(hook, embeds=[order_embed(order_id, "PAID", discord_id)])
    return order_id, backdate(emulator, posted, days_ago)


async def test_first_start_reads_30_days_and_catchup_reads_as_far_back_as_asked(
    start_bot: StartBot, discord_emulator: DiscordEmulator, store_hook: Webhook
) -> None:
    world = discord_emulator.world
    old_id, old = await relay_post(discord_emulator, store_hook, world.alice.id, 45)
    recent_id, recent = await relay_post(discord_emulator, store_hook, world.bob.id, 10)
    ancient_id, ancient = await relay_post(discord_emulator, store_hook, world.carol.id, 100)

    await start_bot()
    await reacted(discord_emulator, recent, APPLIED)
    await cursor_reaches(recent.id)
    assert bot_reactions(discord_emulator, old) == set()
    assert not await Order.filter(external_id=old_id).exists()

    reply = await admin_reply(discord_emulator, world.admin, "admin catchup", days=60)
    found = fields_of(reply)
    assert (found["Order posts"], found["Applied"], found["Already applied"]) == ("2", "1", "1")
    assert found["Rejected"] == "0"
    await reacted(discord_emulator, old, APPLIED)
    await discord_emulator.has_role(world.alice, world.customer_role, within=WAIT)
    assert await Order.filter(source=OrderSource.EMBED, external_id=old_id).exists()
    # Read once each: the post the first start applied was not applied a second time.
    assert await Order.filter(source=OrderSource.EMBED, external_id=recent_id).count() == 1
    # 60 days is 60 days: the post from 100 days ago stays unread.
    assert bot_reactions(discord_emulator, ancient) == set()
    assert not await Order.filter(external_id=ancient_id).exists()
    # Reading back never moves the cursor backwards.
    assert await last_read_message_id() == recent.id
    entry = await AuditEntry.get(action="catchup")
    assert entry.actor_id == world.admin.id and entry.details["days"] == 60


async def test_catchup_is_refused_to_non_admins_and_out_of_range_days(
    start_bot: StartBot, discord_emulator: DiscordEmulator, store_hook: Webhook
) -> None:
    world = discord_emulator.world
    order_id, old = await relay_post(discord_emulator, store_hook, world.bob.id, 45)
    await start_bot()
    refused = await admin_reply(discord_emulator, world.alice, "admin catchup", days=60)
    assert "Only shop admins" in refused.content
    # Discord itself refuses a days value outside 1..3650 before the bot sees it.
    for days in (0, 3651):
        with pytest.raises(CommandNotFound, match="out of range"):
            await discord_emulator.slash(world.admin, "admin catchup", days=days)
    await asyncio.sleep(0.3)  # a read-back, were one started, would have reacted by now
    assert bot_reactions(discord_emulator, old) == set()
    assert not await Order.filter(external_id=order_id).exists()
    entry = await AuditEntry.get(action="catchup")
    assert entry.actor_id == world.alice.id and entry.details["outcome"].startswith("refused")


async def test_catchup_without_a_trusted_webhook_says_what_to_set(
    start_bot: StartBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    await start_bot(env={"TRUSTED_WEBHOOK_IDS": ""})
    reply = await admin_reply(discord_emulator, world.admin, "admin catchup", days=60)
    assert "No webhook is trusted" in reply.content
    assert "TRUSTED_WEBHOOK_IDS" in reply.content


async def test_reading_back_never_moves_a_cursor_held_by_a_failed_message(
    start_bot: StartBot,
    discord_emulator: DiscordEmulator,
    store_hook: Webhook,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = discord_emulator.world
    failed_id, failed = await relay_post(discord_emulator, store_hook, world.alice.id, 5)
    real_apply = feed_embeds.apply_order_embed
    outage = {failed.id}

    async def flaky_apply(message_id: int, fields, index: int):  # type: ignore[no-untyped-def]
        if message_id in outage:
            raise ConnectionError("database unreachable")
        return await real_apply(message_id, fields, index)

    # The reader binds the function when its extension loads, so patch before the start.
    monkeypatch.setattr(feed_embeds, "apply_order_embed", flaky_apply)
    first = await start_bot()
    live = await discord_emulator.post_webhook(
        store_hook, embeds=[order_embed(new_order_id(), "PAID", world.bob.id)]
    )
    await reacted(discord_emulator, live, APPLIED)
    assert bot_reactions(discord_emulator, failed) == set()

    # The database is back, but a read-back of 1 day does not reach the 5-day-old message:
    # the cursor must stay before it, or the next start would skip it for good.
    outage.clear()
    found = fields_of(await admin_reply(discord_emulator, world.admin, "admin catchup", days=1))
    assert (found["Order posts"], found["Already applied"]) == ("1", "1")
    assert await last_read_message_id() is None
    await first.bot.close()

    await start_bot(env={"DATABASE_URL": first.settings.database_url})
    await reacted(discord_emulator, failed, APPLIED)
    assert await Order.filter(source=OrderSource.EMBED, external_id=failed_id).exists()
