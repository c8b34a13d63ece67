"""An external order's creation fields (product, quantity, amount, ...), also when learnt late.

SPEC §6 lets only the first event of a generic order carry them, so a shuffled delivery can
create the order from a bare event. The fields that event lacked are listed in
``details["missing"]`` and taken from the first later event that carries them (first value
wins), so the order ends the same whatever order its events arrive in.

A first event may also say the shop cannot fulfil the order as it stands, in
``details["unfulfillable"]`` (e.g. an Ecwid cart line whose SKU maps to no product): the order
is created flagged for attention with that reason, and the admins are told once. Learning the
product from a later event lifts the flag, since then the order is fulfilled like any other.
"""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from models.catalog.tables import Product
from models.errors import NotFound
from models.orders.order_sql import product_and_package, product_by_id, update_order
from models.orders.payment_event import PaymentEvent
from models.orders.tables import Order
from models.outbox.actions import queue_admin_alert

FIELDS = ("product_key", "quantity", "amount", "currency", "product_name")
MISSING = "missing"
UNFULFILLABLE = "unfulfillable"


def given_fields(event: PaymentEvent) -> dict[str, Any]:
    """The creation fields this event carries."""
    return {name: getattr(event, name) for name in FIELDS if getattr(event, name) not in (None, "")}


async def order_columns(given: dict[str, Any], conn: BaseDBAsyncClient) -> dict[str, Any]:
    """The order's product, package, name, quantity, amount and currency from the given fields;
    what is not given is derived from the catalog (package or unit price) or defaulted."""
    return (await columns_and_product(given, conn))[0]


async def columns_and_product(
    given: dict[str, Any], conn: BaseDBAsyncClient
) -> tuple[dict[str, Any], Product | None]:
    """order_columns, and the product row it read (None without a product key)."""
    product = package = None
    quantity = given.get("quantity") or 1
    key = given.get("product_key")
    if key:
        # One raw read of the product and its package (models.orders.order_sql).
        product, package = await product_and_package(key, quantity, conn)
        if product is None:
            raise NotFound(f"There is no product with the key {key!r}.")
    if given.get("amount") is not None:
        amount = given["amount"]
    elif package is not None:
        amount = package[1]
    else:
        amount = product.price * quantity if product else 0
    columns = {
        "product_id": product.id if product else None,
        "package_id": package[0] if package else None,
        "product_name": (given.get("product_name") or (product.name if product else ""))[:255],
        "quantity": quantity,
        "amount": amount,
        "currency": (given.get("currency") or (product.currency if product else "USD")).upper(),
    }
    return columns, product


def missing_fields(given: dict[str, Any]) -> list[str]:
    return [name for name in FIELDS if name not in given]


async def fill_missing(order: Order, event: PaymentEvent, conn: BaseDBAsyncClient) -> bool:
    """Takes the creation fields the order still lacks from `event`; True when it learnt the
    product (so the product's role has not been granted yet)."""
    missing = order.details.get(MISSING) or []
    learnt = {k: v for k, v in given_fields(event).items() if k in missing}
    if not learnt:
        return False
    known = await _known_fields(order, missing, conn)
    updates = await order_columns({**known, **learnt}, conn)
    details = dict(order.details)
    left = [name for name in missing if name not in learnt]
    if left:
        details[MISSING] = left
    else:
        details.pop(MISSING)
    if "product_key" in learnt and _flagged_unfulfillable(order):
        details.pop(UNFULFILLABLE)
        updates.update(needs_attention=False, attention_reason="")
    updates["details"] = details
    await update_order(order.id, updates, conn)
    for name, value in updates.items():
        setattr(order, name, value)
    return "product_key" in learnt


async def flag_unfulfillable(order: Order, conn: BaseDBAsyncClient) -> None:
    """A new order its first event called unfulfillable: flagged, and the admins told once."""
    reason = order.details.get(UNFULFILLABLE)
    if not isinstance(reason, str) or not reason:
        return
    order.needs_attention, order.attention_reason = True, reason[:255]
    await update_order(
        order.id, {"needs_attention": True, "attention_reason": order.attention_reason}, conn
    )
    await queue_admin_alert(
        "Order the shop cannot fulfil",
        [reason, "The order is flagged for attention until its product is known."],
        order_id=order.id,
        dedupe_key=f"unfulfillable:{order.id}",
        connection=conn,
    )


def _flagged_unfulfillable(order: Order) -> bool:
    reason = order.details.get(UNFULFILLABLE)
    return isinstance(reason, str) and order.attention_reason == reason[:255]


async def _known_fields(
    order: Order, missing: list[str], conn: BaseDBAsyncClient
) -> dict[str, Any]:
    """The fields the order was given (not derived), read back from its columns."""
    known: dict[str, Any] = {}
    product_id = order.product_id  # type: ignore[attr-defined]
    if "product_key" not in missing and product_id is not None:
        product = await product_by_id(product_id, conn)
        known["product_key"] = product.key if product else None
    for name in ("quantity", "amount", "currency", "product_name"):
        if name not in missing:
            known[name] = getattr(order, name)
    return known
