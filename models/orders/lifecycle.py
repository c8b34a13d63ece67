"""The order core: apply_payment_event, the only writer of Order.status.

See models.orders.payment_event for the contract. In short: find or create the order (row locked
on PostgreSQL), record the event once, recompute the status from every fact recorded
(models.orders.facts), then do the new status's follow-up work (models.orders.effects) — all
in one transaction.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.base import OrderSource, OrderStatus
from models.catalog.tables import Product
from models.customers.actions import ensure_customer, ensure_customer_spending
from models.customers.tables import Customer
from models.errors import InvalidTransition, NotFound
from models.orders.creation import (
    MISSING,
    columns_and_product,
    fill_missing,
    flag_unfulfillable,
    given_fields,
    missing_fields,
)
from models.orders.effects import Loaded, settle, settled_columns
from models.orders.facts import ADMIN_ALLOWED, OrderFacts
from models.orders.order_insert import insert_order
from models.orders.order_sql import (
    add_to_total_spent,
    insert_order_event,
    order_for_update,
    recorded_events,
    update_order,
)
from models.orders.payment_event import ApplyResult, PaymentEvent, PaymentStatus
from models.orders.settle_reads import order_with_product_and_customer
from models.orders.tables import Order
from models.stock.queries import available_count

log = logging.getLogger(__name__)
T = TypeVar("T")

NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud safely
_RETRIES = 4
# Events that are instructions, not facts about the payment.
_NOT_FACTS = {PaymentStatus.RETRY_DELIVERY}
# Transitions logged at DEBUG (_log_level).
_ROUTINE_FROM = {None, OrderStatus.PENDING, OrderStatus.PAID}
_ROUTINE_TO = {OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.DELIVERED}


def new_order_number() -> str:
    """A public order number like SR-7K3P9Q (31**6 ≈ 887 million, drawn at random)."""
    return "SR-" + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(6))


async def apply_payment_event(
    event: PaymentEvent, *, connection: BaseDBAsyncClient | None = None
) -> ApplyResult:
    """Applies one payment event to its order; idempotent and order-independent.

    With `connection`, runs inside the caller's transaction (no retry). Otherwise opens its
    own and retries when a concurrent first event for the same external order won the race.
    """
    if connection is not None:
        return await apply_in_transaction(event, connection)
    return await apply_then(event, _as_is)


async def _as_is(result: ApplyResult, conn: BaseDBAsyncClient) -> ApplyResult:
    return result


async def apply_then(
    event: PaymentEvent, follow_up: Callable[[ApplyResult, BaseDBAsyncClient], Awaitable[T]]
) -> T:
    """apply_payment_event, then `follow_up(result, conn)` in the same transaction: both
    commit or neither. Retried as a whole when a concurrent writer created the same order or
    event first (or PostgreSQL chose it as a deadlock victim): the retry sees that row and
    goes down the normal path. An exception from follow_up rolls the event back too."""
    for attempt in range(1, _RETRIES + 1):
        try:
            async with in_transaction() as conn:
                return await follow_up(await apply_in_transaction(event, conn), conn)
        except (IntegrityError, OperationalError) as exc:
            if attempt == _RETRIES:
                raise
            log.info(
                "retrying %s for order %s: %s", event.cause, event.order_id, type(exc).__name__
            )
    raise AssertionError("unreachable")


async def apply_in_transaction(event: PaymentEvent, conn: BaseDBAsyncClient) -> ApplyResult:
    """apply_payment_event inside the caller's transaction (see there)."""
    order, loaded = await _find_or_create_order(event, conn)
    created = loaded.new
    before = None if created else order.status
    # One read of the order's events: whether this one is recorded, and the facts so far.
    # An order created just now has none.
    recorded = [] if created else await _recorded_events(order.id, conn)
    duplicate = any(c == event.cause and r == event.reference for c, r, _ in recorded)
    if duplicate:
        return ApplyResult(order.id, order.number, order.status, order.status, applied=False)
    if event.actor_id is not None and not created:
        _refuse_disallowed_admin_action(order, event.status)
    had_customer = order.customer_id is not None  # type: ignore[attr-defined]
    learnt_product = await _store_handles(order, event, conn)
    facts = _facts(recorded, event)
    is_fact = event.status not in _NOT_FACTS
    outcome = await settle(
        order,
        facts,
        before,
        conn,
        now=event.occurred_at,
        retry=event.status is PaymentStatus.RETRY_DELIVERY,
        role_already_granted=had_customer and not learnt_product,
        loaded=loaded,
    )
    detail = _event_detail(event, is_fact)
    event_id = await insert_order_event(
        order.id,
        before,
        outcome.status,
        event.cause,
        event.reference,
        event.actor_id,
        detail,
        conn,
    )
    job_ids = await outcome.queue_jobs(order, event_id, before, created, conn, detail["fact"])
    if outcome.released_stock and order.product_id:  # type: ignore[attr-defined]
        await release_waiting_orders(order.product_id, conn)  # type: ignore[attr-defined]
    log.log(
        _log_level(before, outcome.status),
        "order %s: %s -> %s (%s)",
        order.number,
        before,
        outcome.status.value,
        event.cause,
    )
    return ApplyResult(
        order.id,
        order.number,
        outcome.status,
        before,
        applied=True,
        created=created,
        job_ids=tuple(job_ids),
    )


