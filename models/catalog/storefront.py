"""What the shop panel shows customers: products with prices and stock, and where the panel is."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Count

from models.base import ProductKind, StockStatus
from models.bot_state import BotState
from models.catalog.tables import Package, Product
from models.errors import NotFound
from models.stock.tables import StockItem

PANEL_STATE_KEY = "shop_panel"
# The shop pages its product select 25 at a time (Discord's limit per select); past 40
# pages a catalog wants categories, not more paging.
MAX_LISTED_PRODUCTS = 1000


@dataclass(frozen=True)
class Offer:
    """One way to buy a product: a quantity for a price."""

    quantity: int
    price: int


@dataclass(frozen=True)
class ShopProduct:
    key: str
    name: str
    description: str
    kind: ProductKind
    currency: str
    # Codes available now; None when the product delivers no codes (never runs out).
    available: int | None
    offers: tuple[Offer, ...]
    # Days of access one item grants (timed access); None: for ever.
    duration_days: int | None = None
    # "month" | "year": sold as a Stripe subscription (card only); None: a one-off purchase.
    interval: str | None = None

    @property
    def delivers_codes(self) -> bool:
        return self.kind.delivers_codes

    @property
    def sold_out(self) -> bool:
        return self.available is not None and self.available < 1

    def in_stock(self, quantity: int) -> bool:
        return self.available is None or self.available >= quantity

    def offer(self, quantity: int) -> Offer:
        """The offer for `quantity`; NotFound when the product is not sold in that quantity."""
        for offer in self.offers:
            if offer.quantity == quantity:
                return offer
        raise NotFound(f"{self.name} is not sold in packs of {quantity}.")


@dataclass(frozen=True)
class PanelLocation:
    channel_id: int
    message_id: int


async def list_shop_products(limit: int = MAX_LISTED_PRODUCTS) -> list[ShopProduct]:
    """Active products, by name, each with its offers and current availability."""
    products = await Product.filter(active=True).order_by("name", "id").limit(limit)
    if not products:
        return []
    ids = [p.id for p in products]
    packages = await Package.filter(product_id__in=ids, active=True).order_by("quantity")
    counts = await _available_counts(ids)
    by_product: dict[int, list[Package]] = {}
    for package in packages:
        by_product.setdefault(package.product_id, []).append(package)  # type: ignore[attr-defined]
    return [_shop_product(p, by_product.get(p.id, []), counts.get(p.id, 0)) for p in products]


async def get_shop_product(key: str) -> ShopProduct:
    """One active product by key; NotFound when it is unknown or no longer sold."""
    product = await Product.get_or_none(key=key, active=True)
    if product is None:
        raise NotFound("That product is not for sale any more.")
    packages = await Package.filter(product_id=product.id, active=True).order_by("quantity")
    counts = await _available_counts([product.id])
    return _shop_product(product, list(packages), counts.get(product.id, 0))


async def _available_counts(product_ids: list[int]) -> dict[int, int]:
    rows = (
        await StockItem.filter(product_id__in=product_ids, status=StockStatus.AVAILABLE)
        .annotate(n=Count("id"))
        .group_by("product_id")
        .values("product_id", "n")
    )
    return {row["product_id"]: row["n"] for row in rows}


def _shop_product(product: Product, packages: list[Package], available: int) -> ShopProduct:
    kind = ProductKind(product.kind)
    offers = [Offer(1, product.price)]
    offers += [Offer(p.quantity, p.price) for p in packages if p.quantity != 1]
    return ShopProduct(
        key=product.key,
        name=product.name,
        description=product.description,
        kind=kind,
        currency=product.currency,
        available=available if kind.delivers_codes else None,
        offers=tuple(offers),
        duration_days=product.duration_days or None,
        interval=product.interval,
    )


async def panel_location() -> PanelLocation | None:
    """Where the shop panel was last posted, if anywhere."""
    state = await BotState.get_or_none(key=PANEL_STATE_KEY)
    if state is None:
        return None
    try:
        return PanelLocation(int(state.value["channel_id"]), int(state.value["message_id"]))
    except (KeyError, TypeError, ValueError):
        return None


async def remember_panel(channel_id: int, message_id: int) -> None:
    """Records the shop panel message so the next post replaces it."""
    value = {"channel_id": channel_id, "message_id": message_id}
    await BotState.update_or_create(key=PANEL_STATE_KEY, defaults={"value": value})
