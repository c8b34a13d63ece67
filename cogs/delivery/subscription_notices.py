"""The payment_failed buyer notice: a subscription renewal failed; here is where to fix it.

The DM carries a fresh customer-portal link (a Stripe billing portal session, made when the
job runs) and how long the role is kept. Skipped when the failure no longer stands (the
invoice was paid meanwhile, or the subscription ended).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import disnake

from cogs import _embeds
from cogs._embeds import clip, fit
from cogs.delivery.buyer_dms import dm_customer
from cogs.delivery.outcomes import JobParked
from models.errors import NotFound
from models.orders.queries import get_order
from models.orders.tables import Order
from models.subscriptions.queries import failure_outstanding, subscription_of_order
from models.subscriptions.tables import Subscription
from webhooks.errors import ProviderRefused
from webhooks.stripe.subscriptions import portal_link

if TYPE_CHECKING:
    from bot import Stockroom


def payment_failed_embed(order: Order, sub: Subscription, url: str) -> disnake.Embed:
    name = clip(order.product_name or "your subscription", 200)
    embed = disnake.Embed(
        title=f"Payment for {name} failed",
        colour=_embeds.WARNING,
        description=(
            f"Stripe could not charge your card for the renewal of **{name}**. "
            f"[Update your payment method]({url}) in the customer portal and Stripe "
            "retries the payment."
        ),
    )
    if sub.grace_until is not None:
        embed.add_field(
            name="Your role",
            value=f"Kept until {disnake.utils.format_dt(sub.grace_until, 'f')}; it is removed "
            "then unless the payment goes through.",
            inline=False,
        )
    embed.add_field(name="Order", value=order.number, inline=True)
    embed.set_footer(text="The link is yours alone; it opens your Stripe customer portal.")
    return fit(embed)


async def notify_payment_failed(bot: Stockroom, payload: dict[str, Any]) -> str:
    """Runs a payment_failed notify_buyer job; returns what happened, for the log."""
    try:
        order = await get_order(int(payload["order_id"]))
    except NotFound:
        return "skipped: the order no longer exists"
    sub = await subscription_of_order(order.id)
    invoice = str(payload.get("invoice_id") or "")
    if sub is None:
        raise JobParked(f"order {order.number} has no subscription")
    if not failure_outstanding(sub, invoice):
        return f"order {order.number}: payment_failed notice skipped: it is {sub.status} now"
    if order.customer is None or order.customer.dms_closed:
        return f"order {order.number}: payment_failed notice skipped: no DM possible"
    if not sub.stripe_customer_id:
        raise JobParked(f"subscription {sub.stripe_id} has no Stripe customer to link")
    try:
        url = await portal_link(bot.settings, bot.http_session, sub.stripe_customer_id)
    except ProviderRefused as exc:
        # Not worth retrying (e.g. the customer portal is not turned on in Stripe): park it,
        # which tells the admins once.
        raise JobParked(f"order {order.number}: no portal link: {exc.detail}") from exc
    embed = payment_failed_embed(order, sub, url)
    if not await dm_customer(bot, order.customer.discord_id, int(payload["job_id"]), embed):
        return f"order {order.number}: payment_failed notice not sent, the buyer's DMs are closed"
    return f"order {order.number}: payment_failed notice sent by DM"
