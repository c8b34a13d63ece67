"""settle()'s read of an order's product and buyer: with the order's own read, or alone.

Every event on an existing order (the delivered fact above all) settles it again, and
settle needs both rows. The event's read of its order (row locked) brings them in the same
statement; they are read alone only when the event changed which product or buyer the
order has. Raw (models.outbox.raw_sql), returning the same model objects as order_sql's
order_for_update, product_by_id and customer_by_id, on both engines.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from models.catalog.tables import Product
from models.customers.tables import Customer
from models.orders.tables import Order
from models.outbox.raw_sql import is_postgres, rows

_PRODUCT_COLUMNS = tuple(Product._meta.fields_db_projection.values())
_CUSTOMER_COLUMNS = tuple(Customer._meta.fields_db_projection.values())
# Each column under a prefix (both tables have id, created_at, currency…). The one-row
# sub-select keeps the row when either id is missing or matches nothing.
_PREFIXED = ", ".join(
    [f'p."{c}" AS "p__{c}"' for c in _PRODUCT_COLUMNS]
    + [f'c."{c}" AS "c__{c}"' for c in _CUSTOMER_COLUMNS]
)
_PRODUCT_AND_CUSTOMER_SQL = (
    "SELECT " + _PREFIXED + ' FROM (SELECT 1 AS "one") AS "one"'
    ' LEFT JOIN "product" p ON p."id" = ? LEFT JOIN "customer" c ON c."id" = ?'
)


async def product_and_customer(
    product_id: int | None, customer_id: int | None, conn: BaseDBAsyncClient
) -> tuple[Product | None, Customer | None]:
    """(product_by_id, customer_by_id) in one read; None for an id that is None or absent."""
    if product_id is None and customer_id is None:
        return None, None
    (row,) = await rows(_PRODUCT_AND_CUSTOMER_SQL, [product_id, customer_id], conn)
    return _product_and_customer(row)


def _product_and_customer(row: dict) -> tuple[Product | None, Customer | None]:
    product = customer = None
    if row["p__id"] is not None:
        product = Product._init_from_db(**{c: row[f"p__{c}"] for c in _PRODUCT_COLUMNS})
    if row["c__id"] is not None:
        customer = Customer._init_from_db(**{c: row[f"c__{c}"] for c in _CUSTOMER_COLUMNS})
    return product, customer


_ORDER_WHERE = {
    "id": 'o."id" = ?',
    "external": 'o."source" = ? AND o."external_id" = ?',
    "checkout": 'o."checkout_id" = ?',
    "payment_ref": 'o."payment_ref" = ?',
}


@cache
def _order_columns() -> tuple[str, ...]:
    # Built on first use: the order's foreign-key columns are known once Tortoise is set up.
    return tuple(Order._meta.fields_db_projection.values())


@cache
def _order_with_sql(by: str, postgres: bool) -> str:
    return (
        "SELECT "
        + ", ".join(f'o."{c}"' for c in _order_columns())
        + ", "
        + _PREFIXED
        + ' FROM "order" o LEFT JOIN "product" p ON p."id" = o."product_id"'
        ' LEFT JOIN "customer" c ON c."id" = o."customer_id" WHERE '
        + _ORDER_WHERE[by]
        + " LIMIT 1"
        # The order's row alone is locked; its product and buyer are read, not locked.
        + (" FOR UPDATE OF o" if postgres else "")
    )


async def order_with_product_and_customer(
    by: str, values: list[Any], conn: BaseDBAsyncClient
) -> tuple[Order, Product | None, Customer | None] | None:
    """order_for_update (the order's row alone is locked on PostgreSQL) with the order's
    product and buyer as product_and_customer reads them, in one statement."""
    found = await rows(_order_with_sql(by, is_postgres(conn)), values, conn)
    if not found:
        return None
    row = found[0]
    order = Order._init_from_db(**{c: row[c] for c in _order_columns()})
    return (order, *_product_and_customer(row))
