"""Recovery from Discord: parked jobs retried or dismissed (/admin jobs), inbox rows replayed.

admin:job:<job id>:<retry or dismiss>   a button under /admin jobs or /admin order
"""

from __future__ import annotations

import re
from typing import Literal

import disnake
from disnake.ext import commands

from cogs import _embeds
from cogs.admin.cog import Admin
from cogs.admin.guard import audit, require_admin
from models.base import JobKind
from models.errors import InvalidInput, NotFound
from models.inbox.actions import requeue_failed_webhook_event
from models.inbox.queries import list_webhook_events
from models.outbox.parked import (
    dismiss_parked,
    dismiss_parked_of_kind,
    retry_parked,
    retry_parked_of_kind,
)
from models.outbox.queries import parked_jobs
from models.outbox.tables import Job

JobAction = Literal["list", "retry", "dismiss"]
WebhookAction = Literal["list", "replay"]
KindChoice = Literal[
    "deliver_codes", "grant_role", "revoke_role", "post_feed", "notify_admin", "update_storefront"
]
RowId = commands.Range[int, 1, 2**31 - 1]
_JOB_ID = re.compile(r"^admin:job:(\d{1,10}):(retry|dismiss)$")
LISTED = 10


def job_buttons(jobs: list[Job]) -> list[disnake.ui.ActionRow]:
    """Retry and Dismiss for each job (at most two a row, so four jobs use four rows)."""
    return [
        disnake.ui.ActionRow(
            disnake.ui.Button(
                label=f"Retry #{job.id}",
                style=disnake.ButtonStyle.primary,
                custom_id=f"admin:job:{job.id}:retry",
            ),
            disnake.ui.Button(
                label=f"Dismiss #{job.id}",
                style=disnake.ButtonStyle.secondary,
                custom_id=f"admin:job:{job.id}:dismiss",
            ),
        )
        for job in jobs
    ]


def _parked_embed(jobs: list[Job], total: int, kind: str | None) -> disnake.Embed:
    embed = disnake.Embed(
        title="Parked jobs" + (f" · {kind}" if kind else ""), colour=_embeds.WARNING
    )
    if not jobs:
        embed.description = "No job is parked."
        embed.colour = _embeds.COMPLETED
    for job in jobs:
        order = f" · order id {job.order_id}" if job.order_id else ""  # type: ignore[attr-defined]
        embed.add_field(
            name=f"#{job.id} {job.kind.value}{order}",
            value=f"{job.attempts} attempt(s): {job.last_error or 'no error kept'}",
            inline=False,
        )
    embed.set_footer(text=f"{total} parked · retry or dismiss one, or all of a kind")
    return _embeds.fit(embed)


async def _run_job_action(action: str, job: int | None, kind: str | None, actor: int) -> str:
    """The one place /admin jobs and the job buttons change a parked job; returns the notice."""
    if job is not None:
        done = await (retry_parked(job) if action == "retry" else dismiss_parked(job, actor))
        if not done:
            raise NotFound(f"Job #{job} is not parked (it may have been retried or dismissed).")
        return f"Job #{job} {'queued again' if action == 'retry' else 'dismissed'}."
    if kind is None:
        raise InvalidInput(f"Say which job to {action}: give `job`, or `kind` for all of a kind.")
    if action == "retry":
        count = await retry_parked_of_kind(JobKind(kind))
    else:
        count = await dismiss_parked_of_kind(JobKind(kind), actor)
    verb = "queued again" if action == "retry" else "dismissed"
    return f"{count} parked {kind} job(s) {verb}."


@Admin.admin.sub_command(name="jobs")
async def jobs_command(
    inter: disnake.ApplicationCommandInteraction,
    action: JobAction = "list",
    job: RowId | None = None,
    kind: KindChoice | None = None,
) -> None:
    """Parked jobs: list them, retry or dismiss one (job) or all of a kind (kind).

    Parameters
    ----------
    action: list, retry or dismiss
    job: The job's number (#) from the list
    kind: All parked jobs of this kind
    """
    if action == "list":
        if job is not None:
            raise InvalidInput("`job` is for retry or dismiss; list shows every parked job.")
        jobs, total = await parked_jobs(JobKind(kind) if kind else None, LISTED)
        await inter.response.send_message(
            embed=_parked_embed(jobs, total, kind), components=job_buttons(jobs[:5]), ephemeral=True
        )
        return
    if job is not None and kind is not None:
        raise InvalidInput("Give `job` or `kind`, not both.")
    notice = await _run_job_action(action, job, kind, inter.author.id)
    await inter.response.send_message(embed=_notice(notice), ephemeral=True)


def _notice(text: str) -> disnake.Embed:
    return _embeds.fit(disnake.Embed(description=text, colour=_embeds.COMPLETED))


@Admin.admin.sub_command(name="webhooks")
async def webhooks_command(
    inter: disnake.ApplicationCommandInteraction,
    action: WebhookAction = "list",
    event: RowId | None = None,
) -> None:
    """Webhook events that failed to process: list them, or replay one.

    Parameters
    ----------
    action: list the failed events, or replay one
    event: The event's number (#) from the list
    """
    if action == "list":
        rows, total = await list_webhook_events(status="failed", per_page=LISTED)
        embed = disnake.Embed(title="Failed webhook events", colour=_embeds.WARNING)
        embed.description = "No webhook event failed." if not rows else None
        for row in rows:
            embed.add_field(
                name=f"#{row['id']} {row['provider']} · {row['event_type'] or row['event_id']}",
                value=f"{row['attempts']} attempt(s): {row['error'] or 'no error kept'}",
                inline=False,
            )
        embed.set_footer(text=f"{total} failed · /admin webhooks action:replay event:<#>")
        await inter.response.send_message(embed=_embeds.fit(embed), ephemeral=True)
        return
    if event is None:
        raise InvalidInput("Say which event to replay: give `event` (its # in the list).")
    if not await requeue_failed_webhook_event(event):
        raise NotFound(f"Webhook event #{event} has not failed (or does not exist).")
    server = inter.bot.get_cog("WebhookServer")
    queued = await server.resume_inbox() if server is not None else 0  # type: ignore[attr-defined]
    await inter.response.send_message(
        embed=_notice(f"Webhook event #{event} queued for processing again ({queued} queued)."),
        ephemeral=True,
    )


class JobButtons(commands.Cog):
    """Retry and Dismiss buttons of parked jobs, wherever they are shown."""

    def __init__(self, bot: commands.InteractionBot) -> None:
        self.bot = bot

    @commands.Cog.listener("on_button_click")
    async def job_clicked(self, inter: disnake.MessageInteraction) -> None:
        custom_id = inter.data.custom_id or ""
        if not custom_id.startswith("admin:job:"):
            return
        require_admin(inter)
        match = _JOB_ID.match(custom_id)
        if match is None:
            raise InvalidInput("That button is not valid any more; run /admin jobs again.")
        job, action = int(match.group(1)), match.group(2)
        try:
            notice = await _run_job_action(action, job, None, inter.author.id)
        except NotFound as exc:
            await audit(inter, f"jobs {action}", f"job:{job}", outcome=f"refused: {exc.message}")
            raise
        await audit(inter, f"jobs {action}", f"job:{job}", {"from": "button"})
        await inter.response.send_message(embed=_notice(notice), ephemeral=True)
