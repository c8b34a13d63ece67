"""Order writes the cogs call (checkout ids, attention flags, delivered, admin actions, resend)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient

from models.base import JobKind, OrderSource, OrderStatus, ProductKind
from models.errors import InvalidInput, InvalidTransition, NotFound
from models.orders.facts import ADMIN_ALLOWED, ENTITLED
from models.orders.lifecycle import apply_payment_event, apply_then
from models.orders.payment_event import ApplyResult, PaymentEvent, PaymentStatus
from models.orders.queries import get_order, get_order_by_number
from models.orders.tables import Order
from models.outbox.actions import enqueue
from models.outbox.parked import settle_parked_of_order
from models.outbox.raw_sql import rows

T = TypeVar("T")


async def attach_checkout(
    order_id: int, *, checkout_id: str | None = None, payment_ref: str | None = None
) -> None:
    """Stores the provider's checkout / payment id on a pending order we created."""
    updates = {k: v for k, v in (("checkout_id", checkout_id), ("payment_ref", payment_ref)) if v}
    if updates and not await Order.filter(id=order_id).update(**updates):
        raise NotFound("That order does not exist.")


async def mark_needs_attention(order_id: int, reason: str) -> None:
    """Flags an order for an admin (DMs closed, delivery parked, ...)."""
    if not await Order.filter(id=order_id).update(
        needs_attention=True, attention_reason=reason[:255]
    ):
        raise NotFound("That order does not exist.")


_SOURCE_SQL = 'SELECT "source" FROM "order" WHERE "id" = ?'


async def mark_delivered(order_id: int, source: OrderSource | None = None) -> ApplyResult:
    """Applies the delivered fact (idempotent): the worker calls it after the DM or grant.

    `source`: the order's, when the caller read it already (the worker's order snapshot).
    """
    if source is None:
        found = await rows(_SOURCE_SQL, [order_id])
        if not found:
            raise NotFound("That order does not exist.")
        source = OrderSource(found[0]["source"])
    return await apply_payment_event(_delivered(order_id, source))


async def mark_delivered_then(
    order_id: int,
    source: OrderSource,
    follow_up: Callable[[ApplyResult, BaseDBAsyncClient], Awaitable[T]],
) -> T:
    """mark_delivered, then `follow_up(result, conn)` in the same transaction (both commit or
    neither; see models.orders.lifecycle.apply_then). NotFound when the order is gone."""
    return await apply_then(_delivered(order_id, source), follow_up)


def _delivered(order_id: int, source: OrderSource) -> PaymentEvent:
    return PaymentEvent(
        source=source,
        order_id=order_id,
        status=PaymentStatus.DELIVERED,
        cause="delivery:sent",
        reference="delivered",
    )


_ADMIN = {
    "complete": PaymentStatus.PAID,
    "refund": PaymentStatus.REFUNDED,
    "cancel": PaymentStatus.CANCELLED,
    "retry": PaymentStatus.RETRY_DELIVERY,
}


_DELIVERY_KINDS = (JobKind.DELIVER_CODES, JobKind.GRANT_ROLE)


async def admin_process_order(
    number: str, action: str, *, actor_id: int, reference: str, note: str = ""
) -> ApplyResult:
    """/admin processorder: complete, refund, retry or cancel, audited with the admin's id.

    `reference` is unique per admin action (e.g. the interaction id). Refunding here records
    the refund; money paid by card is returned at the provider, wallet money automatically.
    """
    if action not in _ADMIN:
        raise InvalidInput(f"Unknown action {action!r}: use {', '.join(_ADMIN)}.")
    order = await get_order_by_number(number)
    result = await apply_payment_event(
        PaymentEvent(
            source=order.source,
            order_id=order.id,
            status=_ADMIN[action],
            cause=f"admin:{action}",
            reference=reference,
            actor_id=actor_id,
            note=note,
        )
    )
    if action == "retry" and result.applied:
        # The retry queued the delivery anew: the attempts it replaces are no longer parked.
        await settle_parked_of_order(order.id, _DELIVERY_KINDS, f"retried by {actor_id}")
    return result


async def resend_codes(order_id: int, discord_id: int) -> None:
    """A customer's "Resend" in My orders: queue the DM again for an order they own."""
    order = await get_order(order_id)
    if order.customer is None or order.customer.discord_id != discord_id:
        raise NotFound("That order does not exist.")
    product = order.product
    if order.status not in ENTITLED or not (product and ProductKind(product.kind).delivers_codes):
        raise InvalidTransition(f"Order {order.number} has no codes to send.")
    await enqueue(JobKind.DELIVER_CODES, {"order_id": order.id, "resend": True}, order_id=order.id)


def allowed_admin_actions(status: OrderStatus) -> list[str]:
    """The /admin processorder actions an order in `status` accepts now, in menu order."""
    return [name for name, fact in _ADMIN.items() if status in ADMIN_ALLOWED[fact]]
