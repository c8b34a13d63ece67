"""Reading subscriptions: by order, by customer, and whether a failure is still outstanding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.subscriptions.tables import Subscription


@dataclass(frozen=True)
class SubscriptionLine:
    """One subscription as /admin customer and My orders show it."""

    stripe_id: str
    order_id: int
    order_number: str
    product_name: str
    status: str
    current_period_end: datetime | None
    cancel_at_period_end: bool
    grace_until: datetime | None
    renewals: int

    def summary(self) -> str:
        """Status and the next date: renews, ends, or a failed payment's grace."""

        def when(moment: datetime | None) -> str:
            return f"<t:{int(moment.timestamp())}:f>" if moment is not None else "?"

        if self.status == "canceled":
            return "cancelled"
        if self.status == "past_due":
            return f"payment failed · role kept until {when(self.grace_until)}"
        if self.cancel_at_period_end:
            return f"cancelled at period end · ends {when(self.current_period_end)}"
        return f"{self.status} · renews {when(self.current_period_end)}"


async def subscription_lines(customer_id: int, limit: int = 10) -> list[SubscriptionLine]:
    """A customer's subscriptions, newest first (at most `limit`)."""
    rows = (
        await Subscription.filter(customer_id=customer_id)
        .order_by("-id")
        .limit(limit)
        .prefetch_related("order")
    )
    return [
        SubscriptionLine(
            stripe_id=row.stripe_id,
            order_id=row.order_id,
            order_number=row.order.number,
            product_name=row.order.product_name,
            status=row.status,
            current_period_end=row.current_period_end,
            cancel_at_period_end=row.cancel_at_period_end,
            grace_until=row.grace_until,
            renewals=row.renewals,
        )
        for row in rows
    ]


async def subscription_of_order(order_id: int) -> Subscription | None:
    return await Subscription.filter(order_id=order_id).order_by("-id").first()


async def subscription_orders(order_ids: list[int]) -> dict[int, Subscription]:
    """The subscription of each of these orders that has one."""
    rows = await Subscription.filter(order_id__in=order_ids).order_by("id")
    return {row.order_id: row for row in rows}


def failure_outstanding(row: Subscription, invoice_id: str) -> bool:
    """Whether this invoice's failure still counts (it was not paid since)."""
    paid = (row.facts or {}).get("paid") or {}
    return invoice_id not in paid and row.status == "past_due"
