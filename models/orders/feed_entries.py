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
from models.outbox.raw_sql import marks, rows

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


@dataclass(frozen=True)
class FeedRequest:
    """The order event a post_feed job is about (its payload's order_id, order_event_id, kind)."""

    order_id: int
    order_event_id: int | None
    kind: str


# The orders of a feed round with their product's name and buyer in one joined statement, raw:
# every order posts two entries, and the ORM's query building (a get and two prefetches per
# entry) cost more than the database. Each order's events come in one more query.
_ORDERS_SQL = (
    'SELECT o.*, p."name" AS "feed_product_title", c."discord_id" AS "feed_buyer_id"'
    ' FROM "order" o LEFT JOIN "product" p ON p."id" = o."product_id"'
    ' LEFT JOIN "customer" c ON c."id" = o."customer_id" WHERE o."id" IN ({marks})'
)


# The events of a round's orders, raw and only the columns an entry shows: the ORM built an
# OrderEvent (two timestamps parsed) for every event of every order in the round.
_EVENTS_SQL = (
    'SELECT "id", "order_id", "to_status", "cause", "detail", "created_at" FROM "order_event"'
    ' WHERE "order_id" IN ({marks}) AND "id" <= ? ORDER BY "id"'
)
_EVENT_FIELDS = OrderEvent._meta.fields_map


@dataclass(frozen=True)
class FeedEvent:
    """What a feed entry reads of one order event; `created_at` parsed only when shown."""

    id: int
    order_id: int
    to_status: OrderStatus
    cause: str
    detail: Any
    stored_created_at: Any

    @property
    def created_at(self) -> datetime:
        return _EVENT_FIELDS["created_at"].to_python_value(self.stored_created_at)


async def feed_events(order_ids: list[int], upto_id: int) -> list[FeedEvent]:
    """The events of these orders up to event `upto_id`, oldest first."""
    found = await rows(_EVENTS_SQL.format(marks=marks(len(order_ids))), [*order_ids, upto_id])
    to_detail = _EVENT_FIELDS["detail"].to_python_value
    return [
        FeedEvent(
            id=row["id"],
            order_id=row["order_id"],
            to_status=OrderStatus(row["to_status"]),
            cause=row["cause"],
            detail=to_detail(row["detail"]),
            stored_created_at=row["created_at"],
        )
        for row in found
    ]


async def feed_entry(order_id: int, order_event_id: int | None, kind: str) -> FeedEntry | None:
    """What the feed embed of one order event shows; None when the order is gone."""
    event_id = int(order_event_id) if order_event_id is not None else None
    (entry,) = await feed_entries([FeedRequest(int(order_id), event_id, kind)])
    return entry


async def feed_entries(requests: list[FeedRequest]) -> list[FeedEntry | None]:
    """feed_entry for each request, in their order, in two statements for all of them."""
    if not requests:
        return []
    order_ids = sorted({request.order_id for request in requests})
    orders: dict[int, tuple[Order, str | None, int | None]] = {}
    for row in await rows(_ORDERS_SQL.format(marks=marks(len(order_ids))), order_ids):
        title, buyer = row.pop("feed_product_title"), row.pop("feed_buyer_id")
        order = Order._init_from_db(**row)
        orders[order.id] = (order, title, buyer)
    event_ids = [r.order_event_id for r in requests if r.order_event_id is not None]
    history: dict[int, list[FeedEvent]] = {}
    if event_ids and orders:
        for event in await feed_events(list(orders), max(event_ids)):
            history.setdefault(event.order_id, []).append(event)
    return [
        _entry(*orders[r.order_id], history.get(r.order_id, []), r)
        if r.order_id in orders
        else None
        for r in requests
    ]


def _entry(
    order: Order,
    product_title: str | None,
    buyer_id: int | None,
    events: list[FeedEvent],
    request: FeedRequest,
) -> FeedEntry:
    kind, event_id = request.kind, request.order_event_id
    upto = [event for event in events if event_id is not None and event.id <= event_id]
    event = upto[-1] if upto and upto[-1].id == event_id else None
    refund = refunded_total = 0
    if event is not None:
        details = [earlier.detail for earlier in upto]
        refunded_total = _refunded_by(details, order.amount)
        refund = refunded_total - _refunded_by(details[:-1], order.amount)
    detail = event.detail if event is not None and isinstance(event.detail, dict) else {}
    at = event.created_at if event is not None else order.updated_at
    if kind == ACCESS_ENDED and order.access_until is not None:
        at = order.access_until
    applied = applied_coupon(order.details)
    title = product_title if product_title is not None else "Order"
    return FeedEntry(
        order_id=order.id,
        number=order.number,
        kind=kind,
        status=OrderStatus(event.to_status if event is not None else order.status),
        source=OrderSource(order.source),
        product_name=order.product_name or title,
        quantity=order.quantity,
        amount=order.amount,
        currency=order.currency,
        discord_id=buyer_id,
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
