"""The audit trail in Discord: every /admin command recorded, and /admin audit to read it."""

from __future__ import annotations

import logging
import re

import disnake
from disnake.ext import commands

from cogs import _embeds
from cogs.admin.cog import Admin
from cogs.admin.guard import describe_options, require_admin
from cogs.admin.options import PageNumber
from cogs.errors import user_message
from models.audit.actions import record_admin_action
from models.audit.queries import AuditPage, audit_page
from models.errors import InvalidInput

log = logging.getLogger(__name__)

PER_PAGE = 10
PAGE_PREFIX = "admin:audit:"
_PAGE_ID = re.compile(r"^admin:audit:(\d{1,4}):(\d{1,20}):(prev|next)$")


def _action_of(inter: disnake.ApplicationCommandInteraction) -> str | None:
    """The sub-command path under /admin ("export orders"), or None for other commands.

    Read from the interaction data, which is there even when a check refused the command.
    """
    if inter.data.name != "admin":
        return None
    names: list[str] = []
    options = inter.data.options
    while options and options[0].type in (
        disnake.OptionType.sub_command,
        disnake.OptionType.sub_command_group,
    ):
        names.append(options[0].name)
        options = options[0].options
    return " ".join(names) or "admin"


class AuditTrail(commands.Cog):
    """Writes one audit row per /admin command: what was asked, by whom, and how it ended."""

    def __init__(self, bot: commands.InteractionBot) -> None:
        self.bot = bot

    async def _record(self, inter: disnake.ApplicationCommandInteraction, outcome: str) -> None:
        action = _action_of(inter)
        if action is None:
            return
        target, details = describe_options(inter.filled_options)
        await record_admin_action(inter.author.id, action, target, details, outcome=outcome)

    @commands.Cog.listener("on_slash_command_completion")
    async def command_done(self, inter: disnake.ApplicationCommandInteraction) -> None:
        await self._record(inter, "done")

    @commands.Cog.listener("on_slash_command_error")
    async def command_refused(
        self, inter: disnake.ApplicationCommandInteraction, error: Exception
    ) -> None:
        await self._record(inter, f"refused: {user_message(error) or 'unexpected error'}")

    @commands.Cog.listener("on_button_click")
    async def audit_page_clicked(self, inter: disnake.MessageInteraction) -> None:
        custom_id = inter.data.custom_id or ""
        if not custom_id.startswith(PAGE_PREFIX):
            return
        require_admin(inter)
        match = _PAGE_ID.match(custom_id)
        if match is None:
            raise InvalidInput("That button is not valid any more; run /admin audit again.")
        listing = await audit_page(
            int(match.group(1)), PER_PAGE, actor_id=int(match.group(2)) or None
        )
        await inter.response.edit_message(**_audit_view(listing, int(match.group(2))))


@Admin.admin.sub_command(name="audit")
async def audit_command(
    inter: disnake.ApplicationCommandInteraction,
    admin: disnake.User | None = None,
    page: PageNumber = 1,
) -> None:
    """The audit trail of admin actions, newest first.

    Parameters
    ----------
    admin: Only this admin's actions
    page: Page number (10 entries a page)
    """
    listing = await audit_page(page, PER_PAGE, actor_id=admin.id if admin else None)
    await inter.response.send_message(
        **_audit_view(listing, admin.id if admin else 0), ephemeral=True
    )


def _entry_line(details: dict) -> str:
    outcome = details.get("outcome", "done")
    shown = ", ".join(f"{k}={v}" for k, v in details.items() if k != "outcome")
    return f"{outcome}" + (f" · {shown}" if shown else "")


def _audit_view(listing: AuditPage, actor_id: int) -> dict:
    embed = disnake.Embed(title="Audit trail", colour=_embeds.INFO)
    if actor_id:
        embed.description = f"Admin <@{actor_id}>"
    if not listing.entries:
        embed.description = (embed.description or "") + "\nNothing recorded yet."
    for entry in listing.entries:
        embed.add_field(
            name=f"{entry.action} · {entry.target or '—'}"[: _embeds.FIELD_NAME_MAX],
            value=(
                f"<@{entry.actor_id}> · <t:{int(entry.created_at.timestamp())}:f>\n"
                f"{_entry_line(entry.details)}"
            )[: _embeds.FIELD_VALUE_MAX],
            inline=False,
        )
    embed.set_footer(text=f"Page {listing.page} of {listing.pages} · {listing.total} entries")
    buttons = [
        disnake.ui.Button(
            label="◀ Previous",
            custom_id=f"{PAGE_PREFIX}{max(1, listing.page - 1)}:{actor_id}:prev",
            disabled=listing.page <= 1,
        ),
        disnake.ui.Button(
            label="Next ▶",
            custom_id=f"{PAGE_PREFIX}{min(listing.pages, listing.page + 1)}:{actor_id}:next",
            disabled=listing.page >= listing.pages,
        ),
    ]
    return {"embed": _embeds.fit(embed), "components": buttons}
