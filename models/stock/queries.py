"""Stock reads: codes available, held by an order, counted per status, and an order's codes.

Plaintext codes leave this module only from codes_for_order and decrypt_codes, for the DM
and an admin's reveal; nothing here logs one.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Count

from models.base import StockStatus
from models.catalog.tables import Product
from models.outbox.raw_sql import rows
from models.stock.cipher import StockCipher
from models.stock.tables import StockItem


async def available_count(product_id: int, connection: BaseDBAsyncClient | None = None) -> int:
    return (
        await StockItem.filter(product_id=product_id, status=StockStatus.AVAILABLE)
        .using_db(connection)
        .count()
    )


async def available_up_to(product_id: int, limit: int, connection: BaseDBAsyncClient) -> int:
    """Available codes of the product, counted up to `limit` (an index range of that length).

    Ordered by `id + 0` like the reservation, so the range is read from the partial index of
    available codes: unordered, PostgreSQL scanned the table from its start, past every sold
    code, until it had found `limit` available ones.
    """
    sql = (
        'SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "stock_item" WHERE "product_id" = {p} '
        'AND "status" = \'available\' ORDER BY "id" + 0 LIMIT {n}) AS "first"'
    )
    if connection.schema_generator.DIALECT == "postgres":
        sql = sql.format(p="$1", n="$2")
    else:
        sql = sql.format(p="?", n="?")
    _, rows = await connection.execute_query(sql, [product_id, limit])
    return int(rows[0]["n"])


# The two reads of an order's codes are raw SQL: each runs for every paid order, and the ORM's
# query building cost several times the statement (an index range on (order_id, status)).
_HELD_COUNT_SQL = (
    'SELECT COUNT(*) AS "n" FROM "stock_item" WHERE "order_id" = ? AND "status" IN (?, ?)'
)
_HELD_CODES_SQL = (
    'SELECT "ciphertext" FROM "stock_item" WHERE "order_id" = ? AND "status" IN (?, ?)'
    ' ORDER BY "id"'
)
_HELD = (StockStatus.RESERVED.value, StockStatus.DELIVERED.value)


async def held_count(order_id: int, connection: BaseDBAsyncClient) -> int:
    """Codes an order holds: reserved for it or delivered to it."""
    found = await rows(_HELD_COUNT_SQL, [order_id, *_HELD], connection)
    return int(found[0]["n"])


async def codes_for_order(order_id: int, cipher: StockCipher) -> list[str]:
    """Plaintext codes held by an order, for its DM and an admin's reveal. Never log them."""
    tokens = await rows(_HELD_CODES_SQL, [order_id, *_HELD])
    return decrypt_codes([row["ciphertext"] for row in tokens], cipher)


def decrypt_codes(ciphertexts: list[str], cipher: StockCipher) -> list[str]:
    """The plaintext of held codes read encrypted (models.orders.delivery reads them with the
    order for its DM). Never log them."""
    return [cipher.decrypt(token) for token in ciphertexts]


async def stock_counts() -> dict[str, dict[str, int]]:
    """Per product key: codes per status (every status present, zero when none)."""
    counts = {
        key: {status.value: 0 for status in StockStatus}
        for key in await Product.all().values_list("key", flat=True)
    }
    rows = (
        await StockItem.annotate(n=Count("id"))
        .group_by("product__key", "status")
        .values("product__key", "status", "n")
    )
    for row in rows:
        counts.setdefault(row["product__key"], {s.value: 0 for s in StockStatus})[
            str(StockStatus(row["status"]).value)
        ] = row["n"]
    return counts
