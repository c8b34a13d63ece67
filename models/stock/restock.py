"""Adding stock: the one path shared by `/admin addstock` and `python bot.py stock add`."""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.transactions import in_transaction

from models.base import ProductKind
from models.catalog.tables import Product
from models.customers.restock_requests import queue_restock_notices
from models.errors import InvalidInput, NotFound
from models.orders.lifecycle import release_waiting_orders
from models.stock.actions import Progress, StockImport, check_low_stock, import_codes
from models.stock.cipher import StockCipher

MAX_LINES = 100_000


async def add_stock(
    product_key: str,
    lines: Iterable[str],
    cipher: StockCipher,
    *,
    added_by: int | None = None,
    progress: Progress | None = None,
) -> StockImport:
    """Stores new codes, then hands them to orders awaiting stock, oldest first.

    Reports added / duplicates / rejected (line number and reason, never the code);
    `progress(done, total)` follows a large import batch by batch.
    """
    lines = list(lines)
    if len(lines) > MAX_LINES:
        raise InvalidInput(f"At most {MAX_LINES} codes at once; split the file.")
    product = await Product.get_or_none(key=product_key)
    if product is None:
        raise NotFound(f"There is no product with the key {product_key!r}.")
    if not ProductKind(product.kind).delivers_codes:
        raise InvalidInput(f"{product.name} is a role product; it has no stock.")
    async with in_transaction() as conn:
        report = await import_codes(
            product, lines, cipher, added_by=added_by, connection=conn, progress=progress
        )
        if report.added:
            report.released_orders = await release_waiting_orders(product.id, conn)
            await queue_restock_notices(product.id, conn)
            await check_low_stock(product, conn)
    return report
