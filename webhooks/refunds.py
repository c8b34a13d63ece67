"""An admin refund that moves the money: Stripe or Midtrans first, then the order core records it.

Nothing is recorded unless the provider accepted: a refusal or an unreachable provider leaves
the order as it was and says why. The provider's refund id is the record's reference, so
the same answer twice (a double click, Stripe's idempotent replay) records one refund, and
the later charge.refunded webhook only confirms the cumulative amount already recorded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import aiohttp

from models.errors import InvalidTransition
from models.money import format_money
from models.orders.payment_event import ApplyResult
from models.orders.refunds import RefundChannel, RefundPlan, plan_refund, record_refund
from settings import Settings
from webhooks.errors import ProviderRefused, ProviderUnavailable, RefundNotMade
from webhooks.midtrans.client import refund_transaction
from webhooks.stripe.refunds import refund_payment_intent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefundDone:
    """What the admin is told: the order's new state and what the provider answered."""

    plan: RefundPlan
    result: ApplyResult | None
    lines: tuple[str, ...]


async def _move_money(plan: RefundPlan, settings: Settings, http: aiohttp.ClientSession, note: str):
    """Asks the provider; returns (reference for the record, the provider's answer line)."""
    order = plan.order
    if plan.channel is RefundChannel.STRIPE:
        refund = await refund_payment_intent(
            settings,
            http,
            payment_intent=order.payment_ref or "",
            amount=plan.amount,
            order_id=order.id,
            order_number=order.number,
        )
        money = format_money(refund.amount, order.currency)
        return (
            f"refund:{refund.refund_id}",
            f"Stripe refunded {money} ({refund.refund_id}, {refund.status}).",
        )
    if plan.channel is RefundChannel.MIDTRANS:
        answer = await refund_transaction(
            settings,
            http,
            order_ref=order.checkout_id or "",
            amount=plan.amount,
            order_id=order.id,
            reason=note,
        )
        key = answer.get("refund_key") or f"{order.id}-{plan.amount}"
        line = f"Midtrans: {answer.get('status_message', 'refund approved')} ({plan.money})."
        return f"refund:midtrans:{key}", line
    if plan.channel is RefundChannel.WALLET:
        return f"refund:{plan.amount}", f"{plan.money} goes back to the buyer's wallet."
    return f"refund:{plan.amount}", plan.refund_elsewhere_line()


async def refund_order(
    settings: Settings,
    http: aiohttp.ClientSession | None,
    number: str,
    *,
    amount_text: str | None,
    actor_id: int,
    note: str = "",
) -> RefundDone:
    """/admin processorder refund: checks, moves the money where we can, records it once."""
    plan = await plan_refund(number, amount_text)
    if http is None and plan.channel in (RefundChannel.STRIPE, RefundChannel.MIDTRANS):
        raise ProviderUnavailable("the bot has no HTTP session yet")
    try:
        reference, answer = await _move_money(plan, settings, http, note)  # type: ignore[arg-type]
    except ProviderRefused as exc:
        raise RefundNotMade(f"{exc.detail}. Nothing was changed.") from exc
    except ProviderUnavailable as exc:
        raise RefundNotMade(
            f"{plan.channel.value.title()} is not reachable right now ({exc.detail}); "
            "nothing was refunded or changed. Try again shortly."
        ) from exc
    log.info(
        "admin %s refunded %s of order %s via %s",
        actor_id,
        plan.amount,
        plan.order.number,
        plan.channel.value,
    )
    try:
        result = await record_refund(plan, actor_id=actor_id, reference=reference, note=note)
    except InvalidTransition:
        # The provider's webhook recorded this refund between our check and now.
        return RefundDone(plan, None, (answer, "The order was already marked refunded."))
    lines = [answer]
    if not result.applied:
        lines.append("This refund was already recorded (the same order and amount): nothing more.")
    return RefundDone(plan, result, tuple(lines))
