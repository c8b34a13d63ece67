"""Subscription news for the orders-channel feed: renewals, failed renewals, endings.

Each is an OrderEvent on the subscription's order (its status unchanged, from = to) and a
post_feed job reading it back, once per invoice or per subscription: the event's
(order, cause, reference) is unique, so a replayed or reordered Stripe event adds nothing.
"""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from models.base import JobKind
from models.money import format_money
from models.orders.tables import Order, OrderEvent
from models.outbox.actions import enqueue
from models.subscriptions.state import State

RENEWED = "renewed"
RENEWAL_FAILED = "renewal_failed"
ENDED = "subscription_ended"
FEED_KINDS = (RENEWED, RENEWAL_FAILED, ENDED)


def news(before: State | None, after: State, paid_before: set[str], fact: Any) -> list[tuple]:
    """(kind, reference, detail) of what this fact made news of, given the state before."""
    found: list[tuple] = []
    invoice = fact.invoice_id
    if (
        fact.kind == "invoice_paid"
        and invoice not in paid_before
        and fact.billing_reason != "subscription_create"
    ):
        paid = format_money(fact.amount or 0, fact.currency or "USD")
        detail = {"invoice": invoice, "amount": fact.amount, "currency": fact.currency}
        detail["note"] = f"Invoice {invoice} paid: {paid}"
        found.append((RENEWED, f"renewed:{invoice}", detail))
    failing_before = before.failing if before is not None else ()
    if fact.kind == "invoice_failed" and invoice in after.failing and invoice not in failing_before:
        note = f"Invoice {invoice} not paid: the role is kept through the grace period"
        found.append((RENEWAL_FAILED, f"failed:{invoice}", {"invoice": invoice, "note": note}))
    if after.status == "canceled" and (before is None or before.status != "canceled"):
        note = f"Stripe subscription {fact.subscription_id} cancelled: the role ends"
        found.append((ENDED, f"ended:{fact.subscription_id}", {"note": note}))
    return found


async def note_in_feed(
    order: Order, kind: str, reference: str, detail: dict[str, Any], conn: BaseDBAsyncClient
) -> bool:
    """Records the news on the order and queues its feed entry; False when already noted."""
    cause = f"stripe:{kind}"
    seen = OrderEvent.filter(order_id=order.id, cause=cause, reference=reference)
    if await seen.using_db(conn).exists():
        return False
    event = await OrderEvent.create(
        order_id=order.id,
        from_status=order.status,
        to_status=order.status,
        cause=cause,
        reference=reference[:191],
        detail={"subscription": kind, **detail},
        using_db=conn,
    )
    payload = {"order_id": order.id, "order_event_id": event.id, "kind": kind}
    await enqueue(JobKind.POST_FEED, payload, order_id=order.id, connection=conn)
    return True
