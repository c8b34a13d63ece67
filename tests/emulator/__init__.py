"""A wire-level Discord API v10 emulator that the real disnake client connects to, for tests."""

from tests.emulator.server import DiscordEmulator
from tests.emulator.state import EmulatorTimeout

__all__ = ["DiscordEmulator", "EmulatorTimeout"]
