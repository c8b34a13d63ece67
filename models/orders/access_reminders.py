"""Reminders before a timed access ends: one remind_access job per access end.

The leader's minute sweep (cogs.maintenance) calls `queue_access_reminders(days)`: every
entitled order whose access_until falls within the next `days` days and was not reminded of
yet gets one remind_access job, unless a later purchase already extends the buyer's access
to the same product past it (that order's own end is reminded of in its turn). Like the
access sweep (models.orders.access), access_reminded_until remembers the end reminded of,
so repeated sweeps and two processes queue one job per end (the dedupe key too).

remind_access payload: ``{"order_id", "access_until"}`` (ISO time of the end reminded of);
the job (cogs.delivery.access_reminders) checks the order again when it runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from models import clock
from models.base import JobKind
from models.orders.facts import ENTITLED
from models.orders.tables import Order
from models.outbox.actions import enqueue

REMINDER_BATCH = 500


async def superseded(order: Order, conn: BaseDBAsyncClient | None = None) -> bool:
    """Another entitled order of the same buyer and product lasts beyond this one's end."""
    customer_id = order.customer_id  # type: ignore[attr-defined]
    product_id = order.product_id  # type: ignore[attr-defined]
    if customer_id is None or product_id is None or order.access_until is None:
        return False
    query = Order.filter(
        customer_id=customer_id,
        product_id=product_id,
        status__in=tuple(ENTITLED),
        access_until__gt=order.access_until,
    ).exclude(id=order.id)
    return await (query.using_db(conn) if conn is not None else query).exists()


async def queue_access_reminders(days: int, now: datetime | None = None) -> list[int]:
    """Queues the reminders due `days` days before an end; returns the orders reminded.

    `days` 0 turns reminders off.
    """
    if days <= 0:
        return []
    now = now or clock.now()
    horizon = now + timedelta(days=days)
    reminded: list[int] = []
    while True:
        batch = await (
            Order.filter(
                status__in=tuple(ENTITLED), access_until__gt=now, access_until__lte=horizon
            )
            .filter(
                Q(access_reminded_until__isnull=True) | ~Q(access_reminded_until=F("access_until"))
            )
            .order_by("access_until")
            .limit(REMINDER_BATCH)
        )
        for order in batch:
            if await _remind_one(order, days):
                reminded.append(order.id)
        if len(batch) < REMINDER_BATCH:
            return reminded


async def _remind_one(order: Order, days: int) -> bool:
    """Marks one end reminded and queues its DM (when still due), in one transaction."""
    ended = order.access_until
    assert ended is not None
    async with in_transaction() as conn:
        marked = (
            await Order.filter(id=order.id, access_until=ended)
            .using_db(conn)
            .update(access_reminded_until=ended)
        )
        if not marked or order.customer_id is None:  # type: ignore[attr-defined]
            return False
        if order.paid_at is not None and ended - timedelta(days=days) <= order.paid_at:
            return False  # shorter than the reminder window: the buyer knows it is short
        if await superseded(order, conn):
            return False  # renewed already: the later order's end is reminded of instead
        await enqueue(
            JobKind.REMIND_ACCESS,
            {"order_id": order.id, "access_until": ended.isoformat()},
            order_id=order.id,
            dedupe_key=f"access-reminder:{order.id}:{ended.isoformat()}",
            connection=conn,
        )
    return True
