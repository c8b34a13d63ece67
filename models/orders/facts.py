"""The facts recorded about an order and the precedence rule that turns them into a status.

Pure functions, no database: the status depends only on the *set* of facts, so replays and
reorderings of payment events cannot change the outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from models.base import OrderStatus
from models.orders.payment_event import PaymentStatus

# Statuses in which the buyer holds what they paid for (codes, role).
ENTITLED = frozenset(
    {
        OrderStatus.PAID,
        OrderStatus.AWAITING_STOCK,
        OrderStatus.DELIVERED,
        OrderStatus.PARTIALLY_REFUNDED,
    }
)

# Statuses an admin action may start from; anything else raises InvalidTransition.
ADMIN_ALLOWED: dict[PaymentStatus, frozenset[OrderStatus]] = {
    PaymentStatus.PAID: frozenset({OrderStatus.PENDING, OrderStatus.FAILED, OrderStatus.EXPIRED}),
    PaymentStatus.REFUNDED: ENTITLED | {OrderStatus.DISPUTED},
    PaymentStatus.CANCELLED: frozenset(
        {
            OrderStatus.PENDING,
            OrderStatus.FAILED,
            OrderStatus.EXPIRED,
            OrderStatus.PAID,
            OrderStatus.AWAITING_STOCK,
        }
    ),
    PaymentStatus.RETRY_DELIVERY: ENTITLED,
}

# The feed embed kind posted when an order reaches a status.
FEED_KIND = {
    OrderStatus.PENDING: "pending",
    OrderStatus.PAID: "completed",
    OrderStatus.AWAITING_STOCK: "awaiting_stock",
    OrderStatus.DELIVERED: "delivered",
    OrderStatus.FAILED: "failed",
    OrderStatus.EXPIRED: "expired",
    OrderStatus.CANCELLED: "cancelled",
    OrderStatus.REFUNDED: "refunded",
    OrderStatus.PARTIALLY_REFUNDED: "partially_refunded",
    OrderStatus.DISPUTED: "disputed",
}


# The yes/no fact each payment status records (a refund with an amount records the amount).
_FLAG_OF = {
    PaymentStatus.PAID: "paid",
    PaymentStatus.FAILED: "failed",
    PaymentStatus.EXPIRED: "expired",
    PaymentStatus.CANCELLED: "cancelled",
    PaymentStatus.PARTIALLY_REFUNDED: "partial_refund",
    PaymentStatus.DISPUTED: "dispute_opened",
    PaymentStatus.DISPUTE_WON: "dispute_won",
    PaymentStatus.DISPUTE_LOST: "dispute_lost",
    PaymentStatus.DELIVERED: "delivered",
}
_REFUNDS = frozenset({PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED})


@dataclass
class OrderFacts:
    """Everything the payment paths have told us about one order, each fact once."""

    paid: bool = False
    failed: bool = False
    expired: bool = False
    cancelled: bool = False
    refunded_in_full: bool = False
    # Largest cumulative refund reported, in minor units.
    refund_amount: int = 0
    partial_refund: bool = False
    dispute_opened: bool = False
    dispute_won: bool = False
    dispute_lost: bool = False
    delivered: bool = False

    def add(self, status: PaymentStatus | str, refund_amount: int | None = None) -> None:
        status = PaymentStatus(status)
        if status is PaymentStatus.REFUNDED and refund_amount is None:
            self.refunded_in_full = True
            return
        flag = _FLAG_OF.get(status)
        if flag is not None:
            setattr(self, flag, True)
        if status in _REFUNDS and refund_amount is not None:
            self.refund_amount = max(self.refund_amount, refund_amount)

    @classmethod
    def from_details(cls, details: Iterable[dict[str, Any]]) -> OrderFacts:
        """Facts from the `detail` of recorded OrderEvents (those without a fact are skipped)."""
        facts = cls()
        for detail in details:
            if detail.get("fact"):
                facts.add(detail["fact"], detail.get("refund_amount"))
        return facts

    def payment_implied(self) -> bool:
        """A refund, dispute or delivery only happens to an order that was paid."""
        return (
            self.paid
            or self.delivered
            or self.partial_refund
            or self.refund_amount > 0
            or self.refunded_in_full
            or self.dispute_opened
            or self.dispute_won
            or self.dispute_lost
        )

    def fully_refunded(self, amount: int) -> bool:
        return self.refunded_in_full or (amount > 0 and self.refund_amount >= amount)

    def in_dispute(self) -> bool:
        """Open, or closed lost; a dispute closed won alone restores the order."""
        return self.dispute_lost or (self.dispute_opened and not self.dispute_won)

    def entitles(self, amount: int) -> bool:
        """Whether these facts leave the buyer holding what they paid for."""
        return (
            self.payment_implied()
            and not self.fully_refunded(amount)
            and not self.in_dispute()
            and not self.cancelled
        )

    def refunded_total(self, amount: int) -> int:
        """Minor units the buyer got back (capped at the order amount)."""
        if self.fully_refunded(amount):
            return amount
        return min(self.refund_amount, amount) if amount > 0 else self.refund_amount


def status_from_facts(facts: OrderFacts, amount: int, stock_complete: bool) -> OrderStatus:
    """The precedence rule (highest first) documented in models.orders.payment_event."""
    if facts.fully_refunded(amount):
        return OrderStatus.REFUNDED
    if facts.in_dispute():
        return OrderStatus.DISPUTED
    if facts.cancelled:
        return OrderStatus.CANCELLED
    if facts.payment_implied():
        if facts.partial_refund or facts.refund_amount > 0:
            return OrderStatus.PARTIALLY_REFUNDED
        if facts.delivered:
            return OrderStatus.DELIVERED
        if not stock_complete:
            return OrderStatus.AWAITING_STOCK
        return OrderStatus.PAID
    if facts.expired:
        return OrderStatus.EXPIRED
    if facts.failed:
        return OrderStatus.FAILED
    return OrderStatus.PENDING
