"""The remind_access job: a DM a few days before a timed access ends, with a Renew button.

Queued by the leader's sweep ([access] reminder_days before the end, see
models.orders.access_reminders). It runs from the order as it is now: an order refunded
meanwhile, extended (another end), or renewed by a later purchase gets no reminder. The
Renew button opens the shop's payment step for the same product and pack, right in the DM
(cogs.shop, id ``shop:renew:<key>:<qty>``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import disnake

from cogs import _embeds
from cogs._embeds import clip, fit
from cogs.delivery.buyer_dms import dm_customer
from cogs.delivery.messages import what_was_bought
from cogs.delivery.receipts import product_title
from cogs.shop.ids import renew_id
from models.errors import NotFound
from models.orders.access_reminders import superseded
from models.orders.facts import ENTITLED
from models.orders.queries import get_order
from models.orders.tables import Order

if TYPE_CHECKING:
    from bot import Stockroom


def reminder_embed(order: Order, ends: datetime) -> disnake.Embed:
    """When the access ends (absolute and relative Discord timestamps), and how to renew."""
    bought = clip(what_was_bought(order.quantity, product_title(order)), 300)
    at = disnake.utils.format_dt(ends, "F")
    embed = disnake.Embed(
        title=clip(f"Your {product_title(order)} ends soon", _embeds.TITLE_MAX),
        colour=_embeds.WARNING,
        description=(
            f"Your access from **{bought}** (order {order.number}) ends on {at} "
            f"({disnake.utils.format_dt(ends, 'R')}). Renew now to keep it: the new period "
            "starts when this one ends, so no day is lost."
        ),
    )
    embed.add_field(name="Order", value=order.number, inline=True)
    embed.add_field(name="Ends", value=at, inline=True)
    embed.set_footer(text="Renew opens the payment step here; nothing is charged until you pay.")
    return fit(embed)


def reminder_components(order: Order) -> list[disnake.ui.ActionRow]:
    assert order.product is not None
    button = disnake.ui.Button(
        style=disnake.ButtonStyle.primary,
        label="Renew",
        custom_id=renew_id(order.product.key, order.quantity),
    )
    return [disnake.ui.ActionRow(button)]


def _skip_reason(order: Order, ends: datetime) -> str | None:
    if order.customer is None or order.product is None:
        return "the order has no Discord user or product"
    if order.status not in ENTITLED:
        return f"the order is {order.status.value} now"
    if order.access_until != ends:
        return "its access was changed since"
    if order.customer.dms_closed:
        return "the buyer's DMs are known to be closed"
    return None


async def remind_access(bot: Stockroom, payload: dict[str, Any]) -> str:
    """Runs one remind_access job (payload plus its job_id); returns what happened, for the log."""
    try:
        order = await get_order(int(payload["order_id"]))
    except NotFound:
        return "skipped: the order no longer exists"
    ends = datetime.fromisoformat(str(payload["access_until"]))
    skip = _skip_reason(order, ends)
    if skip is None and await superseded(order):
        skip = "a later purchase already extends it"
    if skip is not None:
        return f"order {order.number}: access reminder skipped: {skip}"
    assert order.customer is not None
    sent = await dm_customer(
        bot,
        order.customer.discord_id,
        int(payload["job_id"]),
        reminder_embed(order, ends),
        reminder_components(order),
    )
    if not sent:
        return f"order {order.number}: access reminder not sent, the buyer's DMs are closed"
    return f"order {order.number}: access reminder sent by DM"
