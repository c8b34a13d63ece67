"""CSV exports of orders, the wallet ledger and stock (counts and fingerprints, never codes)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from models import clock
from models.base import OrderStatus, StockStatus, WalletKind
from models.coupons.rules import applied_coupon
from models.customers.tables import WalletTransaction
from models.errors import InvalidInput
from models.orders.facts import ENTITLED
from models.orders.tables import Order
from models.orders.timed_access import is_renewal
from models.stock.tables import StockItem
from models.subscriptions import reports as subscription_reports

KINDS = ("orders", "ledger", "stock", "subscriptions")
MAX_ROWS = 100_000
ORDER_COLUMNS = (
    "number", "created_at", "status", "source", "payment_method", "customer_discord_id",
    "product", "quantity", "amount", "currency", "refunded_amount", "paid_at", "delivered_at",
    "access_until", "access", "access_state",
    "coupon", "discount",
)  # fmt: skip
LEDGER_COLUMNS = (
    "id", "created_at", "customer_discord_id", "kind", "amount", "currency", "balance_after",
    "reference", "note", "actor_id",
)  # fmt: skip
STOCK_COLUMNS = ("product", "status", "fingerprint", "order_number", "created_at")


@dataclass(frozen=True)
class ExportFilter:
    since: datetime | None = None
    until: datetime | None = None
    status: str | None = None


def parse_day(text: str | None, what: str) -> datetime | None:
    """A YYYY-MM-DD day as midnight UTC, or a clear refusal."""
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput(f"`{what}` must be a day written YYYY-MM-DD, e.g. 2026-12-01.") from None


def export_filter(since: str | None, until: str | None, status: str | None) -> ExportFilter:
    """`until` is inclusive: the whole of that day is exported."""
    end = parse_day(until, "until")
    return ExportFilter(parse_day(since, "since"), end + timedelta(days=1) if end else None, status)


def _enum(kind: type[StrEnum], value: str, what: str) -> StrEnum:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidInput(f"Unknown {what} {value!r}: use {allowed}.") from None


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _window(query, where: ExportFilter):  # type: ignore[no-untyped-def]
    if where.since and where.until and where.since >= where.until:
        raise InvalidInput("The start of the date range must be before its end.")
    if where.since:
        query = query.filter(created_at__gte=where.since)
    if where.until:
        query = query.filter(created_at__lt=where.until)
    return query


def _access_kind(order: Order) -> str:
    """Timed orders: "renewal" (extended a running access) or "new"; "" for access for ever."""
    if order.access_until is None:
        return ""
    return "renewal" if is_renewal(order) else "new"


def _access_state(order: Order, now: datetime) -> str:
    """Timed orders: "active" while the access runs, "ended" once it has (or was taken back)."""
    if order.access_until is None:
        return ""
    return "active" if order.status in ENTITLED and order.access_until > now else "ended"


async def _order_rows(where: ExportFilter) -> list[list[object]]:
    now = clock.now()
    query = _window(Order.all(), where)
    if where.status:
        query = query.filter(status=_enum(OrderStatus, where.status, "order status"))
    orders = await query.order_by("created_at", "id").limit(MAX_ROWS).prefetch_related("customer")
    return [
        [
            o.number,
            _iso(o.created_at),
            o.status.value,
            o.source.value,
            o.payment_method.value,
            o.customer.discord_id if o.customer else "",
            o.product_name,
            o.quantity,
            o.amount,
            o.currency,
            o.refunded_amount,
            _iso(o.paid_at),
            _iso(o.delivered_at),
            _iso(o.access_until),
            _access_kind(o),
            _access_state(o, now),
            *_coupon_cells(o),
        ]
        for o in orders
    ]


def _coupon_cells(order: Order) -> list[object]:
    """The coupon code and what it took off (minor units), or two empty cells."""
    applied = applied_coupon(order.details)
    return [applied.code, applied.discount] if applied else ["", ""]


async def _ledger_rows(where: ExportFilter) -> list[list[object]]:
    query = _window(WalletTransaction.all(), where)
    if where.status:
        query = query.filter(kind=_enum(WalletKind, where.status, "ledger kind"))
    rows = await query.order_by("created_at", "id").limit(MAX_ROWS).prefetch_related("customer")
    return [
        [
            t.id,
            _iso(t.created_at),
            t.customer.discord_id,
            t.kind.value,
            t.amount,
            t.currency,
            t.balance_after,
            t.reference,
            t.note,
            t.actor_id or "",
        ]
        for t in rows
    ]


async def _stock_rows(where: ExportFilter) -> list[list[object]]:
    query = _window(StockItem.all(), where)
    if where.status:
        query = query.filter(status=_enum(StockStatus, where.status, "stock status"))
    items = (
        await query.order_by("product_id", "id")
        .limit(MAX_ROWS)
        .prefetch_related("product", "order")
    )
    return [
        [
            i.product.key,
            i.status.value,
            i.fingerprint,
            i.order.number if i.order else "",
            _iso(i.created_at),
        ]
        for i in items
    ]


async def _subscription_rows(where: ExportFilter) -> list[list[object]]:
    """Renewals, failed payments and endings (models.subscriptions.reports)."""
    if where.since and where.until and where.since >= where.until:
        raise InvalidInput("The start of the date range must be before its end.")
    if where.status and where.status not in subscription_reports.EVENTS:
        allowed = ", ".join(subscription_reports.EVENTS)
        raise InvalidInput(f"Unknown subscription event {where.status!r}: use {allowed}.")
    return await subscription_reports.export_rows(where.since, where.until, where.status)


async def export_csv(kind: str, where: ExportFilter) -> tuple[str, int]:
    """(CSV text with a header row, number of data rows) of one export kind."""
    builders = {
        "orders": (ORDER_COLUMNS, _order_rows),
        "ledger": (LEDGER_COLUMNS, _ledger_rows),
        "stock": (STOCK_COLUMNS, _stock_rows),
        "subscriptions": (subscription_reports.EXPORT_COLUMNS, _subscription_rows),
    }
    if kind not in builders:
        raise InvalidInput(f"Unknown export {kind!r}: use {', '.join(KINDS)}.")
    columns, build = builders[kind]
    rows = await build(where)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue(), len(rows)
