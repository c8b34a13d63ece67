"""/admin order: one order's details, its timeline of events and jobs, and its action buttons.

    admin:order:<number>:<action>       an action button (complete, refund, retry, cancel)
    admin:ordermodal:<number>:<action>  the reason modal that button opens
    admin:openorder                     the select under /admin vieworders that opens an order

A click re-reads the order, so a stale button can only offer what is still allowed; the
domain refuses anything else with a message.
"""

from __future__ import annotations

import re
from datetime import datetime

import disnake
from disnake.ext import commands

from cogs import _embeds
from cogs.admin.cog import Admin
from cogs.admin.guard import audit, require_admin
from cogs.admin.ids import OPEN_ORDER_ID
from cogs.admin.options import OrderNumber
from cogs.admin.recovery import job_buttons
from models.base import JobStatus
from models.coupons.rules import applied_coupon
from models.errors import InvalidInput, ShopError
from models.money import format_money
from models.orders.actions import admin_process_order, allowed_admin_actions
from models.orders.queries import OrderTimeline, order_timeline, recent_order_choices
from models.orders.tables import Order, OrderEvent
from models.outbox.actions import CANCELLED_PREFIX
from models.outbox.parked import DISMISSED_PREFIX, SUPERSEDED_PREFIX
from models.outbox.tables import Job

_ACTION_ID = re.compile(
    r"^admin:(order|ordermodal):(SR-[A-Z0-9]{1,24}):(complete|refund|retry|cancel)$"
)
STALE = "That button is not valid any more; run /admin order again."
LABELS = {"complete": "Complete", "refund": "Refund", "retry": "Retry delivery", "cancel": "Cancel"}
STYLES = {"refund": disnake.ButtonStyle.danger, "cancel": disnake.ButtonStyle.danger}


def _when(moment: datetime | None) -> str:
    return f"<t:{int(moment.timestamp())}:f>" if moment else "—"


def event_line(order: Order, event: OrderEvent) -> str:
    """time · cause · from → to · actor · amount · note (one line per OrderEvent)."""
    before = event.from_status.value if event.from_status else "new"
    parts = [_when(event.created_at), f"`{event.cause}`", f"{before} → {event.to_status.value}"]
    if event.actor_id:
        parts.append(f"by <@{event.actor_id}>")
    detail = event.detail or {}
    if detail.get("refund_amount") is not None:
        parts.append(f"refund {format_money(detail['refund_amount'], order.currency)}")
    elif detail.get("fact") == "paid":
        parts.append(format_money(order.amount, order.currency))
    if detail.get("note"):
        parts.append(f"“{_embeds.clip(detail['note'], 80)}”")
    return " · ".join(parts)


def job_state(job: Job) -> str:
    """sent, queued, retrying with its next attempt, parked with its error, ..."""
    error = _embeds.clip(job.last_error, 120) if job.last_error else ""
    if job.status is JobStatus.DONE:
        if job.last_error.startswith(CANCELLED_PREFIX):
            return "withdrawn"
        if job.last_error.startswith(DISMISSED_PREFIX):
            return "dismissed by an admin"
        if job.last_error.startswith(SUPERSEDED_PREFIX):
            return "replaced by an admin retry"
        return "sent"
    if job.status is JobStatus.RUNNING:
        return f"running (attempt {job.attempts})"
    if job.status is JobStatus.PARKED:
        return f"**parked** after {job.attempts} attempt(s): {error}"
    if job.attempts:
        return f"retrying, next attempt <t:{int(job.next_attempt_at.timestamp())}:R>: {error}"
    return "queued"


