"""An admin refund as the order core sees it: what may be refunded, and recording it once.

The money moves elsewhere (the provider, or the wallet through the order core's effects);
this module decides the amount before anything moves and records the refund afterwards,
keyed by the provider's refund id so a repeated answer records nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.base import OrderSource, PaymentMethod
from models.errors import InvalidInput, InvalidTransition
from models.money import format_money, parse_money
from models.orders.facts import ADMIN_ALLOWED
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import ApplyResult, PaymentEvent, PaymentStatus
from models.orders.queries import get_order_by_number
from models.orders.tables import Order
from models.subscriptions.tables import Subscription

# Where the money of an order goes back through, by how it was paid.
_SOURCE_NAMES = {
    OrderSource.ECWID: "Ecwid",
    OrderSource.REFRACT: "Refract",
    OrderSource.EMBED: "the store that posted the order",
    OrderSource.API: "the system that sent the order",
    OrderSource.GENERIC: "the store that sent the order",
}


class RefundChannel(StrEnum):
    STRIPE = "stripe"
    MIDTRANS = "midtrans"
    WALLET = "wallet"
    # Only recorded here: the money is returned by hand where it was paid.
    RECORD_ONLY = "record_only"


@dataclass(frozen=True)
class RefundPlan:
    """A refund the order allows: `amount` now, `cumulative` refunded once it is done."""

    order: Order
    amount: int
    cumulative: int
    channel: RefundChannel

    @property
    def full(self) -> bool:
        return self.cumulative >= self.order.amount

    @property
    def money(self) -> str:
        return format_money(self.amount, self.order.currency)

    def refund_elsewhere_line(self) -> str:
        """What the admin must still do when the money is not moved from here."""
        if self.channel is not RefundChannel.RECORD_ONLY:
            return ""
        order = self.order
        if order.payment_method is PaymentMethod.STRIPE:
            where = "the Stripe dashboard (no payment was recorded for this order)"
        elif order.payment_method is PaymentMethod.MIDTRANS:
            where = "the Midtrans dashboard (no payment was recorded for this order)"
        else:
            where = _SOURCE_NAMES.get(order.source, str(order.source))
        return f"Refunded in our records only: refund {self.money} in {where} yourself."


def _channel(order: Order) -> RefundChannel:
    if order.payment_method is PaymentMethod.STRIPE and order.payment_ref:
        return RefundChannel.STRIPE
    if order.payment_method is PaymentMethod.MIDTRANS and order.checkout_id:
        return RefundChannel.MIDTRANS
    if order.payment_method is PaymentMethod.WALLET and order.customer_id:  # type: ignore[attr-defined]
        return RefundChannel.WALLET
    return RefundChannel.RECORD_ONLY


async def plan_refund(number: str, amount_text: str | None = None) -> RefundPlan:
    """Checks an admin refund before any money moves; InvalidTransition / InvalidInput say why.

    `amount_text` is written as a person writes it in the order's currency ("5", "5.50");
    without it the refund is all that is left.
    """
    order = await get_order_by_number(number)
    if await Subscription.filter(order_id=order.id).exists():
        raise InvalidTransition(
            f"Order {order.number} is a Stripe subscription: stop it with /admin processorder "
            "cancel (it ends at the period end), and refund its payments in the Stripe "
            "Dashboard. Nothing was changed."
        )
    if order.status not in ADMIN_ALLOWED[PaymentStatus.REFUNDED]:
        raise InvalidTransition(
            f"Order {order.number} is {order.status.value.replace('_', ' ')}; "
            "it cannot be refunded now. Nothing was changed."
        )
    left = max(order.amount - order.refunded_amount, 0)
    if amount_text is None or not amount_text.strip():
        amount = left
    else:
        try:
            amount = parse_money(amount_text, order.currency)
        except ValueError:
            raise InvalidInput(
                f"{amount_text!r} is not an amount in {order.currency} (e.g. 5 or 5.50)."
            ) from None
        if amount <= 0 or amount > left:
            raise InvalidInput(
                f"Order {order.number} has {format_money(left, order.currency)} left to "
                "refund; give an amount above zero and up to that. Nothing was changed."
            )
    channel = _channel(order)
    if amount == 0 and channel is not RefundChannel.RECORD_ONLY:
        raise InvalidInput(f"Order {order.number} has nothing left to refund.")
    return RefundPlan(order, amount, order.refunded_amount + amount, channel)


async def record_refund(
    plan: RefundPlan, *, actor_id: int, reference: str, note: str = ""
) -> ApplyResult:
    """Records a refund that happened (or that the order core makes, for wallets), once.

    `reference` is the provider's refund id (the same answer twice records once) or, where
    no provider moved money, the admin's interaction id.
    """
    order = plan.order
    status = PaymentStatus.REFUNDED if plan.full else PaymentStatus.PARTIALLY_REFUNDED
    return await apply_payment_event(
        PaymentEvent(
            source=order.source,
            order_id=order.id,
            status=status,
            cause="admin:refund",
            reference=reference,
            actor_id=actor_id,
            # A free order has no amount to count: its refund is simply the whole of it.
            refund_amount=plan.cumulative if order.amount else None,
            note=note,
        )
    )