def _log_level(before: OrderStatus | None, after: OrderStatus) -> int:
    """DEBUG for the usual way of an order (new, paid, delivered): at 500 orders a second a
    line each is most of the log, and the order's events and its webhook row keep the trail.
    INFO for anything an operator may have to act on or explain (stock, refunds, disputes,
    cancellations, failures, an admin's action on a delivered order)."""
    if before in _ROUTINE_FROM and after in _ROUTINE_TO:
        return logging.DEBUG
    return logging.INFO


def _facts(recorded: list[tuple[str, str, dict]], event: PaymentEvent) -> OrderFacts:
    """The facts recorded so far and the event's own (an instruction adds none)."""
    facts = OrderFacts.from_details(detail for _, _, detail in recorded)
    if event.status not in _NOT_FACTS:
        facts.add(event.status, event.refund_amount)
    return facts


async def _recorded_events(order_id: int, conn: BaseDBAsyncClient) -> list[tuple[str, str, dict]]:
    """(cause, reference, detail) of every event recorded for the order (raw:
    models.orders.order_sql)."""
    return await recorded_events(order_id, conn)


async def _recorded_facts(order_id: int, conn: BaseDBAsyncClient) -> OrderFacts:
    return OrderFacts.from_details(detail for _, _, detail in await recorded_events(order_id, conn))


def _refuse_disallowed_admin_action(order: Order, status: PaymentStatus) -> None:
    allowed = ADMIN_ALLOWED.get(status)
    if allowed is not None and order.status not in allowed:
        raise InvalidTransition(
            f"Order {order.number} is {order.status.value.replace('_', ' ')}; "
            f"it cannot be {_verb(status)} now."
        )


def _event_detail(event: PaymentEvent, is_fact: bool) -> dict[str, Any]:
    """What the OrderEvent row keeps: the fact (read back by OrderFacts), amount, note, action."""
    detail: dict[str, Any] = {"fact": event.status.value if is_fact else None}
    if event.refund_amount is not None:
        detail["refund_amount"] = event.refund_amount
    if event.note:
        detail["note"] = event.note[:500]
    if event.status is PaymentStatus.RETRY_DELIVERY:
        detail["action"] = "retry_delivery"
    return detail


def _verb(status: PaymentStatus) -> str:
    return {
        PaymentStatus.PAID: "completed",
        PaymentStatus.REFUNDED: "refunded",
        PaymentStatus.CANCELLED: "cancelled",
        PaymentStatus.RETRY_DELIVERY: "delivered again",
    }.get(status, status.value)


async def _find_or_create_order(
    event: PaymentEvent, conn: BaseDBAsyncClient
) -> tuple[Order, Loaded]:
    """The event's order (row locked) with its product and customer rows, the order created
    from the event when it is a first external one (Loaded.new)."""
    found = await _find_order(event, conn)
    if found is not None:
        order, product, customer = found
        return order, Loaded(product, customer, new=False)
    if event.order_id is not None or not event.external_id:
        raise NotFound("That order does not exist.")
    return await _create_order(event, conn)


async def _find_order(
    event: PaymentEvent, conn: BaseDBAsyncClient
) -> tuple[Order, Product | None, Customer | None] | None:
    if event.order_id is not None:
        by, values = "id", [event.order_id]
    elif event.external_id:
        by, values = "external", [OrderSource(event.source).value, event.external_id]
    elif event.checkout_id:
        by, values = "checkout", [event.checkout_id]
    else:
        by, values = "payment_ref", [event.payment_ref]
    # The row lock serialises events for one order on PostgreSQL; SQLite runs one
    # transaction at a time anyway. Raw: read for every event, with the product and buyer
    # settle() needs (models.orders.settle_reads).
    return await order_with_product_and_customer(by, values, conn)


