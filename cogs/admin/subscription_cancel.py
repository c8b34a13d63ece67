"""/admin processorder cancel on a subscription order: Stripe stops renewing it.

It cancels at the period end (Stripe: cancel_at_period_end), not at once: the buyer keeps
the role through the period they paid for, and nothing is refunded (refund does that).
Stripe's answer is applied as a fact right away; its customer.subscription.updated event,
arriving later, says the same thing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import disnake

from cogs import _embeds
from models import clock
from models.audit.actions import record_admin_action
from models.errors import InvalidInput
from models.orders.queries import get_order_by_number
from models.subscriptions.actions import apply_subscription_fact
from models.subscriptions.queries import subscription_of_order
from models.subscriptions.tables import Subscription
from webhooks.stripe.subscription_events import subscription_fact
from webhooks.stripe.subscriptions import cancel_subscription

if TYPE_CHECKING:
    from bot import Stockroom


async def subscription_to_cancel(number: str) -> Subscription | None:
    """The live subscription of this order; None when it has none (a plain order)."""
    order = await get_order_by_number(number)
    sub = await subscription_of_order(order.id)
    if sub is None:
        return None
    if sub.status == "canceled":
        raise InvalidInput(f"The subscription of order {order.number} has already ended.")
    if sub.cancel_at_period_end:
        raise InvalidInput(
            f"The subscription of order {order.number} already ends at its period end."
        )
    return sub


async def cancel_at_stripe(
    bot: Stockroom, sub: Subscription, number: str, *, actor_id: int, reason: str, ref: str
) -> disnake.Embed:
    settings = bot.settings
    answer = await cancel_subscription(
        settings, bot.http_session, sub.stripe_id, at_period_end=True
    )
    fact = subscription_fact(f"admin:{ref}", "customer.subscription.updated", answer, clock.now())
    applied = await apply_subscription_fact(fact, timedelta(days=settings.stripe.grace_days))
    await record_admin_action(
        actor_id,
        "subscription_cancel",
        number,
        {"subscription": sub.stripe_id, "at_period_end": True, "reason": reason},
    )
    ends = applied.state.access_until if applied is not None else None
    when = disnake.utils.format_dt(ends, "f") if ends is not None else "the period end"
    embed = disnake.Embed(
        title=f"Order {number}: cancel",
        colour=_embeds.WARNING,
        description=(
            f"Stripe will not renew subscription `{sub.stripe_id}`: it is cancelled at the end "
            f"of the paid period, and the role ends {when}. Nothing was refunded "
            "(use refund for that)."
        ),
    )
    if reason:
        embed.add_field(name="Reason", value=reason, inline=False)
    embed.set_footer(text="Recorded in the audit trail with your id.")
    return _embeds.fit(embed)
