"""Message nonces in the emulator: echoed; with enforce_nonce a repeat returns the first message."""

from __future__ import annotations

from typing import Any

import disnake
import pytest
from disnake.http import Route

from demo.emulator import DiscordEmulator
from tests.discord_plugin import RunningBot

pytestmark = pytest.mark.e2e


async def create(running: RunningBot, channel_id: int, **body: Any) -> dict[str, Any]:
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
    return await running.bot.http.request(route, json=body)


async def test_a_repeated_enforced_nonce_returns_the_first_message(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    channel_id = discord_emulator.world.orders_channel.id

    first = await create(stockroom, channel_id, content="one", nonce="job-7", enforce_nonce=True)
    again = await create(stockroom, channel_id, content="two", nonce="job-7", enforce_nonce=True)

    assert again["id"] == first["id"]
    assert (again["content"], again["nonce"]) == ("one", "job-7")
    (stored,) = discord_emulator.world.channel_messages(channel_id)
    assert stored.content == "one"
    posts = discord_emulator.requests_to("POST", "/channels/{channel_id}/messages")
    assert [r.status for r in posts] == [200, 200]


async def test_without_enforce_nonce_the_nonce_is_only_echoed(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    channel_id = discord_emulator.world.orders_channel.id

    first = await create(stockroom, channel_id, content="one", nonce=42)
    second = await create(stockroom, channel_id, content="two", nonce=42)

    assert first["id"] != second["id"]
    assert first["nonce"] == second["nonce"] == 42
    assert len(discord_emulator.world.channel_messages(channel_id)) == 2


async def test_an_enforced_nonce_is_per_channel_and_lapses_after_the_window(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    here = await create(
        stockroom, world.orders_channel.id, content="a", nonce="n", enforce_nonce=True
    )
    there = await create(
        stockroom, world.shop_channel.id, content="b", nonce="n", enforce_nonce=True
    )
    assert here["id"] != there["id"]

    discord_emulator.nonce_window = 0.0  # the "few minutes" are over
    later = await create(
        stockroom, world.orders_channel.id, content="c", nonce="n", enforce_nonce=True
    )
    assert later["id"] != here["id"]
    assert [m.content for m in world.channel_messages(world.orders_channel.id)] == ["a", "c"]


async def test_a_deleted_message_does_not_swallow_its_nonce(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    channel_id = discord_emulator.world.orders_channel.id
    first = await create(stockroom, channel_id, content="a", nonce="n", enforce_nonce=True)
    await stockroom.bot.http.delete_message(channel_id, first["id"])
    again = await create(stockroom, channel_id, content="b", nonce="n", enforce_nonce=True)
    assert again["id"] != first["id"]


@pytest.mark.parametrize("nonce", ["x" * 26, 1.5, ["job-1"]])
async def test_a_malformed_nonce_is_refused(
    stockroom: RunningBot, discord_emulator: DiscordEmulator, nonce: Any
) -> None:
    discord_emulator.spec = None  # the description refuses these too; this is the emulator's
    channel_id = discord_emulator.world.orders_channel.id
    with pytest.raises(disnake.HTTPException) as refused:
        await create(stockroom, channel_id, content="a", nonce=nonce, enforce_nonce=True)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert "In nonce:" in refused.value.text
    assert discord_emulator.world.channel_messages(channel_id) == []
