"""The raw INSERT of a new order and its number check, for every first external event.

Order.create built a model, then a query, for each new order (docs/PERFORMANCE.md); this
writes the same row: every value the ORM would have written (each given value through its
field's to_python_value then to_db_value, each missing one the field's default, created_at
and updated_at now) and reads the stored row back with RETURNING, through
models.outbox.raw_sql on both engines.
"""

from __future__ import annotations

from copy import deepcopy
from functools import cache
from typing import Any

from tortoise import timezone
from tortoise.backends.base.client import BaseDBAsyncClient

from models.orders.tables import Order
from models.outbox.raw_sql import rows

_NUMBER_SQL = 'SELECT 1 FROM "order" WHERE "number" = ? LIMIT 1'


async def number_taken(number: str, conn: BaseDBAsyncClient) -> bool:
    """Order.filter(number=number).exists()."""
    return bool(await rows(_NUMBER_SQL, [number], conn))


async def insert_order(given: dict[str, Any], conn: BaseDBAsyncClient) -> Order:
    """Order.create(**given): the stored row, as the model. Only plain fields (`customer_id`,
    not `customer`); an unknown name is a TypeError, None for a required field a ValueError,
    like the ORM."""
    names, stamps, sql = _statement()
    unknown = given.keys() - set(names)
    if unknown:
        raise TypeError(f"Order has no field {sorted(unknown)[0]!r}")
    now = timezone.localtime()
    values = [_db_value(name, given, name in stamps, now) for name in names]
    (row,) = await rows(sql, values, conn)
    return Order._init_from_db(**row)


@cache
def _statement() -> tuple[tuple[str, ...], frozenset[str], str]:
    """The field names in column order (customer_id, not customer; no generated id), those
    stamped now (auto_now, auto_now_add), and the INSERT. Built on first use: the foreign
    keys' columns exist only once Tortoise is initialised."""
    meta = Order._meta
    names = tuple(name for name in meta.fields_db_projection if not meta.fields_map[name].generated)
    stamps = frozenset(
        name
        for name in names
        if getattr(meta.fields_map[name], "auto_now", False)
        or getattr(meta.fields_map[name], "auto_now_add", False)
    )
    columns = ", ".join(f'"{meta.fields_db_projection[name]}"' for name in names)
    marks = ", ".join("?" * len(names))
    return names, stamps, f'INSERT INTO "order" ({columns}) VALUES ({marks}) RETURNING *'


def _db_value(name: str, given: dict[str, Any], stamp: bool, now: Any) -> Any:
    field = Order._meta.fields_map[name]
    if stamp:
        return field.to_db_value(now, None)
    if name in given:
        value = given[name]
        if value is None and not field.null:
            raise ValueError(f"{name} is non nullable field, but null was passed")
        return field.to_db_value(field.to_python_value(value), None)
    return field.to_db_value(_default(field.default), None)


def _default(default: Any) -> Any:
    """The value Model.__init__ gives a field that was not passed."""
    if callable(default):
        return default()
    if default is None or isinstance(default, (int, float, str, bool, bytes)):
        return default
    return deepcopy(default)
