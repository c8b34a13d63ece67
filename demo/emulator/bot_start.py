"""Pointing the real bot at the emulator: the environment it reads, and waiting until ready.

Shared by the demo and the tests' fixtures, so both start the bot the same way.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from cryptography.fernet import Fernet

from demo.emulator.server import DiscordEmulator
from demo.emulator.state import EmulatorTimeout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
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
