"""What the delivery worker reads and records: order snapshots, closed DMs, leases.

The worker in cogs/delivery/ runs the outbox jobs against Discord; everything it needs from
the database goes through here (or models.orders / models.outbox), so no cog touches the ORM.
Feed entries are read in models.orders.feed_entries. Nothing here sees a plaintext code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from models.base import JobStatus, OrderSource, OrderStatus, ProductKind, StockStatus
from models.bot_state import BotState
from models.customers.actions import ensure_customer
from models.customers.tables import Customer
from models.orders.actions import mark_delivered, mark_delivered_then, mark_needs_attention
from models.orders.facts import ENTITLED
from models.orders.payment_event import ApplyResult
from models.outbox.actions import queue_admin_alert
from models.outbox.raw_sql import changed, rows
from models.outbox.tables import Job

# The attention reason the worker sets for closed DMs; a later successful DM clears only this.
DMS_CLOSED_REASON = "DMs closed: codes not delivered; buyer told to use My orders → Resend"
NO_BUYER_REASON = "no Discord user on the order: codes cannot be sent"
_THREAD_KEY = "fallback_thread:{discord_id}"


@dataclass(frozen=True)
class DeliveryOrder:
    """An order as the worker sees it when a job runs (current state, not the job's)."""

    order_id: int
    number: str
    status: OrderStatus
    product_name: str
    quantity: int
    discord_id: int | None
    delivers_codes: bool
    role_only: bool
    dms_closed: bool
    needs_attention: bool
    attention_reason: str
    source: OrderSource | None = None  # None: not read (mark_delivered reads it)

    @property
    def entitled(self) -> bool:
        return self.status in ENTITLED


# The order, its product and its buyer in one raw statement: read by every deliver_codes and
# grant_role job, where the ORM's get + prefetch (three queries) cost more than the database.
_DELIVERY_ORDER_SQL = (
    'SELECT o."id", o."number", o."status", o."source", o."product_name", o."quantity",'
    ' o."needs_attention", o."attention_reason", p."kind" AS "product_kind",'
    ' p."name" AS "product_title", c."discord_id", c."dms_closed"'
    ' FROM "order" o LEFT JOIN "product" p ON p."id" = o."product_id"'
    ' LEFT JOIN "customer" c ON c."id" = o."customer_id" WHERE o."id" = ?'
)


# The same, and the encrypted codes the order holds (reserved or delivered, oldest first), one
# row per code: a deliver_codes job reads both, one statement fewer per order than reading the
# codes after the order (each statement is a round trip to the database's thread or server).
_HELD = (StockStatus.RESERVED.value, StockStatus.DELIVERED.value)
_DELIVERY_ORDER_CODES_SQL = (
    'SELECT o."id", o."number", o."status", o."source", o."product_name", o."quantity",'
    ' o."needs_attention", o."attention_reason", p."kind" AS "product_kind",'
    ' p."name" AS "product_title", c."discord_id", c."dms_closed", s."ciphertext"'
    ' FROM "order" o LEFT JOIN "product" p ON p."id" = o."product_id"'
    ' LEFT JOIN "customer" c ON c."id" = o."customer_id"'
    ' LEFT JOIN "stock_item" s ON s."order_id" = o."id" AND s."status" IN (?, ?)'
    ' WHERE o."id" = ? ORDER BY s."id"'
)


async def delivery_order(order_id: int) -> DeliveryOrder | None:
    """The order's current state, or None when it no longer exists."""
    found = await rows(_DELIVERY_ORDER_SQL, [order_id])
    return _delivery_order(found[0]) if found else None


async def delivery_order_and_ciphertexts(order_id: int) -> tuple[DeliveryOrder | None, list[str]]:
    """delivery_order() and the order's held codes still encrypted, in one statement.

    The ciphertexts are what models.stock.queries.codes_for_order decrypts; pass them to
    models.stock.queries.decrypt_codes. (None, []) when the order no longer exists.
    """
    found = await rows(_DELIVERY_ORDER_CODES_SQL, [*_HELD, order_id])
    if not found:
        return None, []
    tokens = [row["ciphertext"] for row in found if row["ciphertext"] is not None]
    return _delivery_order(found[0]), tokens


def _delivery_order(row: dict) -> DeliveryOrder:
    kind = ProductKind(row["product_kind"]) if row["product_kind"] is not None else None
    title = row["product_title"] if row["product_title"] is not None else "Order"
    return DeliveryOrder(
        order_id=row["id"],
        number=row["number"],
        status=OrderStatus(row["status"]),
        product_name=row["product_name"] or title,
        quantity=row["quantity"],
        discord_id=row["discord_id"],
        delivers_codes=kind is not None and kind.delivers_codes,
        role_only=kind is not None and kind.role_only,
        dms_closed=bool(row["dms_closed"]),
        needs_attention=bool(row["needs_attention"]),
        attention_reason=row["attention_reason"],
        source=OrderSource(row["source"]),
    )


_LIFT_DMS_CLOSED_SQL = (
    'UPDATE "order" SET "needs_attention" = ?, "attention_reason" = \'\''
    ' WHERE "id" = ? AND "attention_reason" = ?'
)
_DMS_OPEN_SQL = 'UPDATE "customer" SET "dms_closed" = ? WHERE "discord_id" = ? AND "dms_closed" = ?'


async def codes_sent(order_id: int, discord_id: int) -> None:
    """After the DM went out: the order is delivered, and a closed-DM flag is lifted."""
    await mark_delivered(order_id)
    await changed(_LIFT_DMS_CLOSED_SQL, [False, order_id, DMS_CLOSED_REASON])
    await changed(_DMS_OPEN_SQL, [False, discord_id, True])


async def order_codes_sent(order: DeliveryOrder) -> None:
    """codes_sent for the worker's snapshot of the order, in one transaction.

    The delivered fact and the lifted flags commit together. The order's closed-DM flag is
    lifted only when the snapshot shows it: it is set only by this order's own deliver jobs,
    which one worker runs one after another (one lane). The buyer's flag is lifted always:
    another order of theirs may have set it since the snapshot.
    """
    assert order.discord_id is not None
    if order.source is None:
        await codes_sent(order.order_id, order.discord_id)
        return
    lift_order = order.attention_reason == DMS_CLOSED_REASON
    discord_id = order.discord_id

    async def lift_flags(result: ApplyResult, conn: BaseDBAsyncClient) -> None:
        if lift_order:
            await changed(_LIFT_DMS_CLOSED_SQL, [False, order.order_id, DMS_CLOSED_REASON], conn)
        await changed(_DMS_OPEN_SQL, [False, discord_id, True], conn)

    await mark_delivered_then(order.order_id, order.source, lift_flags)


async def dms_closed(order: DeliveryOrder, *, fallback_note: str) -> None:
    """Records that the buyer's DMs are closed: cached on the customer, order flagged, admins told.

    The admin notice is queued once per order, however often a resend fails again.
    """
    assert order.discord_id is not None
    customer = await ensure_customer(order.discord_id)
    await Customer.filter(id=customer.id).update(dms_closed=True)
    await mark_needs_attention(order.order_id, DMS_CLOSED_REASON)
    await queue_admin_alert(
        "Delivery blocked: DMs closed",
        f"Order {order.number} ({order.quantity} × {order.product_name}) could not be "
        f"sent to <@{order.discord_id}>: their DMs are closed. {fallback_note} "
        "The order is flagged; the buyer can use My orders → Resend once DMs are open.",
        order_id=order.order_id,
        dedupe_key=f"dms-closed:{order.order_id}",
    )


async def no_buyer_to_dm(order: DeliveryOrder) -> None:
    """An order with codes but no Discord user (e.g. a storefront order without the field)."""
    await mark_needs_attention(order.order_id, NO_BUYER_REASON)
    await queue_admin_alert(
        "Delivery needs a buyer",
        f"Order {order.number} ({order.quantity} × {order.product_name}) is paid but has "
        "no Discord user to send the codes to. Send them by hand or fix the order.",
        order_id=order.order_id,
        dedupe_key=f"no-buyer:{order.order_id}",
    )


async def fallback_thread_id(discord_id: int) -> int | None:
    """The private fallback thread made for this buyer before, if any."""
    state = await BotState.get_or_none(key=_THREAD_KEY.format(discord_id=discord_id))
    if state is None:
        return None
    value = state.value.get("thread_id")
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else None


async def remember_fallback_thread(discord_id: int, thread_id: int | None) -> None:
    """Keeps (or, with None, forgets) the buyer's fallback thread, so later notices reuse it."""
    key = _THREAD_KEY.format(discord_id=discord_id)
    if thread_id is None:
        await BotState.filter(key=key).delete()
        return
    await BotState.update_or_create(key=key, defaults={"value": {"thread_id": thread_id}})


async def release_lease(job_id: int, worker_id: str) -> bool:
    """Hands a job this worker was stopped in the middle of back to the queue, uncounted.

    A stop is not a failure: the attempt taken at claim time is given back, and the job is
    due at once for the next worker (this process after a restart, or another one).
    """
    hit = await Job.filter(id=job_id, status=JobStatus.RUNNING, lease_owner=worker_id).update(
        status=JobStatus.PENDING,
        lease_owner=None,
        lease_expires_at=None,
        attempts=F("attempts") - 1,
        next_attempt_at=datetime.now(UTC),
    )
    return hit == 1


async def release_own_leases(worker_id: str) -> int:
    """Hands back every job still leased to this worker while it holds none in hand.

    The worker calls this between batches after the database failed under it: a claim whose
    commit went through but whose answer was lost, or an outcome it could not record, left
    jobs leased to it that it does not know of. Without this they would wait out the lease.
    """
    return await Job.filter(status=JobStatus.RUNNING, lease_owner=worker_id).update(
        status=JobStatus.PENDING,
        lease_owner=None,
        lease_expires_at=None,
        attempts=F("attempts") - 1,
        next_attempt_at=datetime.now(UTC),
    )
