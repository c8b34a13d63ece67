"""/admin addstock on a large file: the ephemeral reply shows progress, then the result."""

from __future__ import annotations

import secrets

import pytest

from cogs.admin.import_progress import ImportProgressSettings
from demo.emulator import DiscordEmulator
from demo.emulator.state import Message
from models.base import StockStatus
from models.stock.tables import StockItem
from tests.discord_plugin import RunningBot
from tests.e2e.test_admin import fields_of

pytestmark = pytest.mark.e2e

WAIT = 20.0
REPLY_EDITS = "/webhooks/{webhook_id}/{webhook_token}/messages/@original"


def codes_file(count: int) -> bytes:
    return "".join(f"GK-{n:06d}-{secrets.token_hex(4)}\n" for n in range(count)).encode()


def reply_edits(emulator: DiscordEmulator) -> list[dict]:
    return [r.body or {} for r in emulator.requests_to("PATCH", REPLY_EDITS)]


async def addstock_result(emulator: DiscordEmulator, data: bytes) -> Message:
    """The reply once it holds the import's result (a progress line comes first)."""
    ix = await emulator.slash(
        emulator.world.admin, "admin addstock", product="game-key", file=("codes.txt", data)
    )
    await emulator.reply(ix, within=WAIT)
    reply = await emulator.wait_until(
        lambda: (m := emulator.world.messages[ix.original_id]).embeds and m,
        "the import's result",
        WAIT,
    )
    assert reply.ephemeral
    return reply


class StepClock:
    """Each reading is `step` seconds after the previous one."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


async def test_a_large_file_shows_progress_then_the_result(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    stockroom.bot.get_cog("Admin").import_progress = ImportProgressSettings(
        from_codes=1_000, interval=0.0
    )
    reply = await addstock_result(discord_emulator, codes_file(12_000))
    edits = reply_edits(discord_emulator)
    progress = [e["content"] for e in edits[:-1]]
    assert progress, "no progress edit before the result"
    assert all("/ 12,000 codes checked" in text for text in progress), progress
    assert "5,000 / 12,000" in progress[0]
    final = edits[-1]
    assert final["content"] is None and final["embeds"], final
    assert reply.content == ""  # the progress line is gone from the reply
    assert fields_of(reply)["Added"] == "12000"
    assert await StockItem.filter(status=StockStatus.AVAILABLE).count() == 12_000


async def test_progress_edits_are_spaced_by_the_interval(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    # Batches of 5,000: progress after 5k, 10k, 15k (20k is the result). The clock moves 1 s
    # a reading; with a 2 s interval at most every other batch may edit.
    stockroom.bot.get_cog("Admin").import_progress = ImportProgressSettings(
        from_codes=1_000, interval=2.0, clock=StepClock(1.0)
    )
    reply = await addstock_result(discord_emulator, codes_file(20_000))
    progress = [e["content"] for e in reply_edits(discord_emulator)[:-1]]
    assert len(progress) == 1, progress
    assert "10,000 / 20,000" in progress[0]
    assert fields_of(reply)["Added"] == "20000"


async def test_a_small_file_gets_the_result_only(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    reply = await addstock_result(discord_emulator, codes_file(300))
    assert len(reply_edits(discord_emulator)) == 1
    assert fields_of(reply)["Added"] == "300"