async def _create_order(event: PaymentEvent, conn: BaseDBAsyncClient) -> tuple[Order, Loaded]:
    given = given_fields(event)
    columns, product = await columns_and_product(given, conn)
    # The row is written as settle() will most likely leave it (its UPDATE then skipped);
    # the object keeps the values settle() starts from, as for an order created pending.
    amount = columns.get("amount")
    ahead = {}
    if isinstance(amount, int):
        ahead = settled_columns(_facts([], event), amount, event.occurred_at)
    customer, spent_ahead = None, 0
    if event.discord_user_id:
        # A buyer new with a paid order starts with its amount spent (no UPDATE after).
        spent = amount if "paid_at" in ahead else 0
        customer, spent_ahead = await ensure_customer_spending(event.discord_user_id, spent, conn)
    details = dict(event.details)
    if event.grants_customer_role:
        details["grants_customer_role"] = True
    if missing := missing_fields(given):
        details[MISSING] = missing  # learnt from later events: see models.orders.creation
    # Raw, like Order.create (models.orders.order_insert); a number another order holds is
    # drawn again there (its INSERT skips that conflict), so no number check before it.
    given_columns = {
        "number": new_order_number(),
        "source": event.source,
        "external_id": event.external_id,
        "customer_id": customer.id if customer else None,
        "email": event.email,
        "status": OrderStatus.PENDING,
        "payment_method": event.payment_method,
        "checkout_id": event.checkout_id,
        "payment_ref": event.payment_ref,
        "details": details,
        "expires_at": event.expires_at,
        **columns,
    }
    order = await insert_order({**given_columns, **ahead}, conn, renumber=new_order_number)
    for name in ahead:
        setattr(order, name, given_columns.get(name, Order._meta.fields_map[name].default))
    await flag_unfulfillable(order, conn)
    return order, Loaded(product, customer, stored=ahead, spent_ahead=spent_ahead)


async def _store_handles(order: Order, event: PaymentEvent, conn: BaseDBAsyncClient) -> bool:
    """Fills what the order lacks from later events (first value wins: order-independent).

    Returns True when the order's product was learnt now (its role not granted yet).
    """
    counted = order.amount if order.paid_at and order.customer_id is not None else 0  # type: ignore[attr-defined]
    updates: dict = {}
    if event.payment_ref and not order.payment_ref:
        updates["payment_ref"] = event.payment_ref
    if event.checkout_id and not order.checkout_id:
        updates["checkout_id"] = event.checkout_id
    if event.email and not order.email:
        updates["email"] = event.email
    if event.discord_user_id and order.customer_id is None:  # type: ignore[attr-defined]
        updates["customer_id"] = (await ensure_customer(event.discord_user_id, conn)).id
    if updates:
        await update_order(order.id, updates, conn)
        for name, value in updates.items():
            setattr(order, name, value)
    learnt_product = await fill_missing(order, event, conn)
    if order.paid_at and order.customer_id is not None and order.amount != counted:  # type: ignore[attr-defined]
        # A paid order counts in its buyer's total, also when buyer or amount came late.
        await add_to_total_spent(order.customer_id, order.amount - counted, conn)  # type: ignore[attr-defined]
    return learnt_product


async def release_waiting_orders(
    product_id: int, connection: BaseDBAsyncClient | None = None
) -> list[int]:
    """Gives newly available stock to orders awaiting it, oldest payment first."""
    if connection is None:
        async with in_transaction() as conn:
            return await release_waiting_orders(product_id, conn)
    done: list[int] = []
    waiting = (
        await Order.filter(product_id=product_id, status=OrderStatus.AWAITING_STOCK)
        .order_by("paid_at", "id")
        .using_db(connection)
        .values_list("id", flat=True)
    )
    for order_id in waiting:
        if await available_count(product_id, connection) == 0:
            break
        if await reevaluate_order(order_id, "stock:arrived", connection) in (
            OrderStatus.PAID,
            OrderStatus.DELIVERED,
        ):
            done.append(order_id)
    return done


async def reevaluate_order(order_id: int, cause: str, conn: BaseDBAsyncClient) -> OrderStatus:
    """Runs the follow-up work again without a new fact (stock arrived); records a change."""
    order = await order_for_update("id", [order_id], conn)
    if order is None:
        raise NotFound("That order does not exist.")
    before = order.status
    facts = await _recorded_facts(order.id, conn)
    outcome = await settle(order, facts, before, conn, now=datetime.now(UTC))
    if outcome.status != before:
        event_id = await insert_order_event(
            order.id, before, outcome.status, cause, uuid.uuid4().hex, None, {"fact": None}, conn
        )
        await outcome.queue_jobs(order, event_id, before, False, conn)
    return outcome.status


async def expire_overdue_orders(now: datetime | None = None) -> list[int]:
    """Expires unpaid orders whose checkout lapsed (for providers that do not tell us)."""
    now = now or datetime.now(UTC)
    overdue = await Order.filter(Q(status=OrderStatus.PENDING), Q(expires_at__lt=now)).values_list(
        "id", "source"
    )
    expired = []
    for order_id, source in overdue:
        result = await apply_payment_event(
            PaymentEvent(
                source=OrderSource(source),
                order_id=order_id,
                status=PaymentStatus.EXPIRED,
                cause="shop:expiry",
                reference="expires_at",
                occurred_at=now,
            )
        )
        if result.status is OrderStatus.EXPIRED:
            expired.append(order_id)
    return expired
