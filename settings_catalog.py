"""The catalog part of the configuration: [[products]] and their [[products.packages]]."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models.base import ProductKind

PRODUCT_KINDS = tuple(kind.value for kind in ProductKind)
PRODUCT_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
INTERVALS = ("month", "year")
MAX_DURATION_DAYS = 3650


@dataclass(frozen=True)
class PackageConfig:
    quantity: int
    price: int


@dataclass(frozen=True)
class ProductConfig:
    key: str
    name: str
    kind: str
    price: int
    currency: str
    role_id: int = 0
    low_stock: int = 5
    description: str = ""
    packages: tuple[PackageConfig, ...] = ()
    # Timed access: the role lasts this many days per purchase (None: for ever).
    duration_days: int | None = None
    # A Stripe subscription: "month" or "year" (None: a one-off purchase).
    interval: str | None = None

    @property
    def delivers_codes(self) -> bool:
        return ProductKind(self.kind).delivers_codes

    @property
    def grants_role(self) -> bool:
        return ProductKind(self.kind).grants_role


def read_products(toml: Mapping[str, Any], problems: list[str]) -> tuple[ProductConfig, ...]:
    """The [[products]] catalog; every problem is appended to `problems`, naming the key."""
    raw = toml.get("products", [])
    if not isinstance(raw, list):
        problems.append("products: expected a list of [[products]] tables")
        return ()
    products: list[ProductConfig] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            problems.append(f"products[{index}]: expected a table")
            continue
        product = _read_product(problems, f"products[{index}]", item, seen)
        if product is not None:
            products.append(product)
    return tuple(products)


def _product_key(problems: list[str], where: str, key: Any, seen: set[str]) -> str:
    """Where later problems are reported: products.KEY once the key is valid and new."""
    if not isinstance(key, str) or not PRODUCT_KEY.match(key):
        problems.append(f"{where}.key: expected lowercase letters, digits, '-' or '_', got {key!r}")
    elif key in seen:
        problems.append(f"{where}.key: {key!r} is used by another product")
    else:
        seen.add(key)
        return f"products.{key}"
    return where


def _read_product(
    problems: list[str], where: str, item: Mapping[str, Any], seen: set[str]
) -> ProductConfig | None:
    """One [[products]] table, or None when it has any problem (each one appended)."""
    before = len(problems)
    key = item.get("key")
    where = _product_key(problems, where, key, seen)
    name = item.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        problems.append(f"{where}.name: expected text of 1 to 100 characters")
    kind = item.get("kind", "code")
    if kind not in PRODUCT_KINDS:
        problems.append(f"{where}.kind: expected one of {', '.join(PRODUCT_KINDS)}")
    price = item.get("price")
    if not _is_amount(price):
        problems.append(f"{where}.price: expected a positive whole number of minor units")
    currency = item.get("currency", "USD")
    if not isinstance(currency, str) or not CURRENCY_CODE.match(currency):
        problems.append(f"{where}.currency: expected a 3-letter ISO code like USD")
    role_id = item.get("role_id", 0)
    if not _is_count(role_id):
        problems.append(f"{where}.role_id: expected a Discord id or 0")
    low_stock = item.get("low_stock", 5)
    if not _is_count(low_stock):
        problems.append(f"{where}.low_stock: expected a whole number >= 0")
    packages = _read_packages(problems, where, item.get("packages", []))
    duration_days, interval = _read_access(problems, where, item, kind, packages)
    if len(problems) > before:
        return None
    return ProductConfig(
        key=key,
        name=name.strip(),
        kind=kind,
        price=price,
        currency=currency,
        role_id=role_id,
        low_stock=low_stock,
        description=str(item.get("description", "")).strip()[:500],
        packages=packages,
        duration_days=duration_days,
        interval=interval,
    )


def _read_access(
    problems: list[str],
    where: str,
    item: Mapping[str, Any],
    kind: Any,
    packages: tuple[PackageConfig, ...],
) -> tuple[int | None, str | None]:
    """duration_days and interval: how long the role lasts; each problem names its key."""
    duration = item.get("duration_days")
    interval = item.get("interval")
    grants_role = kind in PRODUCT_KINDS and ProductKind(kind).grants_role
    if duration is not None:
        if not _is_amount(duration) or duration > MAX_DURATION_DAYS:
            problems.append(
                f"{where}.duration_days: expected a whole number of days from 1 to "
                f"{MAX_DURATION_DAYS}"
            )
        elif not grants_role:
            problems.append(f"{where}.duration_days: only a product that grants a role can last")
    if interval is not None:
        if interval not in INTERVALS:
            problems.append(f"{where}.interval: expected one of {', '.join(INTERVALS)}")
        elif not grants_role:
            problems.append(f"{where}.interval: only a product that grants a role can renew")
        elif duration is not None:
            problems.append(f"{where}.interval: a subscription cannot also have duration_days")
        elif packages:
            problems.append(f"{where}.interval: a subscription cannot have packages")
    return duration, interval


def _read_packages(problems: list[str], where: str, raw: Any) -> tuple[PackageConfig, ...]:
    if not isinstance(raw, list):
        problems.append(f"{where}.packages: expected a list of [[products.packages]]")
        return ()
    packages: list[PackageConfig] = []
    quantities: set[int] = set()
    for index, item in enumerate(raw):
        spot = f"{where}.packages[{index}]"
        quantity = item.get("quantity") if isinstance(item, Mapping) else None
        price = item.get("price") if isinstance(item, Mapping) else None
        if not _is_amount(quantity) or quantity > 1000:
            problems.append(f"{spot}.quantity: expected a whole number from 1 to 1000")
        elif quantity in quantities:
            problems.append(f"{spot}.quantity: {quantity} is listed twice")
        elif not _is_amount(price):
            problems.append(f"{spot}.price: expected a positive whole number of minor units")
        else:
            quantities.add(quantity)
            packages.append(PackageConfig(quantity=quantity, price=price))
    return tuple(packages)


def _is_amount(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
