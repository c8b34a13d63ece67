"""settle()'s read of an order's product and buyer: one statement instead of two.

Every event on an existing order (the delivered fact above all) settles it again, and
settle needs both rows. Raw (models.outbox.raw_sql), returning the same model objects as
order_sql's product_by_id and customer_by_id, on both engines.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from models.catalog.tables import Product
from models.customers.tables import Customer
from models.outbox.raw_sql import rows

_PRODUCT_COLUMNS = tuple(Product._meta.fields_db_projection.values())
_CUSTOMER_COLUMNS = tuple(Customer._meta.fields_db_projection.values())
# Each column under a prefix (both tables have id, created_at, currency…). The one-row
# sub-select keeps the row when either id is missing or matches nothing.
_PRODUCT_AND_CUSTOMER_SQL = (
    "SELECT "
    + ", ".join(
        [f'p."{c}" AS "p__{c}"' for c in _PRODUCT_COLUMNS]
        + [f'c."{c}" AS "c__{c}"' for c in _CUSTOMER_COLUMNS]
    )
    + ' FROM (SELECT 1 AS "one") AS "one"'
    ' LEFT JOIN "product" p ON p."id" = ? LEFT JOIN "customer" c ON c."id" = ?'
)


async def product_and_customer(
    product_id: int | None, customer_id: int | None, conn: BaseDBAsyncClient
) -> tuple[Product | None, Customer | None]:
    """(product_by_id, customer_by_id) in one read; None for an id that is None or absent."""
    if product_id is None and customer_id is None:
        return None, None
    (row,) = await rows(_PRODUCT_AND_CUSTOMER_SQL, [product_id, customer_id], conn)
    product = customer = None
    if row["p__id"] is not None:
        product = Product._init_from_db(**{c: row[f"p__{c}"] for c in _PRODUCT_COLUMNS})
    if row["c__id"] is not None:
        customer = Customer._init_from_db(**{c: row[f"c__{c}"] for c in _CUSTOMER_COLUMNS})
    return product, customer
