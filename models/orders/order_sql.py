"""Raw statements on the order core's hot path (every paid event, every delivery).

The ORM's query building cost more than the statements (docs/PERFORMANCE.md); these return
the same model objects and write the same values (each field's own to_db_value) on both
engines, through models.outbox.raw_sql.
"""

from __future__ import annotations

import weakref
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient, TransactionalDBClient

from models.base import OrderStatus
from models.catalog.tables import Product
from models.customers.tables import Customer
from models.orders.tables import Order, OrderEvent
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


_PRODUCT_AND_PACKAGE_SQL = (
    'SELECT "product".*, "package"."id" AS "package__id", "package"."price" AS "package__price"'
    ' FROM "product" LEFT JOIN "package" ON "package"."product_id" = "product"."id"'
    ' AND "package"."quantity" = ? WHERE "product"."key" = ? LIMIT 1'
)


# Each transaction's product reads, for its later orders (a launch is many orders of one
# product, several applied in one transaction): nothing on the order path writes the
# catalog, and an edit committed meanwhile reads as if the event had come a few ms sooner.
# Only inside a transaction, each its own (weakly keyed: gone with it).
_READ_IN: weakref.WeakKeyDictionary[
    BaseDBAsyncClient, dict[tuple[str, int], tuple[dict | None, tuple[int, int] | None]]
] = weakref.WeakKeyDictionary()


async def product_and_package(
    key: str, quantity: int, conn: BaseDBAsyncClient
) -> tuple[Product | None, tuple[int, int] | None]:
    """Product.filter(key=key).first() and the (id, price) of its package of `quantity`
    (Package.filter(product_id=..., quantity=...).first(); unique per pair), in one read,
    once a transaction (_READ_IN); a new Product object each call."""
    kept = _READ_IN.get(conn) if isinstance(conn, TransactionalDBClient) else None
    read = None if kept is None else kept.get((key, int(quantity)))
    if read is None:
        read = await _product_and_package(key, quantity, conn)
        if isinstance(conn, TransactionalDBClient):
            _READ_IN.setdefault(conn, {})[(key, int(quantity))] = read
    row, package = read
    return (None if row is None else Product._init_from_db(**row)), package


async def _product_and_package(
    key: str, quantity: int, conn: BaseDBAsyncClient
) -> tuple[dict | None, tuple[int, int] | None]:
    found = await rows(_PRODUCT_AND_PACKAGE_SQL, [int(quantity), key], conn)
    if not found:
        return None, None
    row = found[0]
    package_id = row.pop("package__id")
    package_price = row.pop("package__price")
    package = None if package_id is None else (int(package_id), int(package_price))
    return row, package


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


_EVENTS_SQL = 'SELECT "cause", "reference", "detail" FROM "order_event" WHERE "order_id" = ?'


async def recorded_events(order_id: int, conn: BaseDBAsyncClient) -> list[tuple[str, str, Any]]:
    """OrderEvent.filter(order_id=...).values_list("cause", "reference", "detail")."""
    detail = OrderEvent._meta.fields_map["detail"]
    found = await rows(_EVENTS_SQL, [order_id], conn)
    return [(r["cause"], r["reference"], detail.to_python_value(r["detail"])) for r in found]


_EVENT_SQL = (
    'INSERT INTO "order_event" ("created_at", "updated_at", "order_id", "from_status",'
    ' "to_status", "cause", "reference", "actor_id", "detail") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'
    ' RETURNING "id"'
)


async def insert_order_event(
    order_id: int,
    from_status: OrderStatus | None,
    to_status: OrderStatus,
    cause: str,
    reference: str,
    actor_id: int | None,
    detail: dict[str, Any],
    conn: BaseDBAsyncClient,
) -> int:
    """OrderEvent.create(...) for one event; its id. A replay breaks the unique key as before
    (IntegrityError, which apply_then retries)."""
    fields = OrderEvent._meta.fields_map
    now = fields["created_at"].to_db_value(datetime.now(UTC), None)
    values = [
        now,
        now,
        order_id,
        fields["from_status"].to_db_value(from_status, None),
        fields["to_status"].to_db_value(to_status, None),
        cause,
        reference,
        actor_id,
        fields["detail"].to_db_value(detail, OrderEvent),
    ]
    (row,) = await rows(_EVENT_SQL, values, conn)
    return int(row["id"])
