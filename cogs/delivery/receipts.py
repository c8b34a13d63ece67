"""The notify_buyer job: what a buyer is told besides their codes.

* ``receipt`` — a role-only order was delivered (the role granted): its receipt by DM, the
  way a code order's codes DM is one.
* ``queued`` — a paid order waits for stock: the buyer learns it is queued and that the
  codes follow by DM when stock arrives (cogs.delivery.codes sends them then).
* ``payment_failed`` — a subscription renewal failed: a portal link to fix the card
  (cogs.delivery.subscription_notices).

Each runs from the order as it is now: a receipt for an order refunded meanwhile, or a
queued notice for an order delivered meanwhile, is skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import disnake

from cogs import _embeds
from cogs._embeds import clip, fit
from cogs.delivery.buyer_dms import dm_customer
from cogs.delivery.messages import what_was_bought
from cogs.delivery.outcomes import JobParked
from cogs.delivery.subscription_notices import notify_payment_failed
from models.base import OrderStatus
from models.errors import NotFound
from models.money import format_money
from models.orders.entitlements import order_role_id
from models.orders.facts import ENTITLED
from models.orders.queries import get_order
from models.orders.tables import Order
from models.subscriptions.actions import PAYMENT_FAILED

if TYPE_CHECKING:
    from bot import Stockroom

RECEIPT = "receipt"
QUEUED = "queued"


def product_title(order: Order) -> str:
    if order.product_name:
        return order.product_name
    return order.product.name if order.product is not None else "your order"


def receipt_embed(order: Order, role_name: str | None) -> disnake.Embed:
    """The DM for a delivered role-only order: what, how much, which role, when."""
    bought = clip(what_was_bought(order.quantity, product_title(order)), 300)
    role = f"the role **@{clip(role_name, 100)}**" if role_name else "your role"
    embed = disnake.Embed(
        title=f"Receipt for order {order.number}",
        colour=_embeds.COMPLETED,
        description=f"Thank you for buying **{bought}**. You now have {role} in the server.",
    )
    embed.add_field(name="Order", value=order.number, inline=True)
    embed.add_field(name="Paid", value=format_money(order.amount, order.currency), inline=True)
    if order.paid_at is not None:
        embed.add_field(name="Date", value=disnake.utils.format_dt(order.paid_at, "f"), inline=True)
    embed.set_footer(text="Keep this message: it is your proof of purchase.")
    return fit(embed)


def queued_embed(order: Order) -> disnake.Embed:
    """The DM for a paid order that waits for stock: it is queued, codes follow by DM."""
    bought = clip(what_was_bought(order.quantity, product_title(order)), 300)
    embed = disnake.Embed(
        title=f"Order {order.number} is queued",
        colour=_embeds.PENDING,
        description=(
            f"Your payment for **{bought}** arrived, but it is out of stock right now, so "
            "your order is queued. Your codes come to you here by DM as soon as stock is "
            "added; waiting orders are served oldest first. Nothing else is needed from you."
        ),
    )
    embed.add_field(name="Order", value=order.number, inline=True)
    embed.add_field(name="Paid", value=format_money(order.amount, order.currency), inline=True)
    embed.set_footer(text="You can follow it under My orders in the shop panel.")
    return fit(embed)


def _role_name(bot: Stockroom, order: Order) -> str | None:
    """The granted role's name as the server shows it, when the bot sees it."""
    role_id = order_role_id(order, order.product)
    discord = bot.settings.discord
    resolved = (role_id or discord.customer_role_id) if role_id is not None else 0
    guild = bot.get_guild(discord.guild_id) if discord.guild_id else None
    role = guild.get_role(resolved) if guild is not None and resolved else None
    return role.name if role is not None else None


def _skip_reason(notice: str, order: Order) -> str | None:
    """Why the notice no longer fits the order, or None to send it."""
    status = OrderStatus(order.status)
    if order.customer is None:
        return "the order has no Discord user"
    if notice == QUEUED and status is not OrderStatus.AWAITING_STOCK:
        return f"the order is {status.value} now, no longer waiting for stock"
    if notice == RECEIPT and status not in ENTITLED:
        return f"the order is {status.value} now"
    if order.customer.dms_closed:
        return "the buyer's DMs are known to be closed"
    return None


async def notify_buyer(bot: Stockroom, payload: dict[str, Any]) -> str:
    """Runs one notify_buyer job (payload plus its job_id); returns what happened, for the log."""
    notice = str(payload.get("notice", ""))
    if notice == PAYMENT_FAILED:
        return await notify_payment_failed(bot, payload)
    if notice not in (RECEIPT, QUEUED):
        raise JobParked(f"unknown buyer notice {notice!r}")
    try:
        order = await get_order(int(payload["order_id"]))
    except NotFound:
        return "skipped: the order no longer exists"
    skip = _skip_reason(notice, order)
    if skip is not None:
        return f"order {order.number}: {notice} notice skipped: {skip}"
    assert order.customer is not None
    if notice == RECEIPT:
        embed = receipt_embed(order, _role_name(bot, order))
    else:
        embed = queued_embed(order)
    if not await dm_customer(bot, order.customer.discord_id, int(payload["job_id"]), embed):
        return f"order {order.number}: {notice} notice not sent, the buyer's DMs are closed"
    return f"order {order.number}: {notice} notice sent by DM"
