"""Copies the catalog from config.toml into Product and Package rows at start."""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.transactions import in_transaction

from models.catalog.tables import Package, Product
from settings import ProductConfig


async def sync_catalog(products: Iterable[ProductConfig]) -> dict[str, int]:
    """Upserts every configured product and package; products no longer listed are hidden.

    Returns counts of created, updated and hidden products.
    """
    counts = {"created": 0, "updated": 0, "hidden": 0}
    listed: set[str] = set()
    async with in_transaction():
        for item in products:
            listed.add(item.key)
            values = {
                "name": item.name,
                "description": item.description,
                "kind": item.kind,
                "price": item.price,
                "currency": item.currency,
                "role_id": item.role_id,
                "low_stock": item.low_stock,
                "active": True,
            }
            product, created = await Product.get_or_create(key=item.key, defaults=values)
            if not created:
                await Product.filter(id=product.id).update(**values)
            counts["created" if created else "updated"] += 1
            quantities = {p.quantity for p in item.packages}
            for package in item.packages:
                existing = await Package.get_or_none(product=product, quantity=package.quantity)
                if existing is None:
                    await Package.create(
                        product=product, quantity=package.quantity, price=package.price
                    )
                else:
                    await Package.filter(id=existing.id).update(price=package.price, active=True)
            await (
                Package.filter(product=product)
                .exclude(quantity__in=quantities)
                .update(active=False)
            )
        counts["hidden"] = (
            await Product.filter(active=True).exclude(key__in=listed).update(active=False)
        )
    return counts
