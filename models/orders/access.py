"""The access sweep: a role whose order's access_until has passed is revoked, once per end.

Timed access and subscriptions set Order.access_until; from then on the entitlement query
(models.orders.entitlements) no longer counts the order. The sweep turns that into a
revoke_role job the moment the time passes, instead of waiting for role reconciliation:

- once per end: access_swept_until remembers the access_until that was swept, so a run
  after the next is a no-op, and an order whose access is extended and ends again (a
  subscription paid after a lapse) is swept again at its new end;
- the revoke_role job decides when it runs: the role stays while any other order (a newer
  pass, a one-off purchase, an adopted role) still entitles the member;
- a lapse (no later order of the buyer's extends the same product's access past this end)
  posts one "access_ended" entry to the orders feed.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from models import clock
from models.base import JobKind
from models.catalog.tables import Product
from models.orders.access_reminders import superseded
from models.orders.entitlements import order_role_id
from models.orders.facts import ENTITLED
from models.orders.feed_entries import ACCESS_ENDED
from models.orders.tables import Order
from models.outbox.actions import enqueue

SWEEP_BATCH = 500


async def sweep_ended_access(now: datetime | None = None) -> list[int]:
    """Queues a revoke_role job for each order whose access ended and was not swept yet.

    Returns the ids of the orders swept. Idempotent: two sweeps (or two processes) queue
    one job per order and end, thanks to the dedupe key and the conditional update.
    """
    now = now or clock.now()
    swept: list[int] = []
    while True:
        batch = await (
            Order.filter(status__in=tuple(ENTITLED), access_until__lte=now)
            .filter(Q(access_swept_until__isnull=True) | ~Q(access_swept_until=F("access_until")))
            .order_by("access_until")
            .limit(SWEEP_BATCH)
            .prefetch_related("customer", "product")
        )
        for order in batch:
            if await _sweep_one(order):
                swept.append(order.id)
        if len(batch) < SWEEP_BATCH:
            return swept


async def _sweep_one(order: Order) -> bool:
    """Marks one order swept and queues its revocation, in one transaction."""
    ended = order.access_until
    assert ended is not None
    async with in_transaction() as conn:
        marked = (
            await Order.filter(id=order.id, access_until=ended)
            .using_db(conn)
            .update(access_swept_until=ended)
        )
        if not marked:
            return False  # extended meanwhile: its new end is swept when it comes
        product: Product | None = order.product
        if not await superseded(order, conn):
            await enqueue(
                JobKind.POST_FEED,
                {"order_id": order.id, "order_event_id": None, "kind": ACCESS_ENDED},
                order_id=order.id,
                dedupe_key=f"access-lapse:{order.id}:{ended.isoformat()}",
                connection=conn,
            )
        role_id = order_role_id(order, product)
        if role_id is None or order.customer is None:
            return True
        await enqueue(
            JobKind.REVOKE_ROLE,
            {
                "order_id": order.id,
                "discord_id": order.customer.discord_id,
                "role_id": role_id,
                "access_ended": ended.isoformat(),
            },
            order_id=order.id,
            dedupe_key=f"access-end:{order.id}:{ended.isoformat()}",
            connection=conn,
        )
    return True
