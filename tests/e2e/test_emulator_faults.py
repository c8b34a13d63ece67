"""Faults the emulator injects or detects: rate limits, 5xx, OpenAPI mismatches, unknown routes."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import disnake
import pytest

from demo.emulator import DiscordEmulator
from demo.emulator.openapi import OpenAPISpec
from tests.discord_plugin import RunningBot, check_invalid_requests

pytestmark = pytest.mark.e2e
MESSAGES = "/channels/{channel_id}/messages"


def _statuses(emulator: DiscordEmulator, method: str, template: str) -> list[int | None]:
    return [r.status for r in emulator.requests_to(method, template)]


@pytest.mark.invalid_requests(1)
async def test_injected_global_429_is_absorbed_by_disnake(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    channel = stockroom.bot.get_channel(discord_emulator.world.orders_channel.id)
    discord_emulator.faults.global_rate_limit(retry_after=0.05)

    sent = await channel.send("order #1 paid")

    assert discord_emulator.world.messages[sent.id].content == "order #1 paid"
    assert _statuses(discord_emulator, "POST", MESSAGES) == [429, 200]


@pytest.mark.invalid_requests(2)
async def test_injected_route_429_is_retried_after_retry_after(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    channel = stockroom.bot.get_channel(discord_emulator.world.orders_channel.id)
    discord_emulator.faults.rate_limit("POST", MESSAGES, retry_after=0.05, count=2)

    await channel.send("order #2 paid")

    assert _statuses(discord_emulator, "POST", MESSAGES) == [429, 429, 200]


@pytest.mark.invalid_requests(12)  # each of the six refused at most twice
async def test_global_limit_of_requests_per_window(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    """Past the global limit the emulator answers 429 global; disnake waits and succeeds."""
    faults = discord_emulator.faults
    faults.global_limit, faults.global_window = 4, 0.2  # 50/s, scaled down to stay fast
    world = discord_emulator.world
    channels = [world.shop_channel, world.orders_channel, world.admin_channel]
    bot_channels = [stockroom.bot.get_channel(c.id) for c in channels]

    # Six requests on three route buckets: no bucket is exhausted, the global limit is.
    sent = await asyncio.gather(*(c.send(f"burst {n}") for n in range(2) for c in bot_channels))

    assert len({m.id for m in sent}) == 6
    # The bot's own background work shares the limit, so only the burst's 429s are counted.
    refused = [r for r in discord_emulator.requests_to("POST", MESSAGES) if r.status == 429]
    assert refused, "the burst never reached the global limit"
    assert len(world.channel_messages(world.shop_channel.id)) == 2


async def test_injected_server_error_surfaces_then_clears(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    channel = stockroom.bot.get_channel(discord_emulator.world.orders_channel.id)
    discord_emulator.faults.server_error("POST", MESSAGES, status=503)

    with pytest.raises(disnake.DiscordServerError) as failed:
        await channel.send("order #3 paid")
    assert failed.value.status == 503
    await channel.send("order #3 paid")
    assert _statuses(discord_emulator, "POST", MESSAGES) == [503, 200]


async def _raw(
    emulator: DiscordEmulator, method: str, path: str, body: Any = None
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bot {emulator.world.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, emulator.api_base + path, json=body, headers=headers) as response,
    ):
        return response.status, await response.json(content_type=None)


async def test_a_request_off_the_openapi_description_is_recorded(
    discord_emulator: DiscordEmulator, discord_openapi: OpenAPISpec | None
) -> None:
    if discord_openapi is None:
        pytest.skip("../shared/data/discord-openapi.json is absent: validation is off")
    channel_id = discord_emulator.world.orders_channel.id

    status, body = await _raw(
        discord_emulator, "POST", f"/channels/{channel_id}/messages", {"content": 5}
    )

    assert (status, body["code"]) == (400, 50035)
    (problem,) = discord_emulator.take_problems("openapi")
    assert problem.detail.startswith("POST /channels/{channel_id}/messages: body content:")
    assert discord_emulator.world.channel_messages(channel_id) == []


async def test_the_openapi_check_accepts_a_well_formed_request(
    discord_emulator: DiscordEmulator, discord_openapi: OpenAPISpec | None
) -> None:
    if discord_openapi is None:
        pytest.skip("../shared/data/discord-openapi.json is absent: validation is off")
    channel_id = discord_emulator.world.orders_channel.id
    status, _ = await _raw(
        discord_emulator, "POST", f"/channels/{channel_id}/messages", {"content": "fine"}
    )
    assert status == 200
    assert discord_emulator.problems == []


async def test_an_unimplemented_route_answers_404_and_is_recorded(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    guild = stockroom.bot.get_guild(discord_emulator.world.guild.id)

    with pytest.raises(disnake.NotFound):
        await guild.fetch_ban(disnake.Object(discord_emulator.world.bob.id))

    (problem,) = discord_emulator.take_problems("unimplemented")
    assert problem.detail == (
        f"GET /guilds/{guild.id}/bans/{discord_emulator.world.bob.id} (no emulator route)"
    )


async def test_teardown_check_names_every_recorded_problem(
    discord_emulator: DiscordEmulator,
) -> None:
    await _raw(discord_emulator, "GET", "/nowhere/at/all")
    with pytest.raises(AssertionError, match=r"unimplemented: GET /nowhere/at/all"):
        discord_emulator.assert_clean()
    discord_emulator.take_problems()
    discord_emulator.assert_clean()


@pytest.mark.invalid_requests(1)
async def test_requests_without_the_bot_token_are_unauthorised(
    discord_emulator: DiscordEmulator,
) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(discord_emulator.api_base + "/users/@me") as response,
    ):
        assert response.status == 401
        assert response.headers["Content-Type"] == "application/json"


@pytest.mark.invalid_requests(3)
async def test_invalid_requests_are_counted_as_discord_counts_them(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    """401, 403 and 429 count toward the ban; a shared-scope 429, a 400, 404 or 5xx does not."""
    world = discord_emulator.world
    channel = stockroom.bot.get_channel(world.orders_channel.id)
    discord_emulator.faults.rate_limit("POST", MESSAGES, retry_after=0.05, scope="shared")
    await channel.send("shared bucket, waited out")
    discord_emulator.faults.server_error("POST", MESSAGES, status=503)
    with pytest.raises(disnake.DiscordServerError):
        await channel.send("503")
    with pytest.raises(disnake.NotFound):
        await stockroom.bot.fetch_channel(world.ids.next())
    assert discord_emulator.invalid_request_count == 0

    discord_emulator.faults.rate_limit("POST", MESSAGES, retry_after=0.05)
    await channel.send("user bucket, waited out")
    with pytest.raises(disnake.Forbidden):
        await (await stockroom.bot.fetch_user(world.carol.id)).send("closed DMs")
    async with (
        aiohttp.ClientSession() as session,
        session.get(discord_emulator.api_base + "/users/@me") as response,
    ):
        assert response.status == 401

    assert [(r.template, r.status) for r in discord_emulator.invalid_requests] == [
        (MESSAGES, 429),
        (MESSAGES, 403),
        ("/users/@me", 401),
    ]


async def test_a_scenario_over_its_invalid_request_budget_fails(
    discord_emulator: DiscordEmulator,
) -> None:
    await _raw(discord_emulator, "GET", "/users/@me")
    async with (
        aiohttp.ClientSession() as session,
        session.get(discord_emulator.api_base + "/users/@me") as response,
    ):
        assert response.status == 401
    check_invalid_requests(discord_emulator, 1)  # within the budget
    with pytest.raises(AssertionError, match=r"1 invalid request\(s\).*budget of 0") as failed:
        check_invalid_requests(discord_emulator, 0)
    assert "GET /users/@me -> 401" in str(failed.value)
    discord_emulator.invalid_requests.clear()  # taken: this test caused it on purpose
