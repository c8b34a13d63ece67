"""What an order's new status sets in motion: stock held or let go, wallet refunds, jobs.

Called only by models.orders.lifecycle inside its transaction, after the facts are known.
Every step is a reconciliation ("make it so"), not a reaction to one event, so running it
for a replayed or reordered event leaves the same result.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from models.base import (
    JobKind,
    JobStatus,
    OrderSource,
    OrderStatus,
    PaymentMethod,
    ProductKind,
)
from models.catalog.tables import Product
from models.coupons.actions import settle_coupon_use
from models.customers.tables import Customer
from models.orders.entitlements import order_role_id
from models.orders.facts import ENTITLED, OrderFacts, status_from_facts
from models.orders.order_sql import add_to_total_spent, update_order
from models.orders.outcome import Outcome, PlannedAlert, PlannedJob
from models.orders.settle_reads import product_and_customer
from models.orders.tables import Order
from models.orders.timed_access import access_updates
from models.orders.wallet_refund import refund_to_wallet
from models.outbox.actions import (
    CANCELLED_PREFIX,
    cancel_pending,
)
from models.outbox.tables import Job
from models.stock.actions import (
    check_low_stock,
    deliver_order_stock,
    mark_stock_delivered,
    release_order_stock,
    reserve_stock,
    restore_order_stock,
    revoke_order_stock,
)
from models.stock.queries import held_count

log = logging.getLogger(__name__)

PAID_AFTER_CANCEL = "paid after cancellation: refund it at the provider"


@dataclass(frozen=True)
class _Settling:
    """What settle() works from: the order with its product and customer, and the facts."""

    order: Order
    facts: OrderFacts
    before: OrderStatus | None
    conn: BaseDBAsyncClient
    product: Product | None
    customer: Customer | None
    # Created in this transaction: it holds no codes and has no jobs yet.
    new: bool = False
    stored: dict[str, Any] = field(default_factory=dict)
    spent_ahead: int = 0  # Loaded.spent_ahead

    @property
    def delivers_codes(self) -> bool:
        return self.product is not None and ProductKind(self.product.kind).delivers_codes

    @property
    def entitled(self) -> bool:
        return self.facts.entitles(self.order.amount)


@dataclass(frozen=True)
class Loaded:
    """The order's product and customer rows, read in the same transaction: to create a new
    order (settle() need not read them again, nor look for codes or jobs it cannot have yet),
    or with an existing order's own read (`new` False; used while the order still names them)."""

    product: Product | None
    customer: Customer | None
    new: bool = True
    # What a new order's INSERT wrote ahead of settle() (settled_columns), while the order
    # object keeps the values settle() starts from: settle writes only what differs.
    stored: dict[str, Any] = field(default_factory=dict)
    # What a buyer created with the order already counts in total_spent (their INSERT's
    # value): settle() adds only the rest of what the payment owes.
    spent_ahead: int = 0

    def still_of(self, order: Order) -> bool:
        """The rows are still the order's product and buyer (an event may have filled them)."""
        product_id = order.product_id or None  # type: ignore[attr-defined]
        customer_id = order.customer_id  # type: ignore[attr-defined]
        return (self.product.id if self.product else None) == product_id and (
            self.customer.id if self.customer else None
        ) == customer_id


async def _settling(
    order: Order,
    facts: OrderFacts,
    before: OrderStatus | None,
    conn: BaseDBAsyncClient,
    loaded: Loaded | None,
) -> _Settling:
    if loaded is not None and (loaded.new or loaded.still_of(order)):
        p, c = loaded.product, loaded.customer
        return _Settling(
            order,
            facts,
            before,
            conn,
            p,
            c,
            new=loaded.new,
            stored=loaded.stored,
            spent_ahead=loaded.spent_ahead,
        )
    product_id = order.product_id  # type: ignore[attr-defined]
    customer_id = order.customer_id  # type: ignore[attr-defined]
    product, customer = await product_and_customer(product_id or None, customer_id, conn)
    return _Settling(order, facts, before, conn, product, customer)


async def _delivery_may_have_started(order_id: int, conn: BaseDBAsyncClient) -> bool:
    """A deliver job was claimed (running, or finished without being withdrawn)."""
    return await (
        Job.filter(
            Q(order_id=order_id, kind=JobKind.DELIVER_CODES),
            Q(status=JobStatus.RUNNING)
            | Q(Q(status=JobStatus.DONE), ~Q(last_error__startswith=CANCELLED_PREFIX)),
        )
        .using_db(conn)
        .exists()
    )


async def _delivery_queued(order_id: int, conn: BaseDBAsyncClient) -> bool:
    return await (
        Job.filter(
            order_id=order_id,
            kind=JobKind.DELIVER_CODES,
            status__in=(JobStatus.PENDING, JobStatus.RUNNING),
        )
        .using_db(conn)
        .exists()
    )


