"""Pointing the real bot at the emulator: the environment it reads, and waiting until ready.

Shared by the demo and the tests' fixtures, so both start the bot the same way.
"""

from __future__ import annotations

import asyncio
import random
import socket
from typing import Any

from cryptography.fernet import Fernet

from demo.emulator.server import DiscordEmulator
from demo.emulator.state import EmulatorTimeout

# Ports for a bot started as another process: below the kernel's ephemeral range. A port
# bind(0) hands out comes from that range, which outgoing connections draw from too, so in
# the time between probing it and the bot binding it a client socket (to PostgreSQL, to the
# emulator) could take it: "address already in use", seen in CI with six processes.
_LOW_PORTS = range(20000, 32768)
_handed_out: set[int] = set()


def _ephemeral_start() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range", encoding="ascii") as ranges:
            return int(ranges.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def free_port() -> int:
    """A port free now on 127.0.0.1 that no connection will be given meanwhile."""
    candidates = [p for p in _LOW_PORTS if p < _ephemeral_start() and p not in _handed_out]
    for port in random.sample(candidates, min(50, len(candidates))):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:  # no low port free
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def emulator_environment(emulator: DiscordEmulator, database_url: str) -> dict[str, str]:
    """The environment the bot reads at start, pointing at the emulator's guild and ids."""
    world = emulator.world
    return {
        "DISCORD_APP_TOKEN": world.token,
        "DISCORD_API_BASE": emulator.api_base,
        "GUILD_ID": str(world.guild.id),
        "ORDERS_CHANNEL_ID": str(world.orders_channel.id),
        "ADMIN_CHANNEL_ID": str(world.admin_channel.id),
        "FALLBACK_CHANNEL_ID": str(world.fallback_channel.id),
        "CUSTOMER_ROLE_ID": str(world.customer_role.id),
        "ADMIN_ROLE_ID": str(world.admin_role.id),
        "DATABASE_URL": database_url,
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(free_port()),
        "STOCK_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }


async def until_ready(bot: Any, emulator: DiscordEmulator, within: float) -> None:
    """Returns once the bot is ready, sees the guild and (if it has any) synced its commands."""
    ready = asyncio.ensure_future(bot.wait_until_ready())
    closed = asyncio.ensure_future(bot.wait_closed())
    try:
        done, _ = await asyncio.wait(
            {ready, closed}, timeout=within, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        ready.cancel()
        closed.cancel()
    if ready not in done:
        why = "closed before it was ready" if closed in done else "not ready in time"
        raise EmulatorTimeout(f"the bot {why}; emulator problems: {emulator.problems}")
    guild_id = emulator.world.guild.id
    await emulator.wait_until(lambda: bot.get_guild(guild_id), "the bot to see the guild")
    if bot.all_slash_commands or bot.all_user_commands or bot.all_message_commands:
        await emulator.wait_until(
            lambda: guild_id in emulator.world.commands_put, "the bot's command sync"
        )
