"""A wire-level Discord API v10 emulator for the real disnake client: the demo and the tests."""

from demo.emulator.server import DiscordEmulator
from demo.emulator.state import EmulatorTimeout

__all__ = ["DiscordEmulator", "EmulatorTimeout"]
