"""What the /admin commands show: stock per product, order lists with customers, products."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Count

from models.base import OrderStatus, ProductKind, StockStatus
from models.catalog.origin import catalog_origins
from models.catalog.tables import Product
from models.customers.tables import Customer
from models.errors import NotFound
from models.orders.queries import list_orders
from models.stock.queries import stock_counts
from models.stock.tables import StockItem

CODE_KINDS = ProductKind.delivering_codes()


@dataclass(frozen=True)
class ProductStock:
    key: str
    name: str
    active: bool
    low_stock: int
    available: int
    reserved: int
    delivered: int
    revoked: int
    held: int = 0  # of `reserved`: held by card/QRIS checkouts not paid yet
    origin: str = ""  # config.toml or Discord (models.catalog.origin)

    @property
    def is_low(self) -> bool:
        return self.low_stock > 0 and self.available < self.low_stock


@dataclass(frozen=True)
class OrderRow:
    number: str
    status: OrderStatus
    source: str
    product_name: str
    quantity: int
    amount: int
    currency: str
    customer_discord_id: int | None
    created_at: datetime
    needs_attention: bool


@dataclass(frozen=True)
class OrderList:
    rows: list[OrderRow]
    page: int
    pages: int
    total: int


async def code_products(typed: str = "", limit: int = 25) -> list[tuple[str, str]]:
    """(key, name) of products that hold codes, matching what the admin typed so far."""
    typed = typed.strip().lower()
    found = []
    for key, name in (
        await Product.filter(kind__in=CODE_KINDS).order_by("name", "id").values_list("key", "name")
    ):
        if not typed or typed in key.lower() or typed in name.lower():
            found.append((key, name))
    return found[:limit]


async def stock_report(product_key: str | None = None) -> list[ProductStock]:
    """Codes per status for each code product (or one), by name."""
    query = Product.filter(kind__in=CODE_KINDS).order_by("name", "id")
    if product_key:
        query = query.filter(key=product_key)
    products = await query
    if product_key and not products:
        raise NotFound(f"There is no code product with the key {product_key!r}.")
    counts = await stock_counts()
    held = await held_counts()
    origins = await catalog_origins()
    report = []
    for product in products:
        by_status = counts.get(product.key, {})
        report.append(
            ProductStock(
                key=product.key,
                name=product.name,
                active=product.active,
                low_stock=product.low_stock,
                available=by_status.get("available", 0),
                reserved=by_status.get("reserved", 0),
                delivered=by_status.get("delivered", 0),
                revoked=by_status.get("revoked", 0),
                held=held.get(product.key, 0),
                origin=origins.get(product.key, ""),
            )
        )
    return report


async def held_counts() -> dict[str, int]:
    """Per product key: reserved codes whose order is still a pending checkout (a hold)."""
    rows = (
        await StockItem.filter(status=StockStatus.RESERVED, order__status=OrderStatus.PENDING)
        .annotate(n=Count("id"))
        .group_by("product__key")
        .values_list("product__key", "n")
    )
    return dict(rows)


async def order_list(
    status: OrderStatus | None = None,
    discord_id: int | None = None,
    page: int = 1,
    per_page: int = 10,
) -> OrderList:
    """One page of orders for /admin vieworders, newest first, with each buyer's Discord id."""
    found = await list_orders(status=status, discord_id=discord_id, page=page, per_page=per_page)
    if page > found.pages:
        raise NotFound(f"There are only {found.pages} page(s) of orders for this filter.")
    customer_ids = {o.customer_id for o in found.orders if o.customer_id}  # type: ignore[attr-defined]
    discord_ids = (
        dict(await Customer.filter(id__in=customer_ids).values_list("id", "discord_id"))
        if customer_ids
        else {}
    )
    rows = [
        OrderRow(
            number=order.number,
            status=order.status,
            source=order.source.value,
            product_name=order.product_name or (order.product.name if order.product else ""),
            quantity=order.quantity,
            amount=order.amount,
            currency=order.currency,
            customer_discord_id=discord_ids.get(order.customer_id),  # type: ignore[attr-defined]
            created_at=order.created_at,
            needs_attention=order.needs_attention,
        )
        for order in found.orders
    ]
    return OrderList(rows=rows, page=found.page, pages=found.pages, total=found.total)
