"""Shop statistics for /admin botstats and /health: revenue, orders, stock, queue, webhooks.

Shop revenue is what the bot sold (its own checkouts, the wallet, the stores it fulfils).
Orders from Refract and the order API (POST /api/orders) were sold elsewhere and only
tracked here: their money is counted apart, as `tracked`, never added to the revenue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tortoise.functions import Count, Sum

from models.base import InboxStatus, OrderSource, OrderStatus
from models.coupons.tables import CouponRedemption
from models.inbox.tables import WebhookEvent
from models.orders.tables import Order
from models.outbox.queries import QueueDepth, queue_depth
from models.reports.timed_access import TimedAccessStats, timed_access_stats
from models.stock.queries import stock_counts
from models.subscriptions.reports import SubscriptionStats, subscription_stats

# Orders whose money the shop keeps (refunds are subtracted per order).
_REVENUE = (
    OrderStatus.PAID,
    OrderStatus.AWAITING_STOCK,
    OrderStatus.DELIVERED,
    OrderStatus.PARTIALLY_REFUNDED,
)
# Sources whose orders the bot tracks but did not sell.
TRACKED_SOURCES = (OrderSource.REFRACT, OrderSource.API)
WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}


@dataclass(frozen=True)
class WindowStats:
    orders: int
    paid_orders: int
    revenue: dict[str, int]
    tracked: dict[str, int]


@dataclass(frozen=True)
class ShopStats:
    revenue: dict[str, int]
    tracked: dict[str, int]
    tracked_orders: int
    orders_by_status: dict[str, int]
    windows: dict[str, WindowStats]
    stock: dict[str, dict[str, int]]
    queue: QueueDepth
    webhook_errors: int
    webhook_errors_24h: int
    needs_attention: int
    timed: TimedAccessStats | None = None
    # Coupon discounts on orders the shop kept the money of: per currency, and how many.
    discounts: dict[str, int] = field(default_factory=dict)
    discounted_orders: int = 0
    subscriptions: SubscriptionStats | None = None


async def _revenue(*, tracked: bool, since: datetime | None = None) -> dict[str, int]:
    """Money kept per currency: the shop's own sales, or (tracked) those sold elsewhere."""
    query = Order.filter(status__in=_REVENUE)
    if tracked:
        query = query.filter(source__in=TRACKED_SOURCES)
    else:
        query = query.exclude(source__in=TRACKED_SOURCES)
    if since is not None:
        query = query.filter(paid_at__gte=since)
    rows = (
        await query.annotate(gross=Sum("amount"), back=Sum("refunded_amount"))
        .group_by("currency")
        .values("currency", "gross", "back")
    )
    return {row["currency"]: int(row["gross"] or 0) - int(row["back"] or 0) for row in rows}


async def _discounts() -> tuple[dict[str, int], int]:
    """What coupons took off paid orders (a refunded or lapsed order gave nothing away)."""
    rows = (
        await CouponRedemption.filter(order__status__in=_REVENUE)
        .annotate(off=Sum("discount"), n=Count("id"))
        .group_by("order__currency")
        .values("order__currency", "off", "n")
    )
    given = {row["order__currency"]: int(row["off"] or 0) for row in rows}
    return given, sum(int(row["n"]) for row in rows)


async def order_stats(now: datetime) -> ShopStats:
    """Everything /admin botstats shows; `now` is timezone-aware UTC."""
    by_status = {status.value: 0 for status in OrderStatus}
    rows = await Order.annotate(n=Count("id")).group_by("status").values("status", "n")
    for row in rows:
        by_status[str(OrderStatus(row["status"]).value)] = row["n"]
    windows = {}
    for name, span in WINDOWS.items():
        since = now - span
        windows[name] = WindowStats(
            orders=await Order.filter(created_at__gte=since).count(),
            paid_orders=await Order.filter(paid_at__gte=since).count(),
            revenue=await _revenue(tracked=False, since=since),
            tracked=await _revenue(tracked=True, since=since),
        )
    failed = (InboxStatus.FAILED,)
    discounts, discounted_orders = await _discounts()
    return ShopStats(
        revenue=await _revenue(tracked=False),
        tracked=await _revenue(tracked=True),
        tracked_orders=await Order.filter(source__in=TRACKED_SOURCES).count(),
        orders_by_status=by_status,
        windows=windows,
        stock=await stock_counts(),
        queue=await queue_depth(),
        webhook_errors=await WebhookEvent.filter(status__in=failed).count()
        + await WebhookEvent.filter(signature_ok=False).count(),
        webhook_errors_24h=await WebhookEvent.filter(
            status__in=failed, received_at__gte=now - WINDOWS["24h"]
        ).count(),
        needs_attention=await Order.filter(needs_attention=True).count(),
        timed=await timed_access_stats(now),
        discounts=discounts,
        discounted_orders=discounted_orders,
        subscriptions=await subscription_stats(),
    )
