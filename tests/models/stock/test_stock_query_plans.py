"""The stock statements of fulfilment are index ranges on both engines, however large the stock.

The statements are the ones the code really sends (captured from the database client's log
while reservation, delivery and release run), each explained with its own parameters on a
stock shaped like a shop after a launch: most codes sold, the rest spread over products.
"""

from __future__ import annotations

import logging
import re

import pytest

from models.catalog.tables import Product
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.stock.actions import (
    mark_stock_delivered,
    release_order_stock,
    reserve_stock,
    revoke_order_stock,
)
from models.stock.queries import available_up_to, codes_for_order, held_count
from tests.models.conftest import external

SOLD, OTHERS, AVAILABLE = 12_000, 6_000, 2_000
PRODUCT_INDEX = "idx_stock_item_product_a995d3"  # (product_id, status, id)
AVAILABLE_INDEX = "idx_stock_item_available"  # (product_id, id + 0) of available codes
ORDER_INDEX = "idx_stock_item_order_i_2a0cc9"  # (order_id, status)

_FILL = {
    "sqlite": (
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?) "
        "INSERT INTO stock_item (created_at, updated_at, ciphertext, fingerprint, status, "
        "product_id) SELECT '2026-12-01 10:00:00+00:00', '2026-12-01 10:00:00+00:00', ?, "
        "? || n, ?, ? FROM seq"
    ),
    "postgres": (
        "INSERT INTO stock_item (created_at, updated_at, ciphertext, fingerprint, status, "
        "product_id) SELECT now(), now(), $2, $3 || n, $4, $5 "
        "FROM generate_series(1, $1) n"
    ),
}


_ORDERS = {
    # `count` delivered orders of two codes each, numbered from 1 (external ids sold-<n>).
    "sqlite": (
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?) "
        'INSERT INTO "order" (created_at, updated_at, number, source, external_id, '
        "product_name, quantity, amount, currency, status, payment_method, refunded_amount, "
        "needs_attention, attention_reason, details, product_id) SELECT "
        "'2026-12-01 10:00:00+00:00', '2026-12-01 10:00:00+00:00', 'SR-P' || n, 'generic', "
        "'sold-' || n, 'Game key', 2, 1000, 'USD', 'delivered', 'external', 0, 0, '', '{}', ? "
        "FROM seq"
    ),
    "postgres": (
        'INSERT INTO "order" (created_at, updated_at, number, source, external_id, '
        "product_name, quantity, amount, currency, status, payment_method, refunded_amount, "
        "needs_attention, attention_reason, details, product_id) SELECT now(), now(), "
        "'SR-P' || n, 'generic', 'sold-' || n, 'Game key', 2, 1000, 'USD', 'delivered', "
        "'external', 0, false, '', '{}', $2 FROM generate_series(1, $1) n"
    ),
}
# The sold codes, two per order, in the order they were sold (both id ranges are contiguous:
# the tables were empty and each was filled by one statement).
_SELL = (
    'UPDATE stock_item SET order_id = (SELECT MIN(id) FROM "order") + '
    "(stock_item.id - (SELECT MIN(id) FROM stock_item)) / 2 WHERE status = 'delivered'"
)


def engine_of(connection) -> str:
    return "postgres" if connection.schema_generator.DIALECT == "postgres" else "sqlite"


async def fill(
    connection, count: int, token: str, prefix: str, status: str, product_id: int
) -> None:
    """`count` rows sharing one real ciphertext, their fingerprints prefix + number."""
    await connection.execute_query(
        _FILL[engine_of(connection)], [count, token, prefix, status, product_id]
    )


async def explain(connection, sql: str, values: list) -> str:
    if engine_of(connection) == "postgres":
        _, rows = await connection.execute_query("EXPLAIN " + sql, values)
        return "\n".join(row["QUERY PLAN"] for row in rows)
    _, rows = await connection.execute_query("EXPLAIN QUERY PLAN " + sql, values)
    return "\n".join(row["detail"] for row in rows)


@pytest.fixture(params=["analysed", "no statistics"])
async def launched_shop(request, catalog, cipher) -> tuple[Product, object]:
    """12k codes sold to 6k orders, 6k in stock for other products, 2k for game-key.

    With the planner's statistics gathered (PostgreSQL's autovacuum does that) and without
    (nothing runs ANALYZE on a SQLite shop).
    """
    product = await Product.get(key="game-key")
    others = await Product.get(key="bundle")
    connection = Product._meta.db
    token = cipher.encrypt("PLAN-CODE")
    engine = engine_of(connection)
    await connection.execute_query(_ORDERS[engine], [SOLD // 2, product.id])
    await fill(connection, SOLD, token, "sold-", "delivered", product.id)
    await connection.execute_query(_SELL)
    await fill(connection, OTHERS, token, "other-", "available", others.id)
    await fill(connection, AVAILABLE, token, "free-", "available", product.id)
    if request.param == "analysed":
        await connection.execute_script("ANALYZE")
    return product, connection


def stock_statements(records: list[logging.LogRecord]) -> list[tuple[str, list]]:
    """(sql, parameters) of the logged statements that read or change stock_item rows."""
    found = []
    for record in records:
        if not isinstance(record.args, tuple) or len(record.args) != 2:
            continue
        sql, values = record.args
        if not isinstance(sql, str) or "stock_item" not in sql or sql.lstrip().startswith("INS"):
            continue
        found.append((sql, list(values or [])))
    return found


async def test_fulfilment_reads_and_writes_stock_through_its_indexes(
    launched_shop, cipher, caplog: pytest.LogCaptureFixture
) -> None:
    product, connection = launched_shop
    caplog.set_level(logging.DEBUG, logger="tortoise.db_client")
    paid = await apply_payment_event(external("plan-1", PaymentStatus.PAID, "e", quantity=2))
    order_id = paid.order_id
    assert len(await codes_for_order(order_id, cipher)) == 2
    await held_count(order_id, connection)
    await available_up_to(product.id, 5, connection)
    await mark_stock_delivered(order_id, connection)
    await revoke_order_stock(order_id, connection)
    await release_order_stock(order_id, connection)
    await reserve_stock(product.id, order_id, 1, connection)
    statements = stock_statements(caplog.records)
    caplog.set_level(logging.WARNING, logger="tortoise.db_client")

    assert len(statements) >= 8, statements  # the reservation in the payment, and each above
    engine = engine_of(connection)
    for sql, values in statements:
        plan = await explain(connection, sql, values)
        where = f"{sql} {values}\n{plan}"
        if engine == "postgres":
            assert "Seq Scan on stock_item" not in plan, where
        else:
            assert not re.search(r"\bSCAN stock_item\b(?! USING)", plan), where
        if '"order_id"=' in sql.replace(" ", "") and "product_id" not in sql:
            # An order's own few codes; sorting those by id is cheap.
            assert ORDER_INDEX in plan, where
        elif re.search(r'"product_id"\s*=', sql) and '"status"' in sql:
            assert PRODUCT_INDEX in plan or AVAILABLE_INDEX in plan, where
            # "The first N available, oldest first" reads N index entries, never sorts them all.
            assert "TEMP B-TREE" not in plan and "Sort" not in plan, where
