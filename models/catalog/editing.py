"""Catalog edits made in Discord (/admin product, /admin package): checked, then written.

Every argument is checked before anything is written, so a refusal changes nothing; each
function raises InvalidInput or NotFound with a message fit for the admin. What the next
start does with these edits is models.catalog.sync's precedence: they stay until the
config.toml value they replaced changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.base import ProductKind
from models.catalog.tables import Package, Product
from models.customers.wallet import MAX_AMOUNT
from models.errors import InvalidInput, NotFound
from models.money import exponent, format_money, parse_money
from settings_catalog import CURRENCY_CODE, PRODUCT_KEY

MAX_NAME = 100
MAX_DESCRIPTION = 500
MAX_PACKAGE_QUANTITY = 1000


@dataclass(frozen=True)
class CatalogChange:
    """What an edit did: the product as it is now and each changed field's (before, after)."""

    product: Product
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def check_key(key: str) -> str:
    key = (key or "").strip()
    if not PRODUCT_KEY.match(key):
        raise InvalidInput(
            f"{key!r} is not a usable product key: use 1 to 64 lowercase letters, digits, "
            "'-' or '_', starting with a letter or digit (e.g. game-key)."
        )
    return key


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(f"The name must be 1 to {MAX_NAME} characters.")
    return name


def check_description(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput(f"The description is {len(text)} characters; at most {MAX_DESCRIPTION}.")
    return text


def check_currency(currency: str) -> str:
    currency = (currency or "").strip().upper()
    if not CURRENCY_CODE.match(currency):
        raise InvalidInput(f"{currency!r} is not a currency: use a 3-letter ISO code like USD.")
    return currency


def check_kind(kind: str) -> ProductKind:
    try:
        return ProductKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in ProductKind)
        raise InvalidInput(f"{kind!r} is not a product kind: use one of {kinds}.") from None


def check_low_stock(low_stock: int) -> int:
    if isinstance(low_stock, bool) or not isinstance(low_stock, int) or low_stock < 0:
        raise InvalidInput("The low-stock threshold must be a whole number, 0 or more (0: off).")
    return low_stock


def parse_price(text: str, currency: str) -> int:
    """A price as a person writes it ("5", "$5.00", "1,299.99") -> minor units, or a refusal."""
    try:
        amount = parse_money(text, currency)
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a price in {currency}: write it as you would on a price tag, "
            f"e.g. {format_money(5 * 10 ** exponent(currency), currency)}."
        ) from None
    if amount <= 0:
        raise InvalidInput(f"The price must be more than zero; {text!r} is not.")
    if amount > MAX_AMOUNT:
        raise InvalidInput(f"{text!r} is more than Stockroom accepts for one price.")
    return amount


def check_role(kind: ProductKind, role_id: int) -> int:
    if role_id and not kind.grants_role:
        raise InvalidInput(
            f"A {kind.value} product grants no role; choose kind role or code+role to give one."
        )
    return role_id


def check_package_quantity(quantity: int) -> int:
    if quantity == 1:
        raise InvalidInput(
            "One item costs the product's own price; change it with /admin product edit price."
        )
    if not 2 <= quantity <= MAX_PACKAGE_QUANTITY:
        raise InvalidInput(f"A package holds 2 to {MAX_PACKAGE_QUANTITY} items.")
    return quantity


async def packages_on_sale(product_id: int) -> list[Package]:
    """A product's active quantity packages, smallest first."""
    return await Package.filter(product_id=product_id, active=True).order_by("quantity")


async def get_product(key: str) -> Product:
    product = await Product.get_or_none(key=(key or "").strip())
    if product is None:
        raise NotFound(f"There is no product with the key {key!r}; /admin viewstock lists them.")
    return product


async def find_products(typed: str = "", limit: int = 25) -> list[tuple[str, str, bool]]:
    """(key, name, active) of every product whose key or name contains what was typed."""
    typed = (typed or "").strip().lower()
    rows = await Product.all().order_by("name", "id").values_list("key", "name", "active")
    found = [r for r in rows if not typed or typed in r[0].lower() or typed in r[1].lower()]
    return found[:limit]


