"""An Ecwid order's cart: one shop order per line, each with its product, quantity and price.

Line n of Ecwid order X is the shop order with external id ``X/n``; line 1 keeps ``X`` itself,
so a one-line cart (and any order recorded before carts were split) is the order it always
was. Every webhook re-fetches the order and applies its payment status to every line, so a
refund or cancellation of the Ecwid order reaches each line's order. A line the shop cannot
fulfil (SKU not mapped, not a catalog product, no usable quantity) is still an order, with
its price, flagged for an admin (models.orders.creation.UNFULFILLABLE).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from models.catalog.known import KnownProduct
from models.money import exponent
from models.orders.cart_lines import LINE_SEPARATOR, line_external_id
from settings import Settings

__all__ = ["LINE_SEPARATOR", "CartLine", "cart_lines", "ecwid_order_of", "line_external_id"]


@dataclass(frozen=True)
class CartLine:
    """One item of the cart as the shop records it."""

    external_id: str
    position: int  # 1-based
    sku: str
    name: str | None
    product_key: str | None  # None: the shop does not fulfil this line
    quantity: int | None
    amount: int | None
    currency: str | None
    problem: str = ""  # why the shop does not fulfil it


def ecwid_order_of(external_id: str) -> str:
    """The Ecwid order id a line's external id belongs to."""
    head, separator, tail = external_id.rpartition(LINE_SEPARATOR)
    return head if separator and tail.isdigit() else external_id


def cart_lines(
    order: dict[str, Any],
    ecwid_order_id: str,
    settings: Settings,
    catalog: Mapping[str, KnownProduct],
) -> list[CartLine]:
    """Every line of the fetched order (an order without items is one unfulfillable line).

    `catalog`: the shop's products by key (models.catalog.known), the database's catalog, so
    a product added in Discord and mapped in the Ecwid product map is fulfilled too."""
    items = order.get("items")
    items = items if isinstance(items, list) else []
    read = [_read_item(item, settings, catalog) for item in items]
    if not read:
        return [CartLine(ecwid_order_id, 1, "", None, None, None, None, None, "it has no items")]
    cart_currency = _cart_currency(read, catalog)
    lines = []
    for position, (key, sku, name, quantity, price, problem) in enumerate(read, start=1):
        product = catalog.get(key) if key else None
        currency = product.currency.upper() if product else cart_currency
        lines.append(
            CartLine(
                external_id=line_external_id(ecwid_order_id, position),
                position=position,
                sku=sku,
                name=product.name if product else name,
                product_key=key,
                quantity=quantity,
                amount=_line_amount(price, quantity, currency),
                currency=currency,
                problem=problem,
            )
        )
    return lines


_Read = tuple[str | None, str, str | None, int | None, Any, str]
_MAX_AMOUNT = 10**15  # minor units; anything larger is not a price


def _cart_currency(read: list[_Read], catalog: Mapping[str, KnownProduct]) -> str | None:
    """An Ecwid store sells in one currency: that of the mapped lines' products, else the
    catalog's when it has only one. Unmapped lines are priced in it (None: unknown)."""
    mapped = [catalog.get(key) for key, *_ in read if key]
    currencies = {p.currency.upper() for p in mapped if p is not None}
    currencies = currencies or {p.currency.upper() for p in catalog.values()}
    return next(iter(currencies)) if len(currencies) == 1 else None


def _read_item(item: Any, settings: Settings, catalog: Mapping[str, KnownProduct]) -> _Read:
    """(product key or None, SKU, name, quantity, unit price, problem) of one cart item."""
    if not isinstance(item, dict):
        return None, "", None, None, None, "the item is not understood"
    sku = str(item.get("sku") or "").strip()[:64]
    name = item["name"][:255] if isinstance(item.get("name"), str) else None
    quantity = item.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        problem = f"its quantity {quantity!r} is not a whole number of at least 1"
        return None, sku, name, None, None, problem
    price = item.get("price")
    if not sku:
        return None, sku, name, quantity, price, "it has no SKU"
    key = settings.ecwid.product_map.get(sku)
    if key is None:
        return None, sku, name, quantity, price, f"SKU {sku} is not in the Ecwid product map"
    if key not in catalog:
        problem = f"SKU {sku} maps to {key!r}, which is not a catalog product"
        return None, sku, name, quantity, price, problem
    return key, sku, name, quantity, price, ""


def _line_amount(price: Any, quantity: int | None, currency: str | None) -> int | None:
    """The line's price (unit price times quantity) in minor units, rounded half up."""
    if currency is None or quantity is None or isinstance(price, bool):
        return None
    if not isinstance(price, int | float | str):
        return None
    try:
        value = Decimal(str(price)) * quantity
        if not value.is_finite() or value < 0:
            return None
        scaled = value.scaleb(exponent(currency)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    return int(scaled) if scaled <= _MAX_AMOUNT else None
