"""Timed access: an order of a product with duration_days grants its role until access_until.

When such an order first entitles (paid by any method: wallet, Stripe, QRIS, a webhook, the
order API, Ecwid), settle() (models.orders.effects) asks `access_updates` for its end:

    access_until = max(now, the latest access_until among the same buyer's other entitled
                       orders of the same product) + duration_days * quantity

so buying again extends from the later of now and the current expiry, and a package of N is
N periods. It is set once (an order with an access_until keeps it under replays) in the
paid transition's transaction; the buyer's row is locked first on PostgreSQL, so two
purchases paid at once still add up. The order's details remember how it started
(``details["access"]``: renewal or new, and the end it extended from) for the feed, stats
and exports.

An order that already entitled when its product was given a duration (config.toml edited
later) keeps its role for ever: a later event (a partial refund, a retry) does not start a
timer on it. An order paid before its buyer is known starts from its payment; when the
buyer (or the product) is learnt later, the access starts then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from models import clock
from models.catalog.tables import Product
from models.customers.tables import Customer
from models.orders.facts import ENTITLED
from models.orders.tables import Order

ACCESS = "access"  # the key in Order.details


@dataclass(frozen=True)
class AccessStart:
    """How one timed order's access began: from when, until when, and whether it renewed."""

    starts: datetime
    until: datetime
    renewal: bool

    def detail(self) -> dict[str, Any]:
        return {"renewal": self.renewal, "from": self.starts.isoformat()}


def timed_days(product: Product | None) -> int | None:
    """The product's duration in days, or None for access for ever."""
    if product is None or not product.duration_days:
        return None
    return int(product.duration_days)


def is_renewal(order: Order) -> bool:
    """The order extended an access still running when it was paid."""
    info = (order.details or {}).get(ACCESS)
    return isinstance(info, dict) and bool(info.get("renewal"))


async def latest_access_end(
    customer_id: int, product_id: int, conn: BaseDBAsyncClient, *, excluding_order_id: int
) -> datetime | None:
    """The latest access_until of the buyer's other entitled orders of the product."""
    latest = (
        await Order.filter(
            customer_id=customer_id,
            product_id=product_id,
            status__in=tuple(ENTITLED),
            access_until__isnull=False,
        )
        .exclude(id=excluding_order_id)
        .order_by("-access_until")
        .using_db(conn)
        .first()
    )
    return latest.access_until if latest is not None else None


def access_start(
    now: datetime, current_end: datetime | None, days: int, quantity: int
) -> AccessStart:
    """The rule itself: from the later of now and the current end, days * quantity on."""
    renewal = current_end is not None and current_end > now
    starts = current_end if renewal and current_end is not None else now
    return AccessStart(starts, starts + timedelta(days=days * max(quantity, 1)), renewal)


async def access_updates(
    order: Order,
    product: Product | None,
    customer: Customer | None,
    *,
    starts: bool,
    conn: BaseDBAsyncClient,
) -> dict[str, Any]:
    """The order's access_until and details when it `starts` to entitle (settle() decides:
    not entitled before this event, or its buyer or product learnt only now); else {}."""
    days = timed_days(product)
    if days is None or not starts or order.access_until is not None:
        return {}
    assert product is not None
    current_end = None
    if customer is not None:
        # Serialises this buyer's timed purchases (PostgreSQL): the second sees the first's end.
        await Customer.filter(id=customer.id).select_for_update().using_db(conn).first()
        current_end = await latest_access_end(
            customer.id, product.id, conn, excluding_order_id=order.id
        )
    start = access_start(clock.now(), current_end, days, order.quantity)
    details = dict(order.details or {})
    details[ACCESS] = start.detail()
    return {"access_until": start.until, "details": details}