async def add_product(
    key: str,
    name: str,
    kind: str,
    price: str,
    currency: str,
    *,
    role_id: int = 0,
    low_stock: int = 5,
    description: str = "",
) -> Product:
    """A new product, on sale at once; config.toml does not own it (no seed)."""
    key = check_key(key)
    product_kind = check_kind(kind)
    currency = check_currency(currency)
    values = {
        "key": key,
        "name": check_name(name),
        "kind": product_kind,
        "price": parse_price(price, currency),
        "currency": currency,
        "role_id": check_role(product_kind, role_id),
        "low_stock": check_low_stock(low_stock),
        "description": check_description(description),
    }
    taken = InvalidInput(f"A product with the key {key!r} exists; use /admin product edit.")
    if await Product.exists(key=key):
        raise taken
    try:
        return await Product.create(active=True, seeded=None, **values)
    except IntegrityError:
        raise taken from None


async def edit_product(
    key: str,
    *,
    name: str | None = None,
    price: str | None = None,
    role_id: int | None = None,
    low_stock: int | None = None,
    description: str | None = None,
) -> CatalogChange:
    """Changes the given fields; refuses when none is given or nothing would change."""
    product = await get_product(key)
    wanted: dict[str, Any] = {}
    if name is not None:
        wanted["name"] = check_name(name)
    if price is not None:
        wanted["price"] = parse_price(price, product.currency)
    if role_id is not None:
        wanted["role_id"] = check_role(ProductKind(product.kind), role_id)
    if low_stock is not None:
        wanted["low_stock"] = check_low_stock(low_stock)
    if description is not None:
        wanted["description"] = check_description(description)
    if not wanted:
        raise InvalidInput(
            "Give at least one of name, price, role, customer_role, low_stock or description."
        )
    changes = {k: (getattr(product, k), v) for k, v in wanted.items() if getattr(product, k) != v}
    if not changes:
        raise InvalidInput(f"{product.name} already has those values; nothing was changed.")
    await Product.filter(id=product.id).update(**{k: new for k, (_, new) in changes.items()})
    return CatalogChange(await Product.get(id=product.id), changes)


async def set_product_active(key: str, active: bool) -> CatalogChange:
    """Puts a product on sale or takes it off; refuses when it already is."""
    product = await get_product(key)
    if product.active == active:
        state = "on sale" if active else "hidden"
        raise InvalidInput(f"{product.name} is already {state}; nothing was changed.")
    await Product.filter(id=product.id).update(active=active)
    return CatalogChange(await Product.get(id=product.id), {"active": (not active, active)})


async def _code_product(key: str) -> Product:
    product = await get_product(key)
    if not ProductKind(product.kind).delivers_codes:
        raise InvalidInput(
            f"{product.name} grants a role and is bought once; packages are for code products."
        )
    return product


async def add_package(key: str, quantity: int, price: str) -> tuple[Product, Package]:
    """A new package (or one removed before, back on sale at this price)."""
    product = await _code_product(key)
    quantity = check_package_quantity(quantity)
    amount = parse_price(price, product.currency)
    async with in_transaction():
        row = await Package.get_or_none(product_id=product.id, quantity=quantity)
        if row is not None and row.active:
            raise InvalidInput(
                f"{product.name} already has a package of {quantity}; use /admin package edit."
            )
        if row is None:
            row = await Package.create(product=product, quantity=quantity, price=amount)
        else:
            await Package.filter(id=row.id).update(price=amount, active=True)
            row = await Package.get(id=row.id)
    return product, row


async def _active_package(product: Product, quantity: int) -> Package:
    row = await Package.get_or_none(product_id=product.id, quantity=quantity, active=True)
    if row is None:
        raise NotFound(f"{product.name} has no package of {quantity} on sale.")
    return row


async def edit_package(key: str, quantity: int, price: str) -> tuple[Product, int, Package]:
    """Re-prices a package on sale; returns the product, the old price and the package."""
    product = await _code_product(key)
    row = await _active_package(product, quantity)
    amount = parse_price(price, product.currency)
    if amount == row.price:
        raise InvalidInput(f"The package of {quantity} already costs that; nothing was changed.")
    await Package.filter(id=row.id).update(price=amount)
    return product, row.price, await Package.get(id=row.id)


async def remove_package(key: str, quantity: int) -> tuple[Product, Package]:
    """Takes a package off sale; orders made with it keep it (the row stays, inactive)."""
    product = await _code_product(key)
    row = await _active_package(product, quantity)
    await Package.filter(id=row.id).update(active=False)
    return product, row
