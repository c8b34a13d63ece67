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

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models import clock
from models.base import JobKind
from models.catalog.tables import Product
from models.orders.access_reminders import superseded
from models.orders.entitlements import bound_time, order_role_id
from models.orders.facts import ENTITLED
from models.orders.feed_entries import ACCESS_ENDED
from models.orders.tables import Order
from models.outbox.actions import enqueue

SWEEP_BATCH = 500
# A partial index (migration 12) of the orders whose access has an end not swept yet: the
# sweep reads only those, however many timed orders ended and were swept before. The
# predicate is written as the index's, word for word, so both engines use it.
OPEN_ACCESS = (
    '"access_until" IS NOT NULL AND ("access_swept_until" IS NULL '
    'OR "access_swept_until" <> "access_until")'
)


async def sweep_ended_access(now: datetime | None = None) -> list[int]:
    """Queues a revoke_role job for each order whose access ended and was not swept yet.

    Returns the ids of the orders whose access ended. Idempotent: two sweeps (or
    two processes) queue one job per order and end, thanks to the dedupe key and the
    conditional update. An order no longer entitled (refunded meanwhile) is marked swept
    without a job: its revocation was queued when it stopped entitling.
    """
    now = now or clock.now()
    swept: list[int] = []
    while True:
        ids = await _ended_ids(now)
        if ids:
            batch = await Order.filter(id__in=ids).prefetch_related("customer", "product")
            async with in_transaction() as conn:
                for order in batch:
                    if await _sweep_one(order, conn):
                        swept.append(order.id)
        if len(ids) < SWEEP_BATCH:
            return swept


def ended_sql(postgres: bool) -> str:
    """Up to SWEEP_BATCH orders whose access ended by the bound time and is not swept."""
    return (
        f'SELECT id FROM "order" WHERE {OPEN_ACCESS} AND "access_until" <= '
        f'{"$1" if postgres else "?"} ORDER BY "access_until" LIMIT {SWEEP_BATCH}'
    )


async def _ended_ids(now: datetime) -> list[int]:
    """The next batch of ended, unswept orders, oldest end first."""
    connection = Tortoise.get_connection("default")
    postgres = connection.schema_generator.DIALECT == "postgres"
    _, rows = await connection.execute_query(ended_sql(postgres), [bound_time(now, postgres)])
    return [int(row["id"]) for row in rows]


async def _sweep_one(order: Order, conn: BaseDBAsyncClient) -> bool:
    """Marks one order swept and, if it still entitles, queues its revocation."""
    ended = order.access_until
    assert ended is not None
    marked = (
        await Order.filter(id=order.id, access_until=ended)
        .using_db(conn)
        .update(access_swept_until=ended)
    )
    if not marked or order.status not in ENTITLED:
        return False  # extended meanwhile (its new end is swept when it comes), or refunded
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
