"""The products a storefront, a webhook or the order API may name: the catalog in the database.

config.toml only seeds the catalog (models/catalog/sync.py); products added in Discord are as
real, so every way in looks them up here, on sale or hidden (an order paid elsewhere for a
product taken off sale is still owed).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from tortoise import Tortoise

from models.catalog.tables import Product

# Keys found in the catalog, per open database. A product row is never deleted and its key
# never changes, so once found a key stays known; an unknown key is asked again each time
# (a product added in Discord is known at once). Webhooks ask for every request: this keeps
# a query off the acknowledgement path.
_FOUND: weakref.WeakKeyDictionary[object, set[str]] = weakref.WeakKeyDictionary()


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
    if not key:
        return False
    found = _FOUND.setdefault(Tortoise.get_connection("default"), set())
    if key in found:
        return True
    if not await Product.exists(key=key):
        return False
    found.add(key)
    return True
