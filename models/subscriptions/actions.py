"""Applying a Stripe subscription fact: merge it, derive the state, set the order's access.

The one contract with timed access is Order.access_until: written here from the derived
state; the access sweep (models.orders.access) revokes when it passes. An access that had
lapsed (its end passed) and is extended past now queues a grant_role job, once per new end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models import clock
from models.base import JobKind
from models.catalog.tables import Product
from models.orders.entitlements import order_role_id
from models.orders.facts import ENTITLED
from models.orders.tables import Order
from models.outbox.actions import enqueue, queue_admin_alert
from models.subscriptions.feed import news, note_in_feed
from models.subscriptions.state import State, SubscriptionFact, derive, merge
from models.subscriptions.tables import Subscription

PAYMENT_FAILED = "payment_failed"


@dataclass(frozen=True)
class Applied:
    """What applying one fact did, for the inbox log."""

    order_number: str
    state: State
    regranted: bool

    def note(self) -> str:
        until = self.state.access_until.isoformat(timespec="seconds")
        again = ", role granted again" if self.regranted else ""
        return f"order {self.order_number}: subscription {self.state.status} until {until}{again}"


async def apply_subscription_fact(fact: SubscriptionFact, grace: timedelta) -> Applied | None:
    """Applies one fact; None when neither the subscription nor its order is known yet."""
    for _ in range(2):
        try:
            async with in_transaction() as conn:
                row = await _locked_row(fact, conn)
                if row is None:
                    return None
                return await _apply(row, fact, grace, conn)
        except IntegrityError:
            continue  # another worker created the row meanwhile: read it this time
    raise RuntimeError(f"subscription {fact.subscription_id} could not be stored")


async def _locked_row(fact: SubscriptionFact, conn: BaseDBAsyncClient) -> Subscription | None:
    query = Subscription.filter(stripe_id=fact.subscription_id)
    row = await query.select_for_update().using_db(conn).first()
    if row is not None:
        return row
    if fact.order_id is None:
        return None
    order = await Order.filter(id=fact.order_id).using_db(conn).first()
    if order is None:
        return None
    return await Subscription.create(
        stripe_id=fact.subscription_id,
        stripe_customer_id=fact.stripe_customer_id,
        customer_id=order.customer_id,
        product_id=order.product_id,
        order_id=order.id,
        using_db=conn,
    )


async def _apply(
    row: Subscription, fact: SubscriptionFact, grace: timedelta, conn: BaseDBAsyncClient
) -> Applied:
    before = derive(row.facts, grace) if row.facts else None
    paid_before = set((row.facts or {}).get("paid") or {})
    row.facts = merge(row.facts or {}, fact)
    state = derive(row.facts, grace)
    row.status = state.status
    row.current_period_end = state.current_period_end
    row.cancel_at_period_end = state.cancel_at_period_end
    row.grace_until = state.grace_until
    row.renewals = state.renewals
    if fact.stripe_customer_id and not row.stripe_customer_id:
        row.stripe_customer_id = fact.stripe_customer_id
    await row.save(using_db=conn)
    order = await (
        Order.filter(id=row.order_id)
        .select_for_update()
        .using_db(conn)
        .prefetch_related("customer", "product")
        .first()
    )
    assert order is not None  # the subscription row cascades with its order
    regranted = await _set_access(order, state.access_until, conn)
    if fact.kind == "invoice_failed" and fact.invoice_id in state.failing:
        await _tell_of_failure(order, row, fact, state, conn)
    for kind, reference, detail in news(before, state, paid_before, fact):
        await note_in_feed(order, kind, reference, detail, conn)
    if state.status == "canceled" and (before is None or before.status != "canceled"):
        await queue_admin_alert(
            "Subscription ended",
            [
                f"Order {order.number}: the Stripe subscription {row.stripe_id} was cancelled.",
                "The role it granted is removed now unless another order entitles.",
            ],
            order_id=order.id,
            dedupe_key=f"subscription-ended:{row.stripe_id}",
            connection=conn,
        )
    return Applied(order.number, state, regranted)


async def _set_access(order: Order, until: datetime, conn: BaseDBAsyncClient) -> bool:
    """Writes access_until; True when a lapsed access came back (a grant_role job queued)."""
    previous = order.access_until
    if previous == until:
        return False
    await Order.filter(id=order.id).using_db(conn).update(access_until=until)
    now = clock.now()
    lapsed = previous is not None and previous <= now
    if not (lapsed and until > now and order.status in ENTITLED):
        return False
    product: Product | None = order.product
    role_id = order_role_id(order, product)
    if role_id is None or order.customer is None:
        return False
    job = await enqueue(
        JobKind.GRANT_ROLE,
        {"order_id": order.id, "discord_id": order.customer.discord_id, "role_id": role_id},
        order_id=order.id,
        dedupe_key=f"access-regrant:{order.id}:{until.isoformat()}",
        connection=conn,
    )
    return job is not None


async def _tell_of_failure(
    order: Order,
    row: Subscription,
    fact: SubscriptionFact,
    state: State,
    conn: BaseDBAsyncClient,
) -> None:
    """A failed renewal: the buyer gets a DM with the portal link, the admins one alert."""
    invoice = fact.invoice_id
    if order.customer is not None:
        await enqueue(
            JobKind.NOTIFY_BUYER,
            {"order_id": order.id, "notice": PAYMENT_FAILED, "invoice_id": invoice},
            order_id=order.id,
            dedupe_key=f"subscription-failed-dm:{invoice}"[:191],
            connection=conn,
        )
    grace = state.grace_until.isoformat(timespec="minutes") if state.grace_until else "-"
    who = f"<@{order.customer.discord_id}>" if order.customer is not None else "no Discord user"
    await queue_admin_alert(
        "Subscription payment failed",
        [
            f"Order {order.number} ({who}): Stripe could not collect invoice {invoice} "
            f"of subscription {row.stripe_id}.",
            f"The role is kept through the grace period, until {grace} UTC; the buyer was "
            "sent a link to update their card.",
        ],
        order_id=order.id,
        dedupe_key=f"subscription-failed:{invoice}"[:191],
        connection=conn,
    )
