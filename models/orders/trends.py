"""Orders per day for the /admin botstats chart: paid and other orders, by UTC day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from models.orders.tables import Order


async def orders_per_day(now: datetime, days: int = 30) -> list[tuple[date, int, int]]:
    """(day, orders paid at some point, other orders) for each of the last `days` UTC days.

    Days without orders are present with zeros, oldest first, ending with today.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    today = now.astimezone(UTC).date()
    first = today - timedelta(days=days - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    counts = {first + timedelta(days=i): [0, 0] for i in range(days)}
    rows = await Order.filter(created_at__gte=since).values_list("created_at", "paid_at")
    for created_at, paid_at in rows:
        day = created_at.astimezone(UTC).date()
        if day in counts:
            counts[day][0 if paid_at is not None else 1] += 1
    return [(day, paid, other) for day, (paid, other) in counts.items()]
