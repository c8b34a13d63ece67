"""Role reconciliation: make the shop's roles in the server match what active orders grant.

Only roles Stockroom manages are touched (product role ids and CUSTOMER_ROLE_ID). Members are
listed over REST (the bot starts without chunking), changes are paced to stay far below
Discord's global limit, and each change re-checks the entitlement just before it is made,
so a payment or refund landing mid-run is never undone.

A managed role held without an entitling order is removed only when an order for it was
recorded (paid once, since refunded or cancelled). Held with no such order, it was handed out
before Stockroom (a shop migrating from another bot): it is adopted, remembered and left in
place, until a strict run (`/admin resyncroles strict:True`) removes every unearned role and
ends the adoptions.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import disnake

from cogs.delivery import MISSING_PERMISSIONS, UNKNOWN_MEMBER, role_fix_advice
from models.orders.entitlements import is_still_entitled, managed_role_ids, role_holders
from models.roles.adoption import Pair, adopt, adopted_pairs, end_adoptions, recorded_order_pairs

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
    # Roles held with no recorded order and left in place; newly_adopted of them this run.
    adopted: int = 0
    newly_adopted: int = 0
    # A strict run: adoptions it ended (of members in the server or not).
    strict: bool = False
    adoptions_ended: int = 0
    # Roles that could not be handled at all, each with what an admin should fix.
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"checked {self.members_checked} member(s) for {self.roles_managed} role(s): "
            f"granted {self.granted}, removed {self.removed}, failed {self.failed}"
        )
        if self.strict:
            text += f", {self.adoptions_ended} adoption(s) ended (strict)"
        else:
            text += f", adopted {self.adopted} ({self.newly_adopted} new)"
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


async def reconcile_roles(
    bot: Stockroom, guild: disnake.Guild, *, strict: bool = False
) -> RoleSyncReport:
    """Grants missing and removes unearned shop roles across the guild; returns the counts.

    Not strict: roles held with no recorded order are adopted and kept. Strict: every role
    no active order grants is removed, and the adoptions of the roles handled end.
    """
    customer_role_id = bot.settings.discord.customer_role_id
    report = RoleSyncReport(strict=strict)
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
    if strict:
        # Only roles this run could handle: a blocked role's holders stay adopted.
        report.adoptions_ended = await end_adoptions(usable.keys())
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
    unearned: dict[int, list[int]] = {}
    for member in humans:
        want = owed.get(member.id, set()) & usable.keys()
        have = {role.id for role in member.roles} & usable.keys()
        for role_id in sorted(want - have):
            await _change(bot, member, usable, role_id, grant=True, report=report)
        if have - want:
            unearned[member.id] = sorted(have - want)
    keep = set() if report.strict else await _adopted_here(customer_role_id, unearned, report)
    for member in humans:
        for role_id in unearned.get(member.id, []):
            if (member.id, role_id) not in keep:
                await _change(bot, member, usable, role_id, grant=False, report=report)


async def _adopted_here(
    customer_role_id: int, unearned: dict[int, list[int]], report: RoleSyncReport
) -> set[Pair]:
    """Which unearned roles of this page stay: adopted before, or held with no recorded order.

    The second kind is adopted now (remembered), so later runs keep it even after an order.
    """
    if not unearned:
        return set()
    members = sorted(unearned)
    held = {(member, role) for member, roles in unearned.items() for role in roles}
    adopted = await adopted_pairs(members) & held
    recorded = await recorded_order_pairs(customer_role_id, members)
    fresh = held - adopted - recorded
    report.newly_adopted += await adopt(fresh)
    report.adopted += len(adopted | fresh)
    return adopted | fresh


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
