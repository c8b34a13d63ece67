"""Periodic upkeep (in the leader only): expires unpaid checkouts whose payment window
lapsed, revokes roles whose timed access or subscription ended, and queues the reminders
of accesses about to end ([access] reminder_days before)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from disnake.ext import commands

from cogs.leader import EXPIRY_SWEEP, leads
from models.orders.access import sweep_ended_access
from models.orders.access_reminders import queue_access_reminders
from models.orders.lifecycle import expire_overdue_orders

if TYPE_CHECKING:
    from bot import Stockroom

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60.0


class Maintenance(commands.Cog):
    """Runs the expiry sweep once a minute (providers that never send "expired" rely on it).

    Every process with this cog asks each minute whether it leads the sweep; one does.
    """

    def __init__(self, bot: Stockroom, interval: float = SWEEP_SECONDS) -> None:
        self.bot = bot
        self.interval = interval
        self._task: asyncio.Task | None = None

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._sweep_forever(), name="expiry-sweep")
        self.bot.on_close(self.stop)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def sweep(self) -> list[int]:
        expired = await expire_overdue_orders()
        if expired:
            log.info("expired %d unpaid order(s) past their payment window", len(expired))
        ended = await sweep_ended_access()
        if ended:
            log.info("access ended for %d order(s); their roles are being removed", len(ended))
        reminded = await queue_access_reminders(self.bot.settings.access_reminder_days)
        if reminded:
            log.info("reminding %d buyer(s) that their access ends soon", len(reminded))
        return expired

    async def _sweep_forever(self) -> None:
        while True:
            try:
                if await leads(self.bot, EXPIRY_SWEEP):
                    await self.sweep()
            except Exception:
                # A failed sweep is retried next round; the orders stay pending meanwhile.
                log.exception("expiry sweep failed")
            await asyncio.sleep(self.interval)


def setup(bot: Stockroom) -> None:
    bot.add_cog(Maintenance(bot))
