"""/admin audit end to end: every /admin command leaves a row, codes never do, pages work."""

from __future__ import annotations

import asyncio

import pytest

from demo.emulator import DiscordEmulator
from models.audit.tables import AuditEntry
from tests.discord_plugin import RunningBot
from tests.e2e.test_admin import WAIT, admin_reply, text_of

pytestmark = pytest.mark.e2e


async def audit_rows(count: int) -> list[AuditEntry]:
    """The audit rows once there are at least `count` (the row is written after the reply)."""
    for _ in range(100):
        rows = list(await AuditEntry.all().order_by("id"))
        if len(rows) >= count:
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} audit rows, found {len(rows)}")


async def test_every_admin_command_is_recorded_without_codes(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    await admin_reply(discord_emulator, world.admin, "admin viewstock", product="game-key")
    await admin_reply(
        discord_emulator, world.admin, "admin addstock", product="game-key", codes="AUD-SECRET-1"
    )
    stock, added = await audit_rows(2)
    assert (stock.actor_id, stock.action, stock.target) == (world.admin.id, "viewstock", "game-key")
    assert stock.details == {"product": "game-key", "outcome": "done"}
    assert added.action == "addstock" and "AUD-SECRET-1" not in str(added.details)

    shown = await admin_reply(discord_emulator, world.admin, "admin audit")
    text = text_of(shown)
    assert "viewstock · game-key" in text and "addstock · game-key" in text
    assert "AUD-SECRET-1" not in text
    assert f"<@{world.admin.id}>" in text


async def test_a_non_admin_is_refused_and_the_refusal_is_recorded(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    reply = await admin_reply(discord_emulator, world.alice, "admin audit")
    assert "Only shop admins" in reply.content
    (row,) = await audit_rows(1)
    assert row.actor_id == world.alice.id and row.details["outcome"].startswith("refused")


async def test_audit_pages_with_buttons_and_refuses_pages_past_the_end(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    for _ in range(11):
        await AuditEntry.create(actor_id=world.admin.id, action="viewstock", details={})
    first = await admin_reply(discord_emulator, world.admin, "admin audit", admin=world.admin)
    assert first.embeds[0]["footer"]["text"] == "Page 1 of 2 · 11 entries"
    ix = await discord_emulator.click(world.admin, first, first.custom_ids()[1])
    await discord_emulator.wait_until(
        lambda: "Page 2 of 2" in first.embeds[0]["footer"]["text"], "page 2", WAIT
    )
    assert ix.response_type == 7
    past = await admin_reply(discord_emulator, world.admin, "admin audit", page=9)
    assert "does not exist" in past.content
