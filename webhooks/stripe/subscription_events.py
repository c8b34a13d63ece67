"""Stripe subscription events read into SubscriptionFacts (models.subscriptions.state).

Shapes are Stripe's own (API 2025+ and the older ones): an invoice names its subscription
under parent.subscription_details (older: invoice.subscription, or its line's subscription),
the paid period under lines.data[0].period.end; a subscription object carries its period end
on items.data[0] (older: current_period_end). The shop's order id travels in the
subscription's metadata (set through subscription_data.metadata at checkout), which Stripe
copies to parent.subscription_details.metadata and to the subscription's invoice lines.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.subscriptions.state import SubscriptionFact
from webhooks.errors import EventIgnored, MalformedBody
from webhooks.intake import optional_int, optional_object, optional_text, required_text

INVOICE_EVENTS = {"invoice.paid": "invoice_paid", "invoice.payment_failed": "invoice_failed"}
SUBSCRIPTION_EVENTS = {
    "customer.subscription.created": "object",
    "customer.subscription.updated": "object",
    "customer.subscription.deleted": "deleted",
}
# The last second of 9999, as in receive.py.
_LATEST = 253_402_300_799


def id_of(value: Any, where: str) -> str | None:
    """An expandable Stripe field: an id string, an expanded object with an id, or null."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    raise MalformedBody(f"{where} must be an id or an object with an id")


def our_order_id(value: Any) -> int | None:
    """An order id the shop could have made (ASCII digits, signed 64-bit), else None."""
    if not isinstance(value, str) or not value or len(value) > 18:
        return None
    return int(value) if value.isascii() and value.isdigit() else None


def _moment(data: dict[str, Any], key: str, where: str) -> datetime | None:
    value = optional_int(data, key, where)
    if value is None:
        return None
    if not 0 < value <= _LATEST:
        raise MalformedBody(f"{where}.{key} must be a unix timestamp")
    return datetime.fromtimestamp(value, UTC)


def _first_line(invoice: dict[str, Any]) -> dict[str, Any]:
    lines = optional_object(invoice, "lines", "data.object")
    data = lines.get("data") or []
    if not isinstance(data, list):
        raise MalformedBody("data.object.lines.data must be a list")
    if data and not isinstance(data[0], dict):
        raise MalformedBody("data.object.lines.data[0] must be an object")
    return data[0] if data else {}


def invoice_fact(
    event_id: str, event_type: str, invoice: dict[str, Any], occurred: datetime
) -> SubscriptionFact:
    invoice_id = required_text(invoice, "id", "data.object")
    parent = optional_object(invoice, "parent", "data.object")
    details = optional_object(parent, "subscription_details", "data.object.parent")
    line = _first_line(invoice)
    item = optional_object(
        optional_object(line, "parent", "lines.data[0]"), "subscription_item_details", "parent"
    )
    subscription = (
        id_of(details.get("subscription"), "parent.subscription_details.subscription")
        or id_of(invoice.get("subscription"), "data.object.subscription")
        or id_of(line.get("subscription"), "lines.data[0].subscription")
        or id_of(item.get("subscription"), "subscription_item_details.subscription")
    )
    if subscription is None:
        raise EventIgnored(f"invoice {invoice_id} belongs to no subscription")
    metadata = optional_object(details, "metadata", "parent.subscription_details")
    line_metadata = optional_object(line, "metadata", "lines.data[0]")
    period = optional_object(line, "period", "lines.data[0]")
    period_end = _moment(period, "end", "lines.data[0].period") or _moment(
        invoice, "period_end", "data.object"
    )
    if event_type == "invoice.paid" and period_end is None:
        raise MalformedBody("a paid invoice needs lines.data[0].period.end")
    return SubscriptionFact(
        kind=INVOICE_EVENTS[event_type],
        subscription_id=subscription,
        event_id=event_id,
        occurred_at=occurred,
        order_id=our_order_id(metadata.get("order_id"))
        or our_order_id(line_metadata.get("order_id")),
        stripe_customer_id=id_of(invoice.get("customer"), "data.object.customer"),
        invoice_id=invoice_id,
        period_end=period_end,
        billing_reason=optional_text(invoice, "billing_reason", "data.object"),
        amount=optional_int(invoice, "amount_paid", "data.object"),
        currency=(optional_text(invoice, "currency", "data.object") or "").upper() or None,
    )


def subscription_fact(
    event_id: str, event_type: str, subscription: dict[str, Any], occurred: datetime
) -> SubscriptionFact:
    subscription_id = required_text(subscription, "id", "data.object")
    metadata = optional_object(subscription, "metadata", "data.object")
    items = optional_object(subscription, "items", "data.object").get("data") or []
    if not isinstance(items, list) or (items and not isinstance(items[0], dict)):
        raise MalformedBody("data.object.items.data must be a list of objects")
    period_end = _moment(subscription, "current_period_end", "data.object")
    if period_end is None and items:
        period_end = _moment(items[0], "current_period_end", "items.data[0]")
    cancel = subscription.get("cancel_at_period_end")
    if cancel is not None and not isinstance(cancel, bool):
        raise MalformedBody("data.object.cancel_at_period_end must be true or false")
    kind = SUBSCRIPTION_EVENTS[event_type]
    ended = _moment(subscription, "ended_at", "data.object") if kind == "deleted" else None
    return SubscriptionFact(
        kind=kind,
        subscription_id=subscription_id,
        event_id=event_id,
        # A deletion counts from when the subscription ended, when Stripe says.
        occurred_at=ended or occurred,
        order_id=our_order_id(metadata.get("order_id")),
        stripe_customer_id=id_of(subscription.get("customer"), "data.object.customer"),
        status=optional_text(subscription, "status", "data.object") or "",
        cancel_at_period_end=bool(cancel),
        cancel_at=_moment(subscription, "cancel_at", "data.object") if kind == "object" else None,
        period_end=period_end,
    )


def started_fact(
    event_id: str, session: dict[str, Any], order_id: int, occurred: datetime
) -> SubscriptionFact | None:
    """A subscription-mode checkout completed: the subscription starts for this order."""
    subscription = id_of(session.get("subscription"), "data.object.subscription")
    if subscription is None:
        return None
    metadata = optional_object(session, "metadata", "data.object")
    interval = metadata.get("interval")
    return SubscriptionFact(
        kind="started",
        subscription_id=subscription,
        event_id=event_id,
        occurred_at=occurred,
        order_id=order_id,
        stripe_customer_id=id_of(session.get("customer"), "data.object.customer"),
        interval=interval if interval in ("month", "year") else None,
    )
