"""Role sync: roles back on re-join, and reconciliation at start-up and on /admin resyncroles.

Grants and revocations caused by orders run as outbox jobs (cogs/delivery/). This cog
covers drift: a buyer who left and came back gets their roles again (through grant jobs,
so failures are retried and parked like any other), and `resync_roles` makes the server's
shop roles match the active orders both ways, adopting roles held with no recorded order
(see cogs/roles/sync.py) unless it runs strict.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import disnake
from disnake.ext import commands

from cogs.leader import ROLE_RECONCILIATION, leads
from cogs.roles.sync import RoleSyncReport, reconcile_roles
from models.orders.entitlements import queue_regrant
from models.outbox.actions import queue_admin_alert

if TYPE_CHECKING:
    from bot import Stockroom

log = logging.getLogger(__name__)

__all__ = ["RoleSync", "RoleSyncReport", "resync_roles"]


async def resync_roles(bot: Stockroom, *, strict: bool = False) -> RoleSyncReport:
    """Reconciles the shop's roles now (what `/admin resyncroles` calls); returns the counts.

    Runs one at a time per process; a second call waits for the first to finish. Strict
    removes adopted roles too (every role no active order grants) and ends the adoptions.
    """
    # disnake loads extensions as fresh module objects, so an importer of this module may
    # hold another RoleSync class than the loaded cog's: look the lock up by name.
    lock = getattr(bot.get_cog(RoleSync.__cog_name__), "lock", None) or asyncio.Lock()
    async with lock:
        guild_id = bot.settings.discord.guild_id
        guild = bot.get_guild(guild_id) if guild_id else None
        if guild is None:
            report = RoleSyncReport(strict=strict)
            report.problems.append(
                "GUILD_ID is not set." if not guild_id else f"The bot is not in guild {guild_id}."
            )
            return report
        return await reconcile_roles(bot, guild, strict=strict)


def adoption_notice(report: RoleSyncReport) -> list[str]:
    """What the admins are told when a start-up adopted roles found in place."""
    return [
        f"{report.newly_adopted} shop role(s) were held by members with no recorded order "
        "for them (handed out before Stockroom?): they were adopted and left in place, "
        f"{report.adopted} adopted role(s) in all.",
        "Run `/admin resyncroles strict:True` to remove every shop role no active order "
        "grants, adopted ones included.",
    ]


class RoleSync(commands.Cog):
    """Listens for re-joins and reconciles once the bot is first ready."""

    def __init__(self, bot: Stockroom) -> None:
        self.bot = bot
        self.lock = asyncio.Lock()
        self.startup_done = asyncio.Event()
        self._startup: asyncio.Task[None] | None = None

    def cog_unload(self) -> None:
        if self._startup is not None:
            self._startup.cancel()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        # READY fires again after a reconnect; reconcile once per process.
        if self._startup is None:
            self._startup = asyncio.create_task(self._reconcile_at_start(), name="role-sync")

    async def _reconcile_at_start(self) -> None:
        try:
            if not await leads(self.bot, ROLE_RECONCILIATION):  # another gateway reconciles
                return
            report = await resync_roles(self.bot)
        except Exception:
            log.exception("start-up role reconciliation failed; run /admin resyncroles")
            return
        finally:
            self.startup_done.set()
        log.info("start-up role reconciliation: %s", report.summary())
        if report.newly_adopted:
            await queue_admin_alert("Shop roles adopted", adoption_notice(report))
        if report.problems:
            await queue_admin_alert("Role sync needs a fix", report.problems)
        if report.newly_adopted or report.problems:
            self._wake_worker()

    @commands.Cog.listener()
    async def on_member_join(self, member: disnake.Member) -> None:
        settings = self.bot.settings.discord
        if member.bot or member.guild.id != settings.guild_id:
            return
        queued = await queue_regrant(member.id, settings.customer_role_id)
        if queued:
            log.info("member %s re-joined: %s role grant(s) queued", member.id, queued)
            self._wake_worker()

    def _wake_worker(self) -> None:
        worker = self.bot.get_cog("DeliveryWorker")
        wake = getattr(worker, "wake", None)
        if callable(wake):
            wake()
