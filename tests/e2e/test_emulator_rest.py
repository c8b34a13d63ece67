"""REST through the emulator, driven by the running bot's own client: DMs, roles, messages."""

from __future__ import annotations

import asyncio
import io

import disnake
import pytest

from demo.emulator import DiscordEmulator
from tests.discord_plugin import RunningBot

pytestmark = pytest.mark.e2e


async def test_dm_reaches_a_user_with_open_dms(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    alice = await stockroom.bot.fetch_user(discord_emulator.world.alice.id)
    await alice.send("Your code: AAAA-BBBB")
    await alice.send(embed=disnake.Embed(title="Order #12 delivered"))

    first = await discord_emulator.next_dm("alice")
    second = await discord_emulator.next_dm("alice")
    assert first.content == "Your code: AAAA-BBBB"
    assert second.embeds[0]["title"] == "Order #12 delivered"
    assert discord_emulator.dms("bob") == []


@pytest.mark.invalid_requests(1)
async def test_closed_dms_raise_forbidden_50007(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    carol = await stockroom.bot.fetch_user(discord_emulator.world.carol.id)
    with pytest.raises(disnake.Forbidden) as refused:
        await carol.send("Your code: CCCC-DDDD")
    assert refused.value.code == 50007
    assert discord_emulator.dms("carol") == []


async def test_granting_a_role_below_the_bot_changes_the_member(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    guild = stockroom.bot.get_guild(world.guild.id)
    member = await guild.fetch_member(world.alice.id)
    await member.add_roles(guild.get_role(world.customer_role.id), reason="order #7 paid")

    assert world.customer_role.id in await discord_emulator.has_role("alice", world.customer_role)
    (put,) = discord_emulator.requests_to(
        "PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"
    )
    assert put.reason == "order #7 paid"

    await member.remove_roles(guild.get_role(world.customer_role.id))
    roles = await discord_emulator.has_role("alice", world.customer_role, present=False)
    assert world.customer_role.id not in roles


@pytest.mark.invalid_requests(1)
async def test_a_role_above_the_bot_is_refused_with_50013(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    guild = stockroom.bot.get_guild(world.guild.id)
    member = await guild.fetch_member(world.bob.id)
    with pytest.raises(disnake.Forbidden) as refused:
        await member.add_roles(guild.get_role(world.moderator_role.id))
    assert refused.value.code == 50013
    assert await discord_emulator.roles_of("bob") == set()


async def test_a_member_who_left_is_unknown_10007(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    guild = stockroom.bot.get_guild(discord_emulator.world.guild.id)
    await discord_emulator.leave("bob")
    with pytest.raises(disnake.NotFound) as missing:
        await guild.fetch_member(discord_emulator.world.bob.id)
    assert missing.value.code == 10007


async def test_messages_with_files_history_edit_reactions_and_delete(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    channel = stockroom.bot.get_channel(world.orders_channel.id)
    codes = disnake.File(io.BytesIO(b"CODE-1\nCODE-2\n"), filename="codes.txt")
    with_file = await channel.send("Your codes are attached", file=codes)
    stored = world.messages[with_file.id]
    assert stored.attachments[0].text == "CODE-1\nCODE-2\n"
    assert await with_file.attachments[0].read() == b"CODE-1\nCODE-2\n"

    sent = [await channel.send(f"order #{n}") for n in range(4)]
    newest = [m.content async for m in channel.history(limit=2)]
    assert newest == ["order #3", "order #2"]
    after = [m.content async for m in channel.history(after=sent[1], oldest_first=True)]
    assert after == ["order #2", "order #3"]

    edited = await sent[0].edit(content="order #0 (refunded)")
    assert world.messages[sent[0].id].content == "order #0 (refunded)" == edited.content
    await sent[1].add_reaction("✅")
    assert world.messages[sent[1].id].reactions == {"✅": {world.bot.id}}
    await sent[2].delete()
    with pytest.raises(disnake.NotFound) as gone:
        await channel.fetch_message(sent[2].id)
    assert gone.value.code == 10008


async def test_private_thread_for_a_member(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    fallback = stockroom.bot.get_channel(world.fallback_channel.id)
    thread = await fallback.create_thread(
        name="order-12-carol", type=disnake.ChannelType.private_thread
    )
    await thread.add_user(disnake.Object(world.carol.id))
    await thread.send("Your order is ready; open your DMs and press Resend.")

    stored = world.channel(thread.id)
    assert stored.parent_id == world.fallback_channel.id
    assert stored.thread_members == {world.bot.id, world.carol.id}
    (message,) = world.channel_messages(thread.id)
    assert "Resend" in message.content


async def test_webhook_embed_and_user_message_arrive_as_message_create(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    seen: list[disnake.Message] = []
    arrived = asyncio.Event()

    async def on_message(message: disnake.Message) -> None:
        seen.append(message)
        if len(seen) == 2:
            arrived.set()

    stockroom.bot.add_listener(on_message, "on_message")
    fields = [
        {"name": "Order ID", "value": "E-1001"},
        {"name": "Payment Status", "value": "PAID"},
    ]
    posted = await discord_emulator.post_webhook(
        world.orders_channel, embeds=[{"title": "New order", "fields": fields}], username="Store"
    )
    await discord_emulator.say("alice", world.shop_channel, "hello shop")
    await asyncio.wait_for(arrived.wait(), 5)

    from_hook, from_alice = seen
    assert from_hook.webhook_id == posted.webhook_id
    assert from_hook.author.name == "Store"
    assert [(f.name, f.value) for f in from_hook.embeds[0].fields] == [
        ("Order ID", "E-1001"),
        ("Payment Status", "PAID"),
    ]
    assert (from_alice.content, from_alice.author.id) == ("hello shop", world.alice.id)
    assert from_alice.webhook_id is None


async def test_guild_roles_and_channel_fetches(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    guild = await stockroom.bot.fetch_guild(world.guild.id)
    roles = {r.name: r.position for r in await guild.fetch_roles()}
    channel = await stockroom.bot.fetch_channel(world.fallback_channel.id)
    assert guild.name == "Stockroom Test Shop"
    assert roles["Customer"] < roles["Stockroom"] < roles["Moderator"]
    assert channel.name == "delivery-fallback"


async def test_a_delayed_route_answers_after_an_undelayed_one(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    discord_emulator.faults.delay("POST", "/channels/{channel_id}/messages", 0.3)
    finished: list[str] = []

    async def send() -> None:
        await stockroom.bot.get_channel(world.orders_channel.id).send("slow")
        finished.append("send")

    async def fetch() -> None:
        await stockroom.bot.fetch_user(world.alice.id)
        finished.append("fetch")

    await asyncio.gather(send(), fetch())
    assert finished == ["fetch", "send"]
