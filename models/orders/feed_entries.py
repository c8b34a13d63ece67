"""The orders-channel feed: which events post an entry, and what each entry shows.

Every money event posts one: a new order (a wallet purchase only once paid, a Discord
checkout as awaiting payment), each status change, each refund that adds to the amount
refunded (with the amount and the admin's reason), a dispute opened, won or lost, a
top-up credited and each clawback or give-back of it, a timed access that lapsed
("access_ended", once per end; a renewal's entries are marked as one). A replayed event
posts nothing: the order core never gets that far for it. Entries are read back from the
order's history when the job runs, so they show the event, not the order as it is by then.
Never a code.

post_feed payloads: ``{"order_id", "order_event_id", "kind"}`` for an order, and
``{"topup_id", "entry_id", "kind"}`` for a top-up (kinds in models.outbox.feed.TOPUP_KINDS,
queued with models.outbox.feed.queue_topup_feed; the entry is the wallet transaction of the
credit or of the clawback).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models.base import (
    OrderSource,
    OrderStatus,
    PaymentMethod,
    WalletKind,
)
from models.coupons.rules import applied_coupon
from models.customers.tables import Customer, TopUp, WalletTransaction
from models.orders.facts import ENTITLED, FEED_KIND, OrderFacts
from models.orders.payment_event import PaymentStatus
from models.orders.tables import Order, OrderEvent
from models.orders.timed_access import is_renewal

REFUND_FACTS = frozenset({PaymentStatus.REFUNDED.value, PaymentStatus.PARTIALLY_REFUNDED.value})
# Dispute facts are news even when the status stays (a dispute lost keeps it disputed).
DISPUTE_KINDS = {
    PaymentStatus.DISPUTED.value: "disputed",
    PaymentStatus.DISPUTE_WON.value: "dispute_won",
    PaymentStatus.DISPUTE_LOST.value: "dispute_lost",
}
REASON_MAX = 500
# Posted by the access sweep (models.orders.access) when a timed access lapses.
ACCESS_ENDED = "access_ended"


def feed_kind(
    order: Order,
    status: OrderStatus,
    before: OrderStatus | None,
    created: bool,
    *,
    fact: str | None = None,
    refund_grew: bool = False,
) -> str | None:
    """The feed entry an event posts, or None when it tells the feed nothing new."""
    changed = created or status != before
    if created and status is OrderStatus.PENDING and order.source is OrderSource.DISCORD:
        # A wallet purchase is paid in the same transaction: its "completed" entry follows.
        # A card or QRIS checkout waits for the buyer to pay at the provider.
        return None if order.payment_method is PaymentMethod.WALLET else "pending"
    if fact in DISPUTE_KINDS:
        return DISPUTE_KINDS[fact]
    if before is OrderStatus.DISPUTED and status in ENTITLED:
        return "dispute_won"
    if fact in REFUND_FACTS and (changed or refund_grew):
        return "refunded" if status is OrderStatus.REFUNDED else "partially_refunded"
    return FEED_KIND[status] if changed else None


@dataclass(frozen=True)
class FeedEntry:
    """One order event for the orders-channel feed: plain values, never a code."""

    order_id: int
    number: str
    kind: str
    status: OrderStatus
    source: OrderSource
    product_name: str
    quantity: int
    amount: int
    currency: str
    discord_id: int | None
    email: str | None
    cause: str
    at: datetime
    payment_method: PaymentMethod = PaymentMethod.EXTERNAL
    # This event's refund and the amount refunded in all once it happened (minor units).
    refund: int = 0
    refunded_total: int = 0
    # What the admin wrote when refunding or cancelling ("" when nothing).
    reason: str = ""
    # Timed access: when the order's access ends, and whether it extended one still running.
    access_until: datetime | None = None
    renewal: bool = False
    # The coupon the order was sold under ("" when none) and what it took off.
    coupon: str = ""
    discount: int = 0


@dataclass(frozen=True)
class TopUpFeedEntry:
    """A top-up credited, or part of it taken or given back, for the feed."""

    topup_id: int
    kind: str
    discord_id: int
    topup_amount: int
    currency: str
    # What this entry moved in the wallet (+ credited / given back, - taken back).
    change: int
    # How much of the top-up is taken back once this entry was booked.
    clawed: int
    balance: int
    at: datetime


def _refunded_by(details: list[dict[str, Any]], amount: int) -> int:
    return OrderFacts.from_details(details).refunded_total(amount)


async def feed_entry(order_id: int, order_event_id: int | None, kind: str) -> FeedEntry | None:
    """What the feed embed of one order event shows; None when the order is gone."""
    # One joined read of the order (not a get and two prefetches) and one of its events up to
    # this one: every order posts two entries, and each statement is mostly query building.
    order = await Order.filter(id=order_id).select_related("product", "customer").first()
    if order is None:
        return None
    event = None
    refund = refunded_total = 0
    history: list[OrderEvent] = []
    event_id = int(order_event_id) if order_event_id is not None else None
    if event_id is not None:
        history = list(await OrderEvent.filter(order_id=order_id, id__lte=event_id).order_by("id"))
    if history and history[-1].id == event_id:
        event = history[-1]
        details = [earlier.detail for earlier in history]
        refunded_total = _refunded_by(details, order.amount)
        refund = refunded_total - _refunded_by(details[:-1], order.amount)
    product = order.product
    detail = event.detail if event is not None and isinstance(event.detail, dict) else {}
    at = event.created_at if event is not None else order.updated_at
    if kind == ACCESS_ENDED and order.access_until is not None:
        at = order.access_until
    applied = applied_coupon(order.details)
    return FeedEntry(
        order_id=order.id,
        number=order.number,
        kind=kind,
        status=OrderStatus(event.to_status if event is not None else order.status),
        source=OrderSource(order.source),
        product_name=order.product_name or (product.name if product is not None else "Order"),
        quantity=order.quantity,
        amount=order.amount,
        currency=order.currency,
        discord_id=order.customer.discord_id if order.customer is not None else None,
        email=order.email,
        cause=event.cause if event is not None else "",
        at=at,
        payment_method=PaymentMethod(order.payment_method),
        refund=refund,
        refunded_total=refunded_total,
        reason=str(detail.get("note") or "")[:REASON_MAX],
        access_until=order.access_until,
        renewal=is_renewal(order),
        coupon=applied.code if applied else "",
        discount=applied.discount if applied else 0,
    )


async def topup_feed_entry(payload: dict[str, Any]) -> TopUpFeedEntry | None:
    """What the feed embed of a top-up event shows; None when the top-up is gone."""
    topup = await TopUp.get_or_none(id=int(payload["topup_id"]))
    entry = await WalletTransaction.get_or_none(id=int(payload["entry_id"]))
    if topup is None or entry is None:
        return None
    customer = await Customer.get(id=topup.customer_id)  # type: ignore[attr-defined]
    taken = await WalletTransaction.filter(
        kind=WalletKind.CLAWBACK, reference__startswith=f"topup:{topup.id}:", id__lte=entry.id
    ).values_list("amount", flat=True)
    return TopUpFeedEntry(
        topup_id=topup.id,
        kind=str(payload["kind"]),
        discord_id=customer.discord_id,
        topup_amount=topup.amount,
        currency=topup.currency,
        change=entry.amount,
        clawed=-sum(taken),
        balance=entry.balance_after,
        at=entry.created_at,
    )