async def _hold_stock(
    order: Order, product: Product, facts: OrderFacts, conn: BaseDBAsyncClient, *, new: bool
) -> bool:
    """An entitled order keeps (or gets back, or reserves) its codes; True when it has all."""
    held = 0
    marked = False
    if not new and facts.delivered:
        # Restore and mark delivered in one statement; when it changed every code the order
        # is owed (the delivered fact's first settle), it holds them all without a count.
        held = await deliver_order_stock(order.id, conn)
        marked = True
        if held < order.quantity:
            held = await held_count(order.id, conn)
    elif not new:
        await restore_order_stock(order.id, facts.delivered, conn)
        held = await held_count(order.id, conn)
    if held < order.quantity:
        got = await reserve_stock(product.id, order.id, order.quantity - held, conn)
        held += got
        if got:
            await check_low_stock(product, conn)
            marked = False  # the codes just reserved are still to be marked
    if facts.delivered and not marked:
        await mark_stock_delivered(order.id, conn)
    return held >= order.quantity


async def _let_go_of_stock(s: _Settling, outcome: Outcome) -> None:
    """An order that no longer entitles: codes never sent go back on sale, sent ones revoked."""
    assert s.product is not None
    # Withdraw a delivery not yet claimed first: after that no worker can start it.
    order_id = s.order.id
    await cancel_pending(order_id, JobKind.DELIVER_CODES, "order no longer entitles", s.conn)
    if s.facts.delivered or await _delivery_may_have_started(order_id, s.conn):
        await revoke_order_stock(order_id, s.conn)
    elif await release_order_stock(order_id, s.conn):
        outcome.released_stock = True
        await check_low_stock(s.product, s.conn)


async def _settle_stock(s: _Settling, outcome: Outcome) -> bool:
    """Stock in line with entitlement; True when the order holds every code it is owed."""
    if not s.delivers_codes or s.product is None:
        return True
    if s.entitled:
        return await _hold_stock(s.order, s.product, s.facts, s.conn, new=s.new)
    if status_from_facts(s.facts, s.order.amount, True) is OrderStatus.PENDING:
        return True  # an open checkout keeps its hold (models/orders/holds.py)
    await _let_go_of_stock(s, outcome)
    return True


def _plan_role(s: _Settling, outcome: Outcome, *, retry: bool, already_granted: bool) -> None:
    """A grant when the order starts to entitle (or on retry), a revoke when it stops."""
    role_id = order_role_id(s.order, s.product)
    if role_id is None or s.customer is None:
        return
    role = {"order_id": s.order.id, "discord_id": s.customer.discord_id, "role_id": role_id}
    was_entitled = s.before in ENTITLED
    if s.entitled and (retry or not (was_entitled and already_granted)):
        outcome.jobs.append(PlannedJob(JobKind.GRANT_ROLE, role))
    elif was_entitled and not s.entitled:
        outcome.jobs.append(PlannedJob(JobKind.REVOKE_ROLE, role))


async def _plan_delivery(
    s: _Settling, outcome: Outcome, *, stock_complete: bool, retry: bool
) -> None:
    """The codes DM, once every code is held, unless it was sent (or is queued) already."""
    if not (s.delivers_codes and s.entitled and stock_complete):
        return
    if s.facts.delivered and not retry:
        return
    if s.new or not await _delivery_queued(s.order.id, s.conn):
        payload = {"order_id": s.order.id, "resend": s.facts.delivered}
        outcome.jobs.append(PlannedJob(JobKind.DELIVER_CODES, payload))


def _plan_notices(s: _Settling, outcome: Outcome) -> None:
    """Admins told of an order waiting for stock; the storefront told of a delivery."""
    order, status, before = s.order, outcome.status, s.before
    if status is OrderStatus.AWAITING_STOCK and before is not OrderStatus.AWAITING_STOCK:
        outcome.jobs.append(
            PlannedAlert(
                "Order waiting for stock",
                f"Order {order.number} is paid but {s.product.key if s.product else ''} "
                f"is short of {order.quantity} code(s). Add stock to release it.",
                dedupe_key=f"awaiting-stock:{order.id}:{order.quantity}",
            )
        )
    _plan_buyer_notice(s, outcome)
    if (
        status is OrderStatus.DELIVERED
        and before is not OrderStatus.DELIVERED
        and order.source is OrderSource.ECWID
        and order.external_id
    ):
        payload = {
            "provider": "ecwid",
            "external_id": order.external_id,
            "fulfillment_status": "DELIVERED",
        }
        outcome.jobs.append(
            PlannedJob(JobKind.UPDATE_STOREFRONT, payload, f"storefront:{order.id}:DELIVERED")
        )


def _plan_buyer_notice(s: _Settling, outcome: Outcome) -> None:
    """The buyer told once that their order waits for stock, or sent a role order's receipt."""
    if s.customer is None or s.product is None:
        return
    status, before = outcome.status, s.before
    if status is OrderStatus.AWAITING_STOCK and before is not OrderStatus.AWAITING_STOCK:
        notice = "queued"
    elif status is OrderStatus.DELIVERED and before is not OrderStatus.DELIVERED:
        if not ProductKind(s.product.kind).role_only:
            return  # the codes DM is the receipt
        notice = "receipt"
    else:
        return
    payload = {"order_id": s.order.id, "notice": notice}
    outcome.jobs.append(PlannedJob(JobKind.NOTIFY_BUYER, payload, f"{notice}:{s.order.id}"))


