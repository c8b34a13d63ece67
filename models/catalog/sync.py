"""Copies the catalog from config.toml into Product and Package rows at start.

Precedence between config.toml and edits made in Discord (/admin product, /admin package):

- config.toml seeds: a product the file lists for the first time is created (or, when an
  admin added that key in Discord, overwritten) with the file's values and put on sale.
- Each product keeps the values the file last set (Product.seeded). At the next start a
  file value is applied only when it differs from that seed, so an edit made in Discord
  survives restarts until someone changes that value in the file; then the file wins.
- Hiding a product in Discord (or removing a package) sticks while the file is unchanged;
  a package the file adds or re-prices is put on sale again.
- A product the file stops listing is hidden once and from then on belongs to Discord (its
  seed is dropped): showing it again in Discord is not undone by the next start. Products
  added in Discord are never hidden for being absent from the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tortoise.transactions import in_transaction

from models.catalog.tables import Package, Product
from settings import ProductConfig

# The Product columns config.toml sets, in the order /admin viewstock names them.
SEEDED_FIELDS = (
    "name",
    "description",
    "kind",
    "price",
    "currency",
    "role_id",
    "low_stock",
    "duration_days",
    "interval",
)


def file_values(item: ProductConfig) -> dict[str, Any]:
    """The Product columns one [[products]] table sets."""
    return {field: getattr(item, field) for field in SEEDED_FIELDS}


def file_packages(item: ProductConfig) -> dict[str, int]:
    """quantity (as text, the way JSON keeps it) -> price of the table's packages."""
    return {str(p.quantity): p.price for p in item.packages}


def seeded_packages(product: Product, existing: Iterable[Package]) -> dict[str, int | None]:
    """The packages config.toml last set for this product.

    A product seeded before seeds were kept ('{}', migration 9) had exactly the file's
    packages on sale: each existing package counts as seeded at an unknown price.
    """
    seed = product.seeded
    if not seed:
        return {str(p.quantity): None for p in existing} if seed == {} else {}
    return dict(seed.get("packages", {}))


async def sync_catalog(products: Iterable[ProductConfig]) -> dict[str, int]:
    """Applies config.toml's catalog with the precedence above.

    Returns counts of created products, updated ones (some file value applied) and hidden
    ones (no longer listed by the file).
    """
    counts = {"created": 0, "updated": 0, "hidden": 0}
    listed: set[str] = set()
    async with in_transaction():
        for item in products:
            listed.add(item.key)
            outcome = await _sync_product(item)
            if outcome:
                counts[outcome] += 1
        gone = Product.filter(seeded__isnull=False).exclude(key__in=listed)
        counts["hidden"] = await gone.filter(active=True).update(active=False)
        await gone.update(seeded=None)
    return counts


async def _sync_product(item: ProductConfig) -> str | None:
    """Applies one [[products]] table; "created", "updated" or None when nothing changed."""
    values = file_values(item)
    packages = file_packages(item)
    seed = {**values, "packages": packages}
    product = await Product.get_or_none(key=item.key)
    if product is None:
        product = await Product.create(key=item.key, active=True, seeded=seed, **values)
        for quantity, price in packages.items():
            await Package.create(product=product, quantity=int(quantity), price=price)
        return "created"
    newly_listed = not product.seeded
    before = product.seeded or {}
    changes = {k: v for k, v in values.items() if newly_listed or before.get(k) != v}
    if newly_listed:
        changes["active"] = True
    existing = {str(p.quantity): p for p in await Package.filter(product=product)}
    last = seeded_packages(product, existing.values())
    packages_changed = await _sync_packages(product, packages, last, existing)
    await Product.filter(id=product.id).update(seeded=seed, **changes)
    return "updated" if changes or packages_changed else None


async def _sync_packages(
    product: Product,
    packages: dict[str, int],
    last: dict[str, int | None],
    existing: dict[str, Package],
) -> bool:
    """Applies the file's packages that differ from the last seed; True when any changed."""
    changed = False
    for quantity, price in packages.items():
        if quantity in last and last[quantity] == price:
            continue
        changed = True
        row = existing.get(quantity)
        if row is None:
            await Package.create(product=product, quantity=int(quantity), price=price)
        else:
            await Package.filter(id=row.id).update(price=price, active=True)
    dropped = [int(q) for q in last if q not in packages and q in existing]
    if dropped:
        changed = True
        await Package.filter(product=product, quantity__in=dropped).update(active=False)
    return changed
