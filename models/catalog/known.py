"""The products a storefront, a webhook or the order API may name: the catalog in the database.

config.toml only seeds the catalog (models/catalog/sync.py); products added in Discord are as
real, so every way in looks them up here, on sale or hidden (an order paid elsewhere for a
product taken off sale is still owed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from models.catalog.tables import Product


@dataclass(frozen=True)
class KnownProduct:
    key: str
    name: str
    currency: str


async def known_products(keys: Iterable[str] | None = None) -> dict[str, KnownProduct]:
    """Catalog products by key (only `keys` when given)."""
    query = Product.all()
    if keys is not None:
        query = query.filter(key__in=sorted(set(keys)))
    rows = await query.values_list("key", "name", "currency")
    return {key: KnownProduct(key, name, currency) for key, name, currency in rows}


async def is_known_product(key: str) -> bool:
    return bool(key) and await Product.exists(key=key)
