"""What a buyer is told, end to end: a restock they asked for."""

from __future__ import annotations

import asyncio

import pytest

from demo.emulator.state import Message
from models.base import JobKind, JobStatus
from models.customers.tables import RestockRequest
from models.outbox.tables import Job
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot
from tests.e2e.test_delivery import (
    new_codes,
    wait_for_db,
)
from tests.e2e.test_shop import forge, open_panel, refusal

pytestmark = pytest.mark.e2e

WAIT = 10.0


def fields_of(message: Message) -> dict[str, str]:
    return {f["name"]: f["value"] for embed in message.embeds for f in embed.get("fields", [])}


async def no_job_left(kind: JobKind) -> bool:
    return not await Job.filter(
        kind=kind, status__in=(JobStatus.PENDING, JobStatus.RUNNING)
    ).exists()


async def test_a_buyer_who_asked_gets_exactly_one_dm_on_restock(stockroom: RunningBot) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    world = emulator.world
    panel = await open_panel(stockroom)
    shop = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    step = await emulator.reply(await emulator.select("alice", shop, "shop:product", ["game-key"]))
    assert "Sold out right now" in step.embeds[0]["description"]
    assert step.custom_ids() == ["shop:notify:game-key"]

    asked = await emulator.reply(await emulator.click("alice", step, "shop:notify:game-key"))
    assert asked.id == step.id and asked.components == []
    assert "we DM you once when **Game key** is back" in asked.embeds[0]["description"]
    again = await emulator.reply(await forge(emulator, "alice", panel, "shop:notify:game-key"))
    assert again.ephemeral and "already on the list" in again.embeds[0]["description"]
    assert await RestockRequest.filter(customer__discord_id=world.alice.id).count() == 1

    await add_stock("game-key", new_codes(2, "BACK"), bot.cipher)
    dm = await emulator.next_dm("alice", within=WAIT)
    (embed,) = dm.embeds
    assert embed["title"] == "Back in stock: Game key"
    assert "2 available" in embed["description"]
    await wait_for_db(lambda: no_job_left(JobKind.NOTIFY_RESTOCK), "the restock DMs to go out")

    # Another restock: she was told once and did not ask again, so no second DM.
    await add_stock("game-key", new_codes(1, "MORE"), bot.cipher)
    await wait_for_db(lambda: no_job_left(JobKind.NOTIFY_RESTOCK), "the restock DMs to go out")
    await asyncio.sleep(0.3)
    assert [m.id for m in emulator.dms("alice")] == [dm.id]
    assert emulator.dms("bob") == []  # he never asked
    assert await Job.filter(kind=JobKind.NOTIFY_RESTOCK).count() == 1

    # In stock now: asking is refused and writes nothing.
    text = await refusal(emulator, await forge(emulator, "bob", panel, "shop:notify:game-key"))
    assert text == "Game key is in stock right now: open the shop to buy it."
    assert not await RestockRequest.filter(customer__discord_id=world.bob.id).exists()
