"""Subscriptions in /admin botstats and /admin export subscriptions: renewals and lapses.

Read from each subscription's facts (models.subscriptions.state), the one record of every
invoice paid or failed and of the end, so the numbers agree with what the shop acted on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from models.subscriptions.tables import Subscription

EXPORT_COLUMNS = (
    "at", "event", "order_number", "subscription", "customer_discord_id", "product",
    "invoice", "amount", "currency", "period_end", "status_now",
)  # fmt: skip
EVENTS = ("first_payment", "renewal", "payment_failed", "ended")
MAX_ROWS = 100_000


@dataclass(frozen=True)
class SubscriptionStats:
    by_status: dict[str, int]
    renewals: int
    # Collected by renewals per currency (minor units); the first payment is the order's.
    renewal_revenue: dict[str, int]
    ended: int

    @property
    def any(self) -> bool:
        return bool(sum(self.by_status.values()))


async def subscription_stats() -> SubscriptionStats:
    by_status: dict[str, int] = {}
    revenue: dict[str, int] = {}
    renewals = ended = 0
    for facts, status in await Subscription.all().values_list("facts", "status"):
        by_status[status] = by_status.get(status, 0) + 1
        ended += status == "canceled"
        for paid in _renewal_invoices(facts):
            renewals += 1
            currency = paid.get("currency") or "USD"
            revenue[currency] = revenue.get(currency, 0) + int(paid.get("amount") or 0)
    return SubscriptionStats(by_status, renewals, revenue, ended)


def _renewal_invoices(facts: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in (facts.get("paid") or {}).values() if p["reason"] != "subscription_create"]


def _iso(ts: int | None) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat() if ts else ""


def _events(row: Subscription) -> list[tuple[int, str, str, dict[str, Any]]]:
    """(time, event, invoice, paid fact) of every payment, failure and the end."""
    facts = row.facts or {}
    found = []
    for invoice, paid in (facts.get("paid") or {}).items():
        kind = "first_payment" if paid["reason"] == "subscription_create" else "renewal"
        found.append((paid["at"], kind, invoice, paid))
    for invoice, at in (facts.get("failed") or {}).items():
        found.append((at, "payment_failed", invoice, {}))
    if facts.get("deleted_at"):
        found.append((facts["deleted_at"], "ended", "", {}))
    return found


async def export_rows(
    since: datetime | None, until: datetime | None, event: str | None
) -> list[list[object]]:
    """One row per subscription event within [since, until), oldest first."""
    rows = await Subscription.all().order_by("id").prefetch_related("order", "customer")
    out: list[tuple[int, list[object]]] = []
    low = int(since.timestamp()) if since else None
    high = int(until.timestamp()) if until else None
    for row in rows:
        for at, kind, invoice, paid in _events(row):
            if (event and kind != event) or (low is not None and at < low):
                continue
            if high is not None and at >= high:
                continue
            out.append((at, [
                _iso(at), kind, row.order.number, row.stripe_id,
                row.customer.discord_id if row.customer else "", row.order.product_name,
                invoice, paid.get("amount", ""), paid.get("currency", ""),
                _iso(paid.get("period_end")), row.status,
            ]))  # fmt: skip
    out.sort(key=lambda item: item[0])
    return [cells for _, cells in out[:MAX_ROWS]]
