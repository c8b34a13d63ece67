"""Raw statements on the order core's hot path (every paid event, every delivery).

The ORM's query building cost more than the statements (docs/PERFORMANCE.md); these return
the same model objects and write the same values (each field's own to_db_value) on both
engines, through models.outbox.raw_sql.
"""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from models.catalog.tables import Product
from models.customers.tables import Customer
from models.orders.tables import Order
from models.outbox.raw_sql import changed, is_postgres, rows

_ORDER_BY = {
    "id": 'SELECT * FROM "order" WHERE "id" = ?',
    "external": 'SELECT * FROM "order" WHERE "source" = ? AND "external_id" = ?',
    "checkout": 'SELECT * FROM "order" WHERE "checkout_id" = ?',
    "payment_ref": 'SELECT * FROM "order" WHERE "payment_ref" = ?',
}


async def order_for_update(by: str, values: list[Any], conn: BaseDBAsyncClient) -> Order | None:
    """The first order matching (row locked on PostgreSQL), like filter().select_for_update()
    .first(): `by` names the lookup in _ORDER_BY."""
    sql = _ORDER_BY[by] + (" LIMIT 1 FOR UPDATE" if is_postgres(conn) else " LIMIT 1")
    found = await rows(sql, values, conn)
    return Order._init_from_db(**found[0]) if found else None


async def product_by_id(product_id: int, conn: BaseDBAsyncClient) -> Product | None:
    found = await rows('SELECT * FROM "product" WHERE "id" = ? LIMIT 1', [product_id], conn)
    return Product._init_from_db(**found[0]) if found else None


async def customer_by_id(customer_id: int, conn: BaseDBAsyncClient) -> Customer | None:
    found = await rows('SELECT * FROM "customer" WHERE "id" = ? LIMIT 1', [customer_id], conn)
    return Customer._init_from_db(**found[0]) if found else None


async def add_to_total_spent(customer_id: int, amount: int, conn: BaseDBAsyncClient) -> None:
    await changed(
        'UPDATE "customer" SET "total_spent" = "total_spent" + ? WHERE "id" = ?',
        [amount, customer_id],
        conn,
    )


async def update_order(order_id: int, updates: dict[str, Any], conn: BaseDBAsyncClient) -> int:
    """Order.filter(id=order_id).update(**updates) for plain fields (no expressions)."""
    if not updates:
        return 0
    meta = Order._meta
    columns = ", ".join(f'"{meta.fields_db_projection[name]}" = ?' for name in updates)
    values = [meta.fields_map[name].to_db_value(value, None) for name, value in updates.items()]
    return await changed(f'UPDATE "order" SET {columns} WHERE "id" = ?', [*values, order_id], conn)