def _payment_columns(
    facts: OrderFacts,
    amount: int,
    status: OrderStatus,
    now: datetime,
    *,
    paid_at: datetime | None,
    delivered_at: datetime | None,
) -> dict[str, Any]:
    """Status, refunded amount and first paid / delivered times, from the facts."""
    columns: dict[str, Any] = {"status": status, "refunded_amount": facts.refunded_total(amount)}
    if facts.payment_implied() and paid_at is None:
        columns["paid_at"] = now
    if facts.delivered and delivered_at is None:
        columns["delivered_at"] = now
    return columns


def settled_columns(facts: OrderFacts, amount: int, now: datetime) -> dict[str, Any]:
    """What settle() writes on a new order whose codes are all held (the usual case), for
    the order's INSERT to carry (Loaded.stored): settle() then writes only what differs."""
    status = status_from_facts(facts, amount, True)
    return _payment_columns(facts, amount, status, now, paid_at=None, delivered_at=None)


async def _payment_updates(s: _Settling, status: OrderStatus, now: datetime) -> dict[str, Any]:
    """Status, refunded amount and first paid / delivered times; a first payment adds to spend."""
    order = s.order
    updates = _payment_columns(
        s.facts, order.amount, status, now, paid_at=order.paid_at, delivered_at=order.delivered_at
    )
    if s.customer is not None:
        owed = order.amount if "paid_at" in updates else 0
        if owed != s.spent_ahead:  # a new buyer's INSERT counted spent_ahead already
            await add_to_total_spent(s.customer.id, owed - s.spent_ahead, s.conn)
    return updates


def _to_write(s: _Settling, updates: dict[str, Any]) -> dict[str, Any]:
    """The updates the row does not hold yet: a new order's INSERT wrote `stored` ahead.
    Every stored column is among the updates (settled_columns and _payment_updates decide
    them alike from an order with neither time set), so only differing values are left."""
    stored = s.stored
    return {k: v for k, v in updates.items() if k not in stored or stored[k] != v}


def _attention_updates(s: _Settling, outcome: Outcome, *, retry: bool) -> dict[str, Any]:
    """The paid-after-cancellation flag (a pure function of the facts, like the status)."""
    order = s.order
    updates: dict[str, Any] = {}
    paid_after_cancel = (
        outcome.status is OrderStatus.CANCELLED
        and s.facts.paid
        and order.payment_method not in (PaymentMethod.WALLET, PaymentMethod.MANUAL)
    )
    if paid_after_cancel and not order.needs_attention:
        updates["needs_attention"] = True
        updates["attention_reason"] = PAID_AFTER_CANCEL
        outcome.jobs.append(
            PlannedAlert(
                "Payment for a cancelled order",
                f"Order {order.number} was paid after it was cancelled; "
                "refund the payment at the provider.",
                dedupe_key=f"paid-after-cancel:{order.id}",
            )
        )
    elif not paid_after_cancel and order.attention_reason == PAID_AFTER_CANCEL:
        updates["needs_attention"] = False
        updates["attention_reason"] = ""
    if retry and order.needs_attention:
        updates["needs_attention"] = False
        updates["attention_reason"] = ""
    return updates


async def settle(
    order: Order,
    facts: OrderFacts,
    before: OrderStatus | None,
    conn: BaseDBAsyncClient,
    *,
    now: datetime,
    retry: bool = False,
    role_already_granted: bool = True,
    loaded: Loaded | None = None,
) -> Outcome:
    """Brings stock, wallet and the order row in line with the facts; returns the jobs to queue.

    `loaded`: the order's product and customer when the caller read them in this transaction.
    """
    s = await _settling(order, facts, before, conn, loaded)
    outcome = Outcome(status=OrderStatus.PENDING, refunded_before=order.refunded_amount)
    stock_complete = await _settle_stock(s, outcome)
    outcome.status = status_from_facts(facts, order.amount, stock_complete)
    _plan_role(s, outcome, retry=retry, already_granted=role_already_granted)
    await _plan_delivery(s, outcome, stock_complete=stock_complete, retry=retry)
    _plan_notices(s, outcome)
    if order.payment_method is PaymentMethod.WALLET and s.customer is not None:
        await refund_to_wallet(order, facts, outcome.status, s.customer, conn)
    await settle_coupon_use(order, outcome.status, conn)  # a lapsed order's use goes back
    updates = await _payment_updates(s, outcome.status, now)
    updates.update(_attention_updates(s, outcome, retry=retry))
    # Timed access starts when the order first entitles (its buyer or product may come late).
    starts = s.entitled and (before not in ENTITLED or not role_already_granted)
    updates.update(await access_updates(order, s.product, s.customer, starts=starts, conn=conn))
    await update_order(order.id, _to_write(s, updates), conn)
    for name, value in updates.items():
        setattr(order, name, value)
    return outcome
