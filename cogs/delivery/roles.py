"""The grant_role and revoke_role jobs, and the role checks role sync shares with them.

Both jobs decide from the orders as they are when the job runs, not when it was queued:
a grant for an order refunded meanwhile does nothing, and a revocation leaves the role in
place while any active order still grants it. Jobs for one member run one after another.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import disnake

from cogs.delivery.outcomes import MISSING_PERMISSIONS, UNKNOWN_MEMBER, JobParked, JobRetry
from models.orders.actions import mark_delivered
from models.orders.delivery import delivery_order
from models.orders.entitlements import is_still_entitled
from models.roles.adoption import is_adopted

if TYPE_CHECKING:
    from bot import Stockroom

log = logging.getLogger(__name__)


def shop_guild(bot: Stockroom) -> disnake.Guild:
    """The configured guild, or the reason a role job cannot run yet."""
    guild_id = bot.settings.discord.guild_id
    if not guild_id:
        raise JobParked("GUILD_ID is not set, so roles cannot be granted or removed.")
    guild = bot.get_guild(guild_id)
    if guild is None:
        raise JobRetry(f"the bot does not see guild {guild_id} (yet)")
    return guild


def role_fix_advice(guild: disnake.Guild, role: disnake.Role | None, role_id: int) -> str:
    """The admin message for a role the bot may not manage: which role, and what to change."""
    me = guild.me
    bot_role = f"@{me.top_role.name}" if me is not None else "the bot's role"
    retry = "then retry the order with /admin processorder retry."
    if role is None:
        return (
            f"Role id {role_id} does not exist in {guild.name}. Fix the product's role_id "
            "(or CUSTOMER_ROLE_ID) in config.toml and restart."
        )
    if me is not None and not me.guild_permissions.manage_roles:
        return (
            f"Cannot manage the role @{role.name} ({role.id}): the bot lacks the Manage Roles "
            f"permission. Give {bot_role} Manage Roles in Server Settings → Roles, {retry}"
        )
    if me is not None and not role.is_assignable():
        return (
            f"Cannot manage the role @{role.name} ({role.id}): it is at or above the bot's "
            f"highest role {bot_role} (or belongs to an integration). In Server Settings → "
            f"Roles drag {bot_role} above @{role.name}, {retry}"
        )
    return (
        f"Discord refused to change the role @{role.name} ({role.id}) (Missing Permissions). "
        f"The bot needs Manage Roles, and {bot_role} must sit above @{role.name}: check both "
        f"in Server Settings → Roles, {retry}"
    )


def manageable_role(guild: disnake.Guild, role_id: int) -> disnake.Role:
    """The role, when the bot may grant it; otherwise JobParked with what to fix.

    The hierarchy is checked locally first because a refused request counts toward
    Discord's invalid-request limit.
    """
    role = guild.get_role(role_id)
    if role is None:
        raise JobParked(role_fix_advice(guild, None, role_id))
    me = guild.me
    if me is not None and (not me.guild_permissions.manage_roles or not role.is_assignable()):
        raise JobParked(role_fix_advice(guild, role, role_id))
    return role


async def current_member(guild: disnake.Guild, discord_id: int) -> disnake.Member | None:
    """The member (cache, else REST), or None when they are not in the server."""
    try:
        return await guild.get_or_fetch_member(discord_id, strict=True)
    except disnake.NotFound as exc:
        if exc.code == UNKNOWN_MEMBER:
            return None
        raise


def _refused(exc: disnake.Forbidden, guild: disnake.Guild, role: disnake.Role) -> JobParked:
    if exc.code == MISSING_PERMISSIONS:
        return JobParked(role_fix_advice(guild, role, role.id))
    return JobParked(f"Discord refused the role change for @{role.name} (code {exc.code}).")


@dataclass(frozen=True)
class _RoleJob:
    """What grant_role and revoke_role both read from a job payload."""

    discord_id: int
    payload_role_id: int
    role_id: int
    customer_role_id: int
    order: Any
    label: str


async def _read_role_job(bot: Stockroom, payload: dict[str, Any]) -> _RoleJob | None:
    """The job's member, role and order; None when the role is CUSTOMER_ROLE_ID and unset."""
    customer_role_id = bot.settings.discord.customer_role_id
    role_id = int(payload["role_id"]) or customer_role_id
    if not role_id:
        return None
    order = await delivery_order(int(payload["order_id"]))
    return _RoleJob(
        discord_id=int(payload["discord_id"]),
        payload_role_id=int(payload["role_id"]),
        role_id=role_id,
        customer_role_id=customer_role_id,
        order=order,
        label=order.number if order is not None else f"#{payload['order_id']}",
    )


_UNSET_CUSTOMER_ROLE = "skipped: the product grants CUSTOMER_ROLE_ID, which is not set"


async def grant_role(bot: Stockroom, payload: dict[str, Any]) -> str:
    """Runs one grant_role job; returns what happened, for the log line."""
    job = await _read_role_job(bot, payload)
    if job is None:
        return _UNSET_CUSTOMER_ROLE
    if not await is_still_entitled(
        job.discord_id, job.payload_role_id, customer_role_id=job.customer_role_id
    ):
        return f"skipped: no active order entitles {job.discord_id} to role {job.role_id} any more"
    guild = shop_guild(bot)
    role = manageable_role(guild, job.role_id)
    member = await current_member(guild, job.discord_id)
    if member is None:
        return f"order {job.label}: buyer is not in the server; the role is granted when they join"
    if role in member.roles:
        # A returning buyer: the member as the gateway keeps it holds the role already, so
        # no request is spent on it (a launch day shares Discord's 50/s across orders).
        done = f"order {job.label}: role @{role.name} already held"
    else:
        try:
            await member.add_roles(role, reason=f"Stockroom: order {job.label}")
        except disnake.Forbidden as exc:
            raise _refused(exc, guild, role) from exc
        done = f"order {job.label}: role @{role.name} granted"
    if job.order is not None and job.order.role_only and job.order.entitled:
        await mark_delivered(job.order.order_id, job.order.source)
    return done


async def revoke_role(bot: Stockroom, payload: dict[str, Any]) -> str:
    """Runs one revoke_role job; returns what happened, for the log line."""
    job = await _read_role_job(bot, payload)
    if job is None:
        return _UNSET_CUSTOMER_ROLE
    # Every order counts here, this one too: were it entitled again (a dispute won since),
    # the role must stay.
    if await is_still_entitled(
        job.discord_id, job.payload_role_id, customer_role_id=job.customer_role_id
    ):
        return f"order {job.label}: role {job.role_id} kept, another active order grants it"
    if await is_adopted(job.discord_id, job.role_id):
        return f"order {job.label}: role {job.role_id} kept, held before Stockroom (adopted)"
    guild = shop_guild(bot)
    role = manageable_role(guild, job.role_id)
    member = await current_member(guild, job.discord_id)
    if member is None:
        return f"order {job.label}: buyer is not in the server; nothing to remove"
    try:
        await member.remove_roles(role, reason=f"Stockroom: order {job.label} no longer entitles")
    except disnake.Forbidden as exc:
        raise _refused(exc, guild, role) from exc
    return f"order {job.label}: role @{role.name} removed"
