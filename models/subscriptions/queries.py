"""Reading subscriptions: by order, by customer, and whether a failure is still outstanding."""

from __future__ import annotations

from models.subscriptions.tables import Subscription


async def subscription_of_order(order_id: int) -> Subscription | None:
    return await Subscription.filter(order_id=order_id).order_by("-id").first()


async def subscriptions_of_customer(discord_id: int) -> list[Subscription]:
    """A member's subscriptions, newest first, with their order and product."""
    return await (
        Subscription.filter(customer__discord_id=discord_id)
        .order_by("-id")
        .prefetch_related("order", "product")
    )


async def subscription_orders(order_ids: list[int]) -> dict[int, Subscription]:
    """The subscription of each of these orders that has one."""
    rows = await Subscription.filter(order_id__in=order_ids).order_by("id")
    return {row.order_id: row for row in rows}


def failure_outstanding(row: Subscription, invoice_id: str) -> bool:
    """Whether this invoice's failure still counts (it was not paid since)."""
    paid = (row.facts or {}).get("paid") or {}
    return invoice_id not in paid and row.status == "past_due"
