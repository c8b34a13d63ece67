"""The emulator's gateway against the real bot: handshake, compression, resume, member events."""

from __future__ import annotations

import disnake
import pytest

from demo.emulator import DiscordEmulator
from tests.discord_plugin import RunningBot, StartBot

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


async def test_plain_json_frames_without_compression(
    start_bot: StartBot, discord_emulator: DiscordEmulator
) -> None:
    running = await start_bot(gateway_params=disnake.GatewayParams(zlib=False))
    (connection,) = discord_emulator.gateway.connections
    assert connection.compress is None
    assert connection.binary_frames == 0
    assert connection.frames_sent > 2
    assert running.bot.get_guild(discord_emulator.world.guild.id) is not None


async def test_reconnect_resumes_on_the_resume_url_and_replays_missed_events(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    gateway = discord_emulator.gateway
    guild = stockroom.bot.get_guild(discord_emulator.world.guild.id)
    await gateway.request_reconnect()
    # Dispatched while the bot is between sockets: buffered, then replayed after RESUME.
    dave = await discord_emulator.join("dave")
    await discord_emulator.wait_until(lambda: gateway.resumes == 1, "a RESUME")
    await discord_emulator.wait_until(lambda: guild.get_member(dave.user.id), "dave in the cache")
    first, second = gateway.connections
    assert first.closed
    assert second.path == "/gateway-resume"
    assert second.compress == "zlib-stream"
    assert 6 in second.received_ops and 2 not in second.received_ops  # RESUME, no IDENTIFY


async def test_member_join_update_and_leave_reach_the_bot(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    guild = stockroom.bot.get_guild(world.guild.id)
    await discord_emulator.join("dave")
    dave = await discord_emulator.wait_until(lambda: guild.get_member(world.dave.id), "join")
    assert [r.id for r in dave.roles] == [world.everyone.id]

    member = await guild.fetch_member(world.dave.id)
    await member.add_roles(guild.get_role(world.customer_role.id))
    assert world.customer_role.id in await discord_emulator.has_role("dave", world.customer_role)
    await discord_emulator.wait_until(
        lambda: world.customer_role.id in [r.id for r in guild.get_member(world.dave.id).roles],
        "GUILD_MEMBER_UPDATE in the bot's cache",
    )

    await discord_emulator.leave("dave")
    await discord_emulator.wait_until(lambda: guild.get_member(world.dave.id) is None, "leave")


async def test_role_create_update_delete_reach_the_bot(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    guild = stockroom.bot.get_guild(discord_emulator.world.guild.id)
    vip = await discord_emulator.create_role("VIP", position=1)
    cached = await discord_emulator.wait_until(lambda: guild.get_role(vip.id), "GUILD_ROLE_CREATE")
    assert cached.position == 1
    customer = guild.get_role(discord_emulator.world.customer_role.id)
    await discord_emulator.wait_until(lambda: customer.position == 2, "the roles above to move")
    await discord_emulator.update_role(vip, name="VIP+")
    await discord_emulator.wait_until(lambda: guild.get_role(vip.id).name == "VIP+", "rename")
    await discord_emulator.delete_role(vip)
    await discord_emulator.wait_until(lambda: guild.get_role(vip.id) is None, "GUILD_ROLE_DELETE")


async def test_bot_start_time_is_measured(
    start_bot: StartBot, discord_emulator: DiscordEmulator
) -> None:
    """Prints how long bot.launch() takes until ready, guild available and commands synced."""
    running = await start_bot()
    assert discord_emulator.world.guild.id in discord_emulator.world.commands_put
    assert "stockroom" in {
        c["name"] for c in discord_emulator.world.command_tree(discord_emulator.world.guild.id)
    }
    print(f"\nStockroom ready against the emulator in {running.startup_seconds * 1000:.0f} ms")


async def test_an_event_for_a_socket_gone_away_is_kept_and_the_rest_call_still_answered(
    discord_emulator: DiscordEmulator,
) -> None:
    """A bot killed mid-request leaves its socket open for a moment: sending it the event of
    the bot's own REST call fails, and that must not fail the call (Discord keeps the event
    for a RESUME)."""
    from demo.emulator.gateway import _CONNECTION, Connection, Session

    class GoneSocket(dict):
        closed = False

        async def send_str(self, text: str) -> None:
            raise ConnectionResetError("Cannot write to closing transport")

    socket = GoneSocket({_CONNECTION: Connection("/gateway", None, "json", "10")})
    session = Session(id="gone", intents=-1, socket=socket)  # type: ignore[arg-type]
    discord_emulator.gateway.sessions["gone"] = session
    try:
        await discord_emulator.gateway.dispatch("GUILD_ROLE_CREATE", {"guild_id": "1"})
    finally:
        del discord_emulator.gateway.sessions["gone"]
    assert [event["t"] for event in session.sent] == ["GUILD_ROLE_CREATE"]
