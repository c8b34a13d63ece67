"""/admin catchup days: read the orders channel's order embeds again, as far back as asked.

The reader catches up by itself after downtime (and, on the very first start, reads the last
30 days); this is for a shop whose storefront relay posted orders longer ago than that.
Embeds already applied change nothing (one fact per message id); the reply counts them.
"""

from __future__ import annotations

import logging

import disnake
from disnake.ext import commands

from cogs import _embeds
from cogs.admin.cog import Admin, Reply, _answer_later
from cogs.orders_channel import CatchUpReport, OrdersChannelReader
from models.errors import InvalidInput

log = logging.getLogger(__name__)

CatchUpDays = commands.Range[int, 1, 3650]


def _reader_of(inter: disnake.ApplicationCommandInteraction) -> OrdersChannelReader:
    """The running orders-channel reader, or an InvalidInput saying what to set up first."""
    discord = inter.bot.settings.discord  # type: ignore[attr-defined]
    if not discord.orders_channel_id:
        raise InvalidInput("ORDERS_CHANNEL_ID is not set, so there is no orders channel to read.")
    if not discord.trusted_webhook_ids:
        raise InvalidInput(
            "No webhook is trusted, so no order embed would be acted on: list your storefront "
            "webhook's id in discord.trusted_webhook_ids (or TRUSTED_WEBHOOK_IDS) and restart."
        )
    # Looked up by name: the loaded extension's class is another object than an import's.
    reader = inter.bot.get_cog(OrdersChannelReader.__cog_name__)
    if reader is None or not getattr(reader, "reading", False):
        raise InvalidInput("The orders-channel reader is not running; the bot's log says why.")
    return reader  # type: ignore[return-value]


@Admin.admin.sub_command(name="catchup")
async def catchup_command(inter: disnake.ApplicationCommandInteraction, days: CatchUpDays) -> None:
    """Read the orders channel's order embeds of the last days again (applied ones are skipped).

    Parameters
    ----------
    days: How many days back to read (1 to 3650)
    """
    reader = _reader_of(inter)

    async def work() -> Reply:
        report = await reader.read_back(days)
        log.info(
            "admin %s: orders channel read back %s day(s): %s",
            inter.author.id,
            days,
            report.summary(),
        )
        return {"embed": catchup_embed(days, report)}

    await _answer_later(inter, work)


def catchup_embed(days: int, report: CatchUpReport) -> disnake.Embed:
    problems = report.rejected or report.failed
    embed = disnake.Embed(
        title=f"Orders channel read back {days} day(s)",
        colour=_embeds.WARNING if problems else _embeds.COMPLETED,
    )
    embed.add_field(name="Messages read", value=str(report.read))
    embed.add_field(name="Order posts", value=str(report.order_posts))
    embed.add_field(name="Applied", value=str(report.applied))
    embed.add_field(name="Already applied", value=str(report.already_applied))
    embed.add_field(name="Rejected", value=str(report.rejected))
    if report.failed:
        embed.add_field(name="Failed (read again next start)", value=str(report.failed))
    if problems:
        embed.set_footer(text="Rejected posts carry ❌; the bot's log says why.")
    return _embeds.fit(embed)
