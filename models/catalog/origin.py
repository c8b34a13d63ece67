"""Where a product's current values come from: config.toml, or edits made in Discord.

models.catalog.sync explains the precedence; /admin viewstock shows the result per product.
"""

from __future__ import annotations

from models.catalog.sync import SEEDED_FIELDS, seeded_packages
from models.catalog.tables import Package, Product

FROM_DISCORD = "added in Discord; config.toml does not list it"
FROM_FILE = "from config.toml"


def describe_origin(product: Product, packages: list[Package]) -> str:
    """'added in Discord…', 'from config.toml' or 'from config.toml; set in Discord: price'."""
    if product.seeded is None:
        return FROM_DISCORD
    if product.seeded == {}:
        return FROM_FILE
    edited = [f for f in SEEDED_FIELDS if getattr(product, f) != product.seeded.get(f)]
    on_sale = {str(p.quantity): p.price for p in packages if p.active}
    if on_sale != seeded_packages(product, packages):
        edited.append("packages")
    if not product.active:
        edited.append("hidden")
    if not edited:
        return FROM_FILE
    names = ", ".join(field.replace("_id", "").replace("_", "-") for field in edited)
    return f"{FROM_FILE}; set in Discord: {names} (kept until the file's value changes)"


async def catalog_origins() -> dict[str, str]:
    """product key -> describe_origin() for every product."""
    products = await Product.all()
    by_product: dict[int, list[Package]] = {}
    for package in await Package.filter(product_id__in=[p.id for p in products]):
        by_product.setdefault(package.product_id, []).append(package)  # type: ignore[attr-defined]
    return {p.key: describe_origin(p, by_product.get(p.id, [])) for p in products}
