"""/admin resyncroles strict: make the server's shop roles match the orders, now.

Not strict (the default, as at every start): missing roles are granted, roles whose recorded
order was refunded or cancelled are removed, and roles held with no recorded order are
adopted and left in place. Strict: every shop role no active order grants is removed,
adopted ones included, and the adoptions end; the audit trail keeps the counts.
"""

from __future__ import annotations

import logging

import disnake

from cogs import _embeds
from cogs.admin.cog import Admin, Reply, _answer_later
from cogs.roles import RoleSyncReport, resync_roles
from models.audit.actions import record_admin_action

log = logging.getLogger(__name__)


@Admin.admin.sub_command(name="resyncroles")
async def resyncroles_command(
    inter: disnake.ApplicationCommandInteraction, strict: bool = False
) -> None:
    """Grant and remove shop roles so the server matches the active orders.

    Parameters
    ----------
    strict: Also remove roles adopted from before Stockroom (held with no order)
    """

    async def work() -> Reply:
        report = await resync_roles(inter.bot, strict=strict)  # type: ignore[arg-type]
        log.info(
            "admin %s re-synced roles%s: %s",
            inter.author.id,
            " (strict)" if strict else "",
            report.summary(),
        )
        if strict:
            await record_admin_action(
                inter.author.id,
                "resyncroles strict",
                details={
                    "removed": report.removed,
                    "adoptions_ended": report.adoptions_ended,
                    "failed": report.failed,
                    "members_checked": report.members_checked,
                },
                outcome=("problems: " + "; ".join(report.problems)) if report.problems else "done",
            )
        return {"embed": role_sync_embed(report)}

    await _answer_later(inter, work)


def role_sync_embed(report: RoleSyncReport) -> disnake.Embed:
    embed = disnake.Embed(
        title="Roles re-synced" + (" (strict)" if report.strict else ""),
        colour=_embeds.WARNING if report.problems or report.failed else _embeds.COMPLETED,
    )
    embed.add_field(name="Members checked", value=str(report.members_checked))
    embed.add_field(name="Roles managed", value=str(report.roles_managed))
    embed.add_field(name="Granted", value=str(report.granted))
    embed.add_field(name="Removed", value=str(report.removed))
    embed.add_field(name="Failed", value=str(report.failed))
    embed.add_field(name="Adopted", value=str(report.adopted))
    if report.strict:
        embed.add_field(name="Adoptions ended", value=str(report.adoptions_ended))
    elif report.adopted:
        embed.add_field(
            name="Adopted roles",
            value=(
                f"{report.adopted} role(s) held with no recorded order stay in place "
                f"({report.newly_adopted} new). `strict:True` removes them."
            ),
            inline=False,
        )
    if report.problems:
        embed.add_field(name="To fix", value="\n".join(report.problems), inline=False)
    return _embeds.fit(embed)
