"""Role reconciliation: make the shop's roles in the server match what active orders grant.

Only roles Stockroom manages are touched (product role ids and CUSTOMER_ROLE_ID). Members are
listed over REST (the bot starts without chunking), changes are paced to stay far below
Discord's global limit, and each change re-checks the entitlement just before it is made,
so a payment or refund landing mid-run is never undone.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import disnake

from cogs.delivery import MISSING_PERMISSIONS, UNKNOWN_MEMBER, role_fix_advice
from models.orders.entitlements import is_still_entitled, managed_role_ids, role_holders

if TYPE_CHECKING:
    from bot import Stockroom

log = logging.getLogger(__name__)

# Seconds between two role changes: at most ~20 a second, well under the 50/s global limit.
PACE_SECONDS = 0.05
MEMBER_PAGE = 1000


@dataclass
class RoleSyncReport:
    """What one reconciliation did, for /admin resyncroles and the start-up log."""

    members_checked: int = 0
    roles_managed: int = 0
    granted: int = 0
    removed: int = 0
    failed: int = 0
    # Roles that could not be handled at all, each with what an admin should fix.
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"checked {self.members_checked} member(s) for {self.roles_managed} role(s): "
            f"granted {self.granted}, removed {self.removed}, failed {self.failed}"
        )
        if self.problems:
            text += f"; {len(self.problems)} role problem(s)"
        return text


def _usable_roles(
    guild: disnake.Guild, role_ids: set[int], report: RoleSyncReport
) -> dict[int, disnake.Role]:
    usable: dict[int, disnake.Role] = {}
    me = guild.me
    for role_id in sorted(role_ids):
        role = guild.get_role(role_id)
        blocked = me is not None and (
            not me.guild_permissions.manage_roles or (role is not None and not role.is_assignable())
        )
        if role is None or blocked:
            report.problems.append(role_fix_advice(guild, role, role_id))
            continue
        usable[role_id] = role
    return usable


async def reconcile_roles(bot: Stockroom, guild: disnake.Guild) -> RoleSyncReport:
    """Grants missing and removes unearned shop roles across the guild; returns the counts."""
    customer_role_id = bot.settings.discord.customer_role_id
    report = RoleSyncReport()
    usable = _usable_roles(guild, await managed_role_ids(customer_role_id), report)
    report.roles_managed = len(usable)
    if not usable:
        return report
    # A page of members at a time, each page with one query for what its members are owed:
    # memory stays flat and no order is loaded, however many orders the shop holds.
    page: list[disnake.Member] = []
    async for member in guild.fetch_members(limit=None):
        page.append(member)
        if len(page) >= MEMBER_PAGE:
            await _reconcile_page(bot, page, usable, report)
            page = []
    await _reconcile_page(bot, page, usable, report)
    log.info("role reconciliation in %s: %s", guild.name, report.summary())
    return report


async def _reconcile_page(
    bot: Stockroom,
    members: list[disnake.Member],
    usable: dict[int, disnake.Role],
    report: RoleSyncReport,
) -> None:
    """Grants and removes the shop roles of one page of members."""
    humans = [member for member in members if not member.bot]
    report.members_checked += len(members)
    if not humans:
        return
    customer_role_id = bot.settings.discord.customer_role_id
    owed = await role_holders(customer_role_id, [member.id for member in humans])
    for member in humans:
        want = owed.get(member.id, set()) & usable.keys()
        have = {role.id for role in member.roles} & usable.keys()
        for role_id in sorted(want - have):
            await _change(bot, member, usable, role_id, grant=True, report=report)
        for role_id in sorted(have - want):
            await _change(bot, member, usable, role_id, grant=False, report=report)


async def _change(
    bot: Stockroom,
    member: disnake.Member,
    usable: dict[int, disnake.Role],
    role_id: int,
    *,
    grant: bool,
    report: RoleSyncReport,
) -> None:
    role = usable.get(role_id)
    if role is None:  # became unusable earlier in this run
        return
    customer_role_id = bot.settings.discord.customer_role_id
    # The list of entitlements was read at the start; decide on the state right now.
    entitled = await is_still_entitled(member.id, role_id, customer_role_id=customer_role_id)
    if entitled != grant:
        return
    try:
        if grant:
            await member.add_roles(role, reason="Stockroom role sync: active order")
            report.granted += 1
        else:
            await member.remove_roles(role, reason="Stockroom role sync: no active order")
            report.removed += 1
    except disnake.Forbidden as exc:
        report.failed += 1
        if exc.code == MISSING_PERMISSIONS:
            report.problems.append(role_fix_advice(member.guild, role, role_id))
            usable.pop(role_id, None)
    except disnake.NotFound as exc:
        if exc.code != UNKNOWN_MEMBER:
            report.failed += 1
    except disnake.HTTPException as exc:
        report.failed += 1
        log.warning(
            "role sync: %s of @%s for %s failed (%s %s)",
            "grant" if grant else "removal",
            role.name,
            member.id,
            exc.status,
            exc.code,
        )
    await asyncio.sleep(PACE_SECONDS)
