"""Leadership: each periodic duty runs in one process at a time, elected by an advisory lock.

Every duty (the expiry sweep, the start-up role reconciliation, the orders-channel
catch-up) has a PostgreSQL advisory lock (models.leadership). A process about to run a duty
asks `leads(bot, duty)`; the first to ask takes the lock and keeps it while its connection
lives. When the holder dies its session ends, the lock is free, and the next contender to
ask takes over; a holder whose connection died learns it on its next ask and stops. Duties
are elected apart, so a duty only the gateway can run is never led by a worker. On SQLite
there is one process: it always leads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from disnake.ext import commands

from models.leadership import AdvisoryLocks

if TYPE_CHECKING:
    from bot import Stockroom

EXPIRY_SWEEP = "expiry-sweep"
ROLE_RECONCILIATION = "role-reconciliation"
ORDERS_CHANNEL_CATCH_UP = "orders-channel-catch-up"


class Leadership(commands.Cog):
    """This process's claim on the periodic duties."""

    def __init__(self, database_url: str) -> None:
        self.locks = AdvisoryLocks(database_url)

    @property
    def held(self) -> frozenset[str]:
        return self.locks.held

    async def leads(self, duty: str) -> bool:
        """True when this process runs `duty` now: it holds the duty's lock or just took it."""
        return await self.locks.holds(duty)

    async def close(self) -> None:
        """Gives every duty up at once (a graceful stop hands leadership over without a wait)."""
        await self.locks.close()


async def leads(bot: commands.Bot, duty: str) -> bool:
    """The guard for periodic work: True when this process should run `duty` now.

    Looked up by cog name (disnake loads extensions as fresh modules, so classes differ);
    without the cog (a bot assembled in a test) the one process leads.
    """
    cog = bot.get_cog("Leadership")
    if cog is None:
        return True
    return await cog.leads(duty)  # type: ignore[attr-defined]


def setup(bot: Stockroom) -> None:
    leadership = Leadership(bot.settings.database_url)
    bot.add_cog(leadership)
    bot.on_close(leadership.close)