def _lines_within(lines: list[str], limit: int) -> str:
    """As many lines as fit in `limit` characters, the rest counted."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        if used + len(line) + 1 > limit - 40:
            kept.append(f"… and {len(lines) - index} more")
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept) or "—"


def _coupon_line(order: Order) -> list[str]:
    applied = applied_coupon(order.details)
    if applied is None:
        return []
    return [
        f"Coupon {applied.code}: {format_money(applied.discount, order.currency)} off "
        f"{format_money(applied.list_price, order.currency)}"
    ]


def timeline_embed(view: OrderTimeline) -> disnake.Embed:
    order = view.order
    who = f"<@{order.customer.discord_id}>" if order.customer else (order.email and "by e-mail")
    details = [
        f"**{order.product_name or 'order'}** × {order.quantity} · "
        f"{format_money(order.amount, order.currency)}"
        + (
            f" · refunded {format_money(order.refunded_amount, order.currency)}"
            if order.refunded_amount
            else ""
        ),
        f"Buyer {who or 'unknown'} · {order.source.value} · paid by {order.payment_method.value}",
        *_coupon_line(order),
        f"Created {_when(order.created_at)} · paid {_when(order.paid_at)} · "
        f"delivered {_when(order.delivered_at)}",
    ]
    if order.needs_attention:
        details.append(f"⚠️ needs attention: {order.attention_reason or 'see the timeline'}")
    events = [event_line(order, event) for event in view.events]
    description = "\n".join(details) + "\n\n**Timeline**\n"
    description += _lines_within(events, _embeds.DESCRIPTION_MAX - len(description))
    embed = disnake.Embed(
        title=f"Order {order.number} · {order.status.value.replace('_', ' ')}",
        description=description,
        colour=_embeds.colour_for(order.status.value),
    )
    jobs = [f"#{job.id} {job.kind.value} · {job_state(job)}" for job in view.jobs]
    embed.add_field(name="Jobs", value=_lines_within(jobs, _embeds.FIELD_VALUE_MAX), inline=False)
    embed.set_footer(text="Buttons show the actions allowed now; each is audited.")
    return _embeds.fit(embed)


def action_buttons(view: OrderTimeline) -> list[disnake.ui.ActionRow]:
    number = view.order.number
    actions = [
        disnake.ui.Button(
            label=LABELS[name],
            style=STYLES.get(name, disnake.ButtonStyle.primary),
            custom_id=f"admin:order:{number}:{name}",
        )
        for name in allowed_admin_actions(view.order.status)
    ]
    rows = [disnake.ui.ActionRow(*actions)] if actions else []
    parked = [job for job in view.jobs if job.status is JobStatus.PARKED]
    rows += job_buttons(parked[:2])
    return rows


async def order_reply(number: str) -> dict:
    view = await order_timeline(number)
    return {"embed": timeline_embed(view), "components": action_buttons(view)}


@Admin.admin.sub_command(name="order")
async def order_command(inter: disnake.ApplicationCommandInteraction, number: OrderNumber) -> None:
    """One order: details, timeline of events and jobs, and the actions allowed now.

    Parameters
    ----------
    number: Order number (type part of it or the buyer's name)
    """
    await inter.response.send_message(**await order_reply(number), ephemeral=True)


@order_command.autocomplete("number")
async def _order_choices(inter: disnake.ApplicationCommandInteraction, typed: str) -> dict:
    typed_lower = typed.strip().lower()
    members = inter.guild.members if inter.guild and typed_lower else []
    named = {
        m.id: m.display_name
        for m in members
        if typed_lower in m.display_name.lower() or typed_lower in m.name.lower()
    }
    orders = await recent_order_choices(typed, list(named)[:100])
    choices = {}
    for order in orders:
        buyer = order.customer.discord_id if order.customer else None
        name = named.get(buyer) if buyer else None
        if name is None and buyer and inter.guild and (member := inter.guild.get_member(buyer)):
            name = member.display_name
        label = f"{order.number} · {order.status.value.replace('_', ' ')} · {order.product_name}"
        choices[_embeds.clip(label + (f" · {name}" if name else ""), 100)] = order.number
    return choices


class OrderView(commands.Cog):
    """The buttons, modal and select of the order view."""

    def __init__(self, bot: commands.InteractionBot) -> None:
        self.bot = bot

    @commands.Cog.listener("on_dropdown")
    async def order_picked(self, inter: disnake.MessageInteraction) -> None:
        if inter.data.custom_id != OPEN_ORDER_ID:
            return
        require_admin(inter)
        number = (inter.values or [""])[0]
        await inter.response.send_message(**await order_reply(number), ephemeral=True)
        await audit(inter, "order", number, {"from": "vieworders"})

    @commands.Cog.listener("on_button_click")
    async def action_clicked(self, inter: disnake.MessageInteraction) -> None:
        custom_id = inter.data.custom_id or ""
        if not custom_id.startswith("admin:order:"):
            return
        require_admin(inter)
        match = _ACTION_ID.match(custom_id)
        if match is None or match.group(1) != "order":
            raise InvalidInput(STALE)
        number, action = match.group(2), match.group(3)
        await inter.response.send_modal(
            title=f"{LABELS[action]} {number}",
            custom_id=f"admin:ordermodal:{number}:{action}",
            components=[
                disnake.ui.TextInput(
                    label="Reason (kept in the order's audit trail)",
                    custom_id="reason",
                    style=disnake.TextInputStyle.paragraph,
                    max_length=500,
                    required=False,
                )
            ],
        )

    @commands.Cog.listener("on_modal_submit")
    async def action_confirmed(self, inter: disnake.ModalInteraction) -> None:
        if not inter.custom_id.startswith("admin:ordermodal:"):
            return
        require_admin(inter)
        match = _ACTION_ID.match(inter.custom_id)
        if match is None:
            raise InvalidInput(STALE)
        number, action = match.group(2), match.group(3)
        reason = inter.text_values.get("reason", "")
        try:
            await admin_process_order(
                number,
                action,
                actor_id=inter.author.id,
                reference=f"interaction:{inter.id}",
                note=reason,
            )
        except ShopError as exc:
            await audit(inter, f"order {action}", number, outcome=f"refused: {exc.message}")
            raise
        await audit(inter, f"order {action}", number, {"reason": reason})
        await inter.response.send_message(**await order_reply(number), ephemeral=True)
