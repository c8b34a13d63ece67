"""What the delivery worker reads and records: order snapshots, closed DMs, leases.

The worker in cogs/delivery/ runs the outbox jobs against Discord; everything it needs from
the database goes through here (or models.orders / models.outbox), so no cog touches the ORM.
Feed entries are read in models.orders.feed_entries. Nothing here sees a plaintext code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import F

from models.base import JobStatus, OrderStatus, ProductKind
from models.bot_state import BotState
from models.customers.actions import ensure_customer
from models.customers.tables import Customer
from models.orders.actions import mark_delivered, mark_needs_attention
from models.orders.facts import ENTITLED
from models.orders.tables import Order
from models.outbox.actions import queue_admin_alert
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

    @property
    def entitled(self) -> bool:
        return self.status in ENTITLED


async def delivery_order(order_id: int) -> DeliveryOrder | None:
    """The order's current state, or None when it no longer exists."""
    order = await Order.get_or_none(id=order_id).prefetch_related("product", "customer")
    if order is None:
        return None
    product = order.product
    customer = order.customer
    kind = ProductKind(product.kind) if product is not None else None
    return DeliveryOrder(
        order_id=order.id,
        number=order.number,
        status=OrderStatus(order.status),
        product_name=order.product_name or (product.name if product is not None else "Order"),
        quantity=order.quantity,
        discord_id=customer.discord_id if customer is not None else None,
        delivers_codes=kind is not None and kind.delivers_codes,
        role_only=kind is not None and kind.role_only,
        dms_closed=bool(customer is not None and customer.dms_closed),
        needs_attention=order.needs_attention,
        attention_reason=order.attention_reason,
    )


async def codes_sent(order_id: int, discord_id: int) -> None:
    """After the DM went out: the order is delivered, and a closed-DM flag is lifted."""
    await mark_delivered(order_id)
    await Order.filter(id=order_id, attention_reason=DMS_CLOSED_REASON).update(
        needs_attention=False, attention_reason=""
    )
    await Customer.filter(discord_id=discord_id, dms_closed=True).update(dms_closed=False)


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
