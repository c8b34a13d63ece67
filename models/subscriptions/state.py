"""A subscription's state as a pure function of the set of facts Stripe reported about it.

Each fact is merged into `facts` (a JSON object) with commutative, idempotent rules, so any
order of the same events, duplicates included, gives the same facts and the same state:

- ``started``: the earliest checkout completion (unix time), with the product's interval;
- ``paid``: invoice id -> {period_end, at, reason, amount, currency}: every paid invoice;
- ``failed``: invoice id -> the earliest failure time of that invoice;
- ``object``: the subscription object from the latest event (by event time, then event id);
- ``deleted_at``: the earliest deletion seen. Deleted is terminal.

From the facts: access runs to the period end of the paid invoices, plus RENEWAL_ALLOWANCE
while the subscription renews (Stripe charges the renewal about an hour after the period
ends, so the role must not lapse in between); a failure newer than the last payment keeps
it to max(period end, failure + grace); cancel at period end ends it with the paid period
(cancel_at, at that time if sooner); deleted ends access at the deletion time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

INTERVAL_DAYS = {"month": 31, "year": 366}
# How long past the paid period a renewing subscription keeps its role, waiting for
# Stripe's renewal invoice (finalised and charged about an hour after the period ends).
RENEWAL_ALLOWANCE = timedelta(days=1)
ENDED_STATUSES = ("canceled", "incomplete_expired")


@dataclass(frozen=True)
class SubscriptionFact:
    """One thing Stripe said about a subscription (an Outcome of the Stripe processor)."""

    kind: str  # started | invoice_paid | invoice_failed | object | deleted
    subscription_id: str
    event_id: str
    occurred_at: datetime
    order_id: int | None = None
    stripe_customer_id: str | None = None
    invoice_id: str | None = None
    period_end: datetime | None = None
    billing_reason: str | None = None
    status: str | None = None
    cancel_at_period_end: bool | None = None
    # A subscription set to end at a given time (the newer form of cancel at period end).
    cancel_at: datetime | None = None
    interval: str | None = None
    # What a paid invoice collected (minor units) and in which currency (upper case).
    amount: int | None = None
    currency: str | None = None


@dataclass(frozen=True)
class State:
    status: str
    access_until: datetime
    current_period_end: datetime | None
    cancel_at_period_end: bool
    grace_until: datetime | None
    renewals: int
    # Invoices whose failure is outstanding (newer than the last payment, never paid).
    failing: tuple[str, ...]


def _ts(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def _dt(ts: int | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def _min(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def merge(facts: dict[str, Any], fact: SubscriptionFact) -> dict[str, Any]:
    """The facts with `fact` added; merging the same fact twice changes nothing."""
    out = {
        "started": dict(facts.get("started") or {}),
        "paid": dict(facts.get("paid") or {}),
        "failed": dict(facts.get("failed") or {}),
        "object": facts.get("object"),
        "deleted_at": facts.get("deleted_at"),
    }
    at = _ts(fact.occurred_at)
    if fact.kind == "started":
        started = out["started"]
        started["at"] = _min(started.get("at"), at)
        if fact.interval:
            started["interval"] = fact.interval
    elif fact.kind == "invoice_paid" and fact.invoice_id:
        seen = out["paid"].get(fact.invoice_id) or {}
        out["paid"][fact.invoice_id] = {
            "period_end": max(seen.get("period_end") or 0, _ts(fact.period_end) or 0),
            "at": _min(seen.get("at"), at),
            "reason": seen.get("reason") or fact.billing_reason or "",
            "amount": max(seen.get("amount") or 0, fact.amount or 0),
            "currency": seen.get("currency") or fact.currency or "",
        }
    elif fact.kind == "invoice_failed" and fact.invoice_id:
        out["failed"][fact.invoice_id] = _min(out["failed"].get(fact.invoice_id), at)
    elif fact.kind in ("object", "deleted"):
        candidate = {
            "at": at,
            "event": fact.event_id,
            "status": fact.status or "",
            "cancel_at_period_end": bool(fact.cancel_at_period_end),
            "cancel_at": _ts(fact.cancel_at),
            "period_end": _ts(fact.period_end),
        }
        current = out["object"]
        if current is None or (candidate["at"], candidate["event"]) > (
            current["at"],
            current["event"],
        ):
            out["object"] = candidate
        if fact.kind == "deleted":
            out["deleted_at"] = _min(out["deleted_at"], at)
    return out


def derive(facts: dict[str, Any], grace: timedelta) -> State:
    """The state the facts add up to (see the module docstring)."""
    paid: dict[str, dict[str, Any]] = facts.get("paid") or {}
    failed: dict[str, int] = facts.get("failed") or {}
    started = facts.get("started") or {}
    obj = facts.get("object")
    paid_end = max((p["period_end"] for p in paid.values() if p["period_end"]), default=None)
    last_paid_at = max((p["at"] for p in paid.values() if p["at"] is not None), default=None)
    failing = sorted(
        invoice
        for invoice, at in failed.items()
        if invoice not in paid and (last_paid_at is None or at > last_paid_at)
    )
    base = paid_end
    if base is None and started.get("at") is not None:
        # Paid at checkout, its invoice not seen yet: one interval from the start.
        days = INTERVAL_DAYS.get(started.get("interval") or "month", 31)
        base = started["at"] + days * 86400
    if base is None and obj is not None:
        base = obj["period_end"]
    period_end = paid_end or (obj["period_end"] if obj else None) or base
    cancel_at = obj.get("cancel_at") if obj else None
    cancel = bool(obj and (obj["cancel_at_period_end"] or cancel_at))
    # Renewals: paid invoices after the first (Stripe's billing_reason subscription_create).
    renewals = sum(1 for p in paid.values() if p["reason"] != "subscription_create")
    deleted_at = facts.get("deleted_at")
    if obj is not None and obj["status"] in ENDED_STATUSES:
        deleted_at = _min(deleted_at, obj["at"])
    common = {
        "current_period_end": _dt(period_end),
        "cancel_at_period_end": cancel,
        "renewals": renewals,
        "failing": tuple(failing),
    }
    if deleted_at is not None:
        return State("canceled", _at(deleted_at), grace_until=None, **common)
    if failing:
        grace_until = min(failed[i] for i in failing) + int(grace.total_seconds())
        until = max(base or 0, grace_until)
        return State("past_due", _at(until), grace_until=_dt(grace_until), **common)
    status = "active" if paid or started else "incomplete"
    if base is None:
        until = _earliest(facts)
    else:
        until = base if cancel else base + int(RENEWAL_ALLOWANCE.total_seconds())
        if cancel_at:
            until = min(until, cancel_at)
    return State(status, _at(until), grace_until=None, **common)


def _at(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _earliest(facts: dict[str, Any]) -> int:
    """The earliest time any fact names: access for a subscription nothing was paid for."""
    times = [p["at"] for p in (facts.get("paid") or {}).values()]
    times += list((facts.get("failed") or {}).values())
    if facts.get("object"):
        times.append(facts["object"]["at"])
    return min((t for t in times if t is not None), default=0)
