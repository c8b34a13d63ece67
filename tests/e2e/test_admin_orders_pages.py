"""/admin vieworders page buttons: unique custom ids on every page, one page of results included."""

from __future__ import annotations

import pytest

from demo.emulator import DiscordEmulator
from tests.discord_plugin import RunningBot
from tests.e2e.test_admin import WAIT, admin_reply
from tests.e2e.test_admin_orders import order_numbers, paid_order

pytestmark = pytest.mark.e2e


async def test_vieworders_with_one_page_of_results_shows_it(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    order = await paid_order(world.bob.id)

    listing = await admin_reply(discord_emulator, world.admin, "admin vieworders")

    assert listing.embeds[0]["footer"]["text"] == "Page 1 of 1 · 1 order(s)"
    assert order_numbers(listing) == [order.number]
    previous, following, _opener = listing.custom_ids()
    assert previous != following
    assert listing.find_component(previous)["disabled"] is True
    assert listing.find_component(following)["disabled"] is True


async def test_vieworders_with_no_match_shows_an_empty_page(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    listing = await admin_reply(
        discord_emulator, world.admin, "admin vieworders", customer=world.alice
    )
    assert "No orders match" in listing.embeds[0]["description"]
    assert len(set(listing.custom_ids())) == 2


async def test_a_middle_page_links_both_ways(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    for _ in range(21):
        await paid_order(world.bob.id)
    listing = await admin_reply(discord_emulator, world.admin, "admin vieworders", page=2)
    assert "Page 2 of 3" in listing.embeds[0]["footer"]["text"]

    previous, following, _opener = listing.custom_ids()
    await discord_emulator.click(world.admin, listing, previous)
    await discord_emulator.wait_until(
        lambda: "Page 1 of 3" in listing.embeds[0]["footer"]["text"], "page 1", WAIT
    )
    following = listing.custom_ids()[1]
    await discord_emulator.click(world.admin, listing, following)
    await discord_emulator.wait_until(
        lambda: "Page 2 of 3" in listing.embeds[0]["footer"]["text"], "page 2", WAIT
    )
    await discord_emulator.click(world.admin, listing, listing.custom_ids()[1])
    await discord_emulator.wait_until(
        lambda: "Page 3 of 3" in listing.embeds[0]["footer"]["text"], "page 3", WAIT
    )
    assert len(listing.embeds[0]["fields"]) == 1
