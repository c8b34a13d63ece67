"""The emulator's gateway against the real bot: handshake, compression, resume, member events."""

from __future__ import annotations

import pytest

from tests.emulator import DiscordEmulator
from tests.emulator.plugin import RunningBot, StartBot

pytestmark = pytest.mark.e2e


async def test_handshake_uses_zlib_stream_by_default(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    (connection,) = discord_emulator.gateway.connections
    assert connection.compress == "zlib-stream"
    assert connection.version == "10"
    assert connection.encoding == "json"
    assert connection.binary_frames == connection.frames_sent > 2
    assert connection.received_ops[:2] == [1, 2]  # heartbeat on HELLO, then IDENTIFY
    guild = stockroom.bot.get_guild(discord_emulator.world.guild.id)
    assert guild.name == "Stockroom Test Shop"
    print(f"bot ready in {stockroom.startup_seconds * 1000:.0f} ms")
