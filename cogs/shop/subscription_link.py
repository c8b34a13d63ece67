"""My orders, for a subscription order: its status and a "Manage subscription" portal link."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import disnake

from models.orders.tables import Order
from models.subscriptions.queries import subscription_of_order
from webhooks.errors import ProviderError
from webhooks.stripe.subscriptions import portal_link

if TYPE_CHECKING:
    from bot import Stockroom

log = logging.getLogger(__name__)
# The order view must answer within Discord's 3 s; a slow portal call leaves the link out.
PORTAL_TIMEOUT_SECONDS = 2.0
STATUS_WORDS = {
    "active": "active",
    "past_due": "payment failed: update your card",
    "canceled": "ended",
    "incomplete": "starting",
}


async def add_subscription(
    bot: Stockroom, order: Order, embed: disnake.Embed, buttons: list[disnake.ui.Button]
) -> None:
    """Adds the subscription's state to the order embed and the portal link to its buttons."""
    sub = await subscription_of_order(order.id)
    if sub is None:
        return
    status = STATUS_WORDS.get(sub.status, sub.status)
    if sub.status == "past_due" and sub.grace_until is not None:
        status += f"; role kept until {disnake.utils.format_dt(sub.grace_until, 'f')}"
    elif sub.current_period_end is not None and sub.status == "active":
        verb = "ends" if sub.cancel_at_period_end else "renews"
        status += f"; {verb} {disnake.utils.format_dt(sub.current_period_end, 'f')}"
    embed.add_field(name="Subscription", value=status, inline=False)
    if sub.status == "canceled" or not sub.stripe_customer_id or not bot.settings.stripe.enabled:
        return
    try:
        url = await asyncio.wait_for(
            portal_link(bot.settings, bot.http_session, sub.stripe_customer_id),
            PORTAL_TIMEOUT_SECONDS,
        )
    except (TimeoutError, ProviderError) as exc:
        log.warning("no portal link for order %s: %s", order.number, exc)
        return
    buttons.insert(
        0, disnake.ui.Button(style=disnake.ButtonStyle.link, label="Manage subscription", url=url)
    )
