"""What an order's new status sets in motion: stock held or let go, wallet refunds, jobs.

Called only by models.orders.lifecycle inside its transaction, after the facts are known.
Every step is a reconciliation ("make it so"), not a reaction to one event, so running it
for a replayed or reordered event leaves the same result.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q

from models.base import (
    JobKind,
    JobStatus,
    OrderSource,
    OrderStatus,
    PaymentMethod,
    ProductKind,
    WalletKind,
)
from models.catalog.tables import Product
from models.customers.tables import Customer, WalletTransaction
from models.customers.wallet import credit_customer
from models.orders.entitlements import order_role_id
from models.orders.facts import ENTITLED, FEED_KIND, OrderFacts, status_from_facts
from models.orders.tables import Order
from models.outbox.actions import CANCELLED_PREFIX, cancel_pending, enqueue
from models.outbox.tables import Job
from models.stock.actions import (
    check_low_stock,
    held_count,
    mark_stock_delivered,
    release_order_stock,
    reserve_stock,
    restore_order_stock,
    revoke_order_stock,
)

log = logging.getLogger(__name__)

PAID_AFTER_CANCEL = "paid after cancellation: refund it at the provider"


@dataclass
class Outcome:
    status: OrderStatus
    released_stock: bool = False
    jobs: list[tuple[JobKind, dict]] = field(default_factory=list)

    async def queue_jobs(
        self,
        order: Order,
        order_event_id: int,
        before: OrderStatus | None,
        created: bool,
        conn: BaseDBAsyncClient,
    ) -> list[int]:
        """Queues the jobs settle() decided on, plus the feed embed for a status change."""
        jobs = list(self.jobs)
        if created or self.status != before:
            if (
                created
                and self.status is OrderStatus.PENDING
                and order.source is OrderSource.DISCORD
            ):
                kind = "checkout_started"
            elif before is OrderStatus.DISPUTED and self.status in ENTITLED:
                kind = "dispute_won"
            else:
                kind = FEED_KIND[self.status]
            jobs.append(
                (
                    JobKind.POST_FEED,
                    {"order_id": order.id, "order_event_id": order_event_id, "kind": kind},
                )
            )
        ids = []
        for kind, payload in jobs:
            dedupe = payload.pop("_dedupe", None)
            job = await enqueue(
                kind, payload, order_id=order.id, dedupe_key=dedupe, connection=conn
            )
            if job is not None:
                ids.append(job.id)
        return ids


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


async def settle(
    order: Order,
    facts: OrderFacts,
    before: OrderStatus | None,
    conn: BaseDBAsyncClient,
    *,
    now: datetime,
    retry: bool = False,
    role_already_granted: bool = True,
) -> Outcome:
    """Brings stock, wallet and the order row in line with the facts; returns the jobs to queue."""
    product_id = order.product_id  # type: ignore[attr-defined]
    product = await Product.filter(id=product_id).using_db(conn).first() if product_id else None
    delivers_codes = product is not None and ProductKind(product.kind).delivers_codes
    entitled = facts.entitles(order.amount)
    outcome = Outcome(status=OrderStatus.PENDING)
    stock_complete = True
    if delivers_codes and product is not None:
        if entitled:
            await restore_order_stock(order.id, facts.delivered, conn)
            held = await held_count(order.id, conn)
            if held < order.quantity:
                got = await reserve_stock(product.id, order.id, order.quantity - held, conn)
                held += got
                if got:
                    await check_low_stock(product, conn)
            if facts.delivered:
                await mark_stock_delivered(order.id, conn)
            stock_complete = held >= order.quantity
        else:
            # Withdraw a delivery not yet claimed first: after that no worker can start it.
            reason = "order no longer entitles"
            await cancel_pending(order.id, JobKind.DELIVER_CODES, reason, conn)
            if facts.delivered or await _delivery_may_have_started(order.id, conn):
                await revoke_order_stock(order.id, conn)
            elif await release_order_stock(order.id, conn):
                outcome.released_stock = True
                await check_low_stock(product, conn)
    status = status_from_facts(facts, order.amount, stock_complete)
    outcome.status = status
    customer = None
    if order.customer_id is not None:  # type: ignore[attr-defined]
        customer = await Customer.filter(id=order.customer_id).using_db(conn).first()  # type: ignore[attr-defined]

    role_id = order_role_id(order, product)
    was_entitled = before in ENTITLED
    if role_id is not None and customer is not None:
        role = {"order_id": order.id, "discord_id": customer.discord_id, "role_id": role_id}
        if entitled and (retry or not (was_entitled and role_already_granted)):
            outcome.jobs.append((JobKind.GRANT_ROLE, dict(role)))
        elif was_entitled and not entitled:
            outcome.jobs.append((JobKind.REVOKE_ROLE, dict(role)))

    if delivers_codes and entitled and stock_complete and (retry or not facts.delivered):
        if not await _delivery_queued(order.id, conn):
            payload = {"order_id": order.id, "resend": facts.delivered}
            outcome.jobs.append((JobKind.DELIVER_CODES, payload))

    if status is OrderStatus.AWAITING_STOCK and before is not OrderStatus.AWAITING_STOCK:
        outcome.jobs.append(
            (
                JobKind.NOTIFY_ADMIN,
                {
                    "title": "Order waiting for stock",
                    "message": f"Order {order.number} is paid but {product.key if product else ''} "
                    f"is short of {order.quantity} code(s). Add stock to release it.",
                    "order_id": order.id,
                    "_dedupe": f"awaiting-stock:{order.id}:{order.quantity}",
                },
            )
        )
    if (
        status is OrderStatus.DELIVERED
        and before is not OrderStatus.DELIVERED
        and order.source is OrderSource.ECWID
        and order.external_id
    ):
        outcome.jobs.append(
            (
                JobKind.UPDATE_STOREFRONT,
                {
                    "provider": "ecwid",
                    "external_id": order.external_id,
                    "fulfillment_status": "DELIVERED",
                    "_dedupe": f"storefront:{order.id}:DELIVERED",
                },
            )
        )

    if order.payment_method is PaymentMethod.WALLET and customer is not None:
        await _refund_to_wallet(order, facts, status, customer, conn)

    updates: dict = {"status": status, "refunded_amount": facts.refunded_total(order.amount)}
    if facts.payment_implied() and order.paid_at is None:
        updates["paid_at"] = now
        if customer is not None:
            await (
                Customer.filter(id=customer.id)
                .using_db(conn)
                .update(total_spent=F("total_spent") + order.amount)
            )
    if facts.delivered and order.delivered_at is None:
        updates["delivered_at"] = now
    # A pure function of the facts (not of the path), like the status itself.
    paid_after_cancel = (
        status is OrderStatus.CANCELLED
        and facts.paid
        and order.payment_method not in (PaymentMethod.WALLET, PaymentMethod.MANUAL)
    )
    if paid_after_cancel and not order.needs_attention:
        updates["needs_attention"] = True
        updates["attention_reason"] = PAID_AFTER_CANCEL
        outcome.jobs.append(
            (
                JobKind.NOTIFY_ADMIN,
                {
                    "title": "Payment for a cancelled order",
                    "message": f"Order {order.number} was paid after it was cancelled; "
                    "refund the payment at the provider.",
                    "order_id": order.id,
                    "_dedupe": f"paid-after-cancel:{order.id}",
                },
            )
        )
    elif not paid_after_cancel and order.attention_reason == PAID_AFTER_CANCEL:
        updates["needs_attention"] = False
        updates["attention_reason"] = ""
    if retry and order.needs_attention:
        updates["needs_attention"] = False
        updates["attention_reason"] = ""
    await Order.filter(id=order.id).using_db(conn).update(**updates)
    for name, value in updates.items():
        setattr(order, name, value)
    return outcome


async def _refund_to_wallet(
    order: Order,
    facts: OrderFacts,
    status: OrderStatus,
    customer: Customer,
    conn: BaseDBAsyncClient,
) -> None:
    """Books what a wallet-paid order is owed back, once per amount (unique reference)."""
    if not facts.payment_implied():
        return
    if status in (OrderStatus.REFUNDED, OrderStatus.CANCELLED):
        owed = order.amount
    else:
        owed = facts.refunded_total(order.amount)
    prefix = f"order:{order.id}:refund:"
    already = sum(
        await WalletTransaction.filter(kind=WalletKind.REFUND, reference__startswith=prefix)
        .using_db(conn)
        .values_list("amount", flat=True)
    )
    if owed > already:
        await credit_customer(
            customer,
            owed - already,
            kind=WalletKind.REFUND,
            reference=f"{prefix}{owed}",
            connection=conn,
            note=f"refund of order {order.number}",
        )
