"""/admin export orders|ledger|stock|subscriptions: a CSV attachment, filtered by date range."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import disnake
from disnake.ext import commands

from cogs.admin.cog import Admin
from cogs.admin.render import notice
from models.reports.exports import ExportFilter, export_csv, export_filter

DateText = commands.String[str, 10, 10]


@Admin.admin.sub_command_group(name="export")
async def export_group(inter: disnake.ApplicationCommandInteraction) -> None:
    """CSV exports (no codes)."""


async def _send(
    inter: disnake.ApplicationCommandInteraction, kind: str, where: ExportFilter
) -> None:
    text, rows = await export_csv(kind, where)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    attachment = disnake.File(io.BytesIO(text.encode()), filename=f"stockroom-{kind}-{stamp}.csv")
    await inter.response.send_message(
        embed=notice(f"{rows} row(s) exported ({kind})."), file=attachment, ephemeral=True
    )


@export_group.sub_command(name="orders")
async def export_orders(
    inter: disnake.ApplicationCommandInteraction,
    since: DateText | None = None,
    until: DateText | None = None,
    status: str | None = None,
) -> None:
    """Orders as CSV.

    Parameters
    ----------
    since: First day, YYYY-MM-DD (UTC)
    until: Last day, YYYY-MM-DD (UTC, included)
    status: Only orders in this status, e.g. delivered
    """
    await _send(inter, "orders", export_filter(since, until, status))


@export_group.sub_command(name="ledger")
async def export_ledger(
    inter: disnake.ApplicationCommandInteraction,
    since: DateText | None = None,
    until: DateText | None = None,
    kind: str | None = None,
) -> None:
    """The wallet ledger as CSV.

    Parameters
    ----------
    since: First day, YYYY-MM-DD (UTC)
    until: Last day, YYYY-MM-DD (UTC, included)
    kind: Only topup, purchase, refund or adjustment
    """
    await _send(inter, "ledger", export_filter(since, until, kind))


@export_group.sub_command(name="stock")
async def export_stock(
    inter: disnake.ApplicationCommandInteraction,
    since: DateText | None = None,
    until: DateText | None = None,
    status: str | None = None,
) -> None:
    """Stock as CSV: fingerprints and statuses, never a code.

    Parameters
    ----------
    since: First day added, YYYY-MM-DD (UTC)
    until: Last day added, YYYY-MM-DD (UTC, included)
    status: Only available, reserved, delivered or revoked
    """
    await _send(inter, "stock", export_filter(since, until, status))


@export_group.sub_command(name="subscriptions")
async def export_subscriptions(
    inter: disnake.ApplicationCommandInteraction,
    since: DateText | None = None,
    until: DateText | None = None,
    event: str | None = None,
) -> None:
    """Subscription payments, renewals, failed payments and endings as CSV.

    Parameters
    ----------
    since: First day, YYYY-MM-DD (UTC)
    until: Last day, YYYY-MM-DD (UTC, included)
    event: Only first_payment, renewal, payment_failed or ended
    """
    await _send(inter, "subscriptions", export_filter(since, until, event))
