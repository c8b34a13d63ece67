"""The raw INSERT of a new order, for every first external event.

Order.create built a model, then a query, for each new order (docs/PERFORMANCE.md); this
writes the same row: every value the ORM would have written (each given value through its
field's to_python_value then to_db_value, each missing one the field's default, created_at
and updated_at now) and reads the stored row back with RETURNING, through
models.outbox.raw_sql on both engines.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

from tortoise import timezone
from tortoise.backends.base.client import BaseDBAsyncClient

from models.orders.tables import Order
from models.outbox.raw_sql import rows


async def insert_order(
    given: dict[str, Any], conn: BaseDBAsyncClient, *, renumber: Callable[[], str] | None = None
) -> Order:
    """Order.create(**given): the stored row, as the model. Only plain fields (`customer_id`,
    not `customer`); an unknown name is a TypeError, None for a required field a ValueError,
    like the ORM.

    With `renumber`, a `number` another order holds is replaced by `renumber()` and the row
    written again (the INSERT skips that one conflict): no number check before it. Any other
    conflict (the same external order) raises, as without it.
    """
    plan = _statement()
    unknown = given.keys() - plan.known
    if unknown:
        raise TypeError(f"Order has no field {sorted(unknown)[0]!r}")
    now = timezone.localtime()
    values = [_db_value(column, given, now) for column in plan.columns]
    if renumber is None:
        (row,) = await rows(plan.sql, values, conn)
        return Order._init_from_db(**row)
    while not (found := await rows(plan.renumbered_sql, values, conn)):
        values[plan.number_at] = _db_value(
            plan.columns[plan.number_at], {"number": renumber()}, now
        )
    return Order._init_from_db(**found[0])


_UNSET = object()
# Defaults of these types are not copied for each row (Model.__init__ copies none but an
# Enum, whose copy is itself), so one db value serves every row.
_CONSTANT = (int, float, str, bool, bytes, type(None), Enum)


@dataclass(frozen=True)
class _Column:
    """How one field's value is written: stamped now, given, or its default."""

    name: str
    field: Any
    stamp: bool
    # to_db_value(to_python_value(None)) for a nullable field, worked out once (pure).
    null_db: Any
    # The db value of a constant default, worked out once; _UNSET for a callable one, or for
    # a required field (no default: converting its None refuses it at each insert).
    default_db: Any


@dataclass(frozen=True)
class _Plan:
    columns: tuple[_Column, ...]
    known: frozenset[str]
    number_at: int
    sql: str
    renumbered_sql: str


@cache
def _statement() -> _Plan:
    """The field names in column order (customer_id, not customer; no generated id), how
    each is written, and the INSERT. Built on first use: the foreign keys' columns exist only
    once Tortoise is initialised."""
    meta = Order._meta
    names = tuple(name for name in meta.fields_db_projection if not meta.fields_map[name].generated)
    columns = []
    for name in names:
        field = meta.fields_map[name]
        stamp = bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
        null_db = field.to_db_value(field.to_python_value(None), None) if field.null else _UNSET
        constant = isinstance(field.default, _CONSTANT) and (
            field.default is not None or field.null
        )
        default_db = _default_db(field) if constant else _UNSET
        columns.append(_Column(name, field, stamp, null_db, default_db))
    listed = ", ".join(f'"{meta.fields_db_projection[name]}"' for name in names)
    marks = ", ".join("?" * len(names))
    sql = f'INSERT INTO "order" ({listed}) VALUES ({marks})'
    return _Plan(
        tuple(columns),
        frozenset(names),
        names.index("number"),
        f"{sql} RETURNING *",
        f'{sql} ON CONFLICT ("number") DO NOTHING RETURNING *',
    )


def _db_value(column: _Column, given: dict[str, Any], now: Any) -> Any:
    field = column.field
    if column.stamp:
        return field.to_db_value(now, None)
    name = column.name
    if name in given:
        value = given[name]
        if value is None:
            if column.null_db is _UNSET:
                raise ValueError(f"{name} is non nullable field, but null was passed")
            return column.null_db
        return field.to_db_value(field.to_python_value(value), None)
    if column.default_db is not _UNSET:
        return column.default_db
    return _default_db(field)


def _default_db(field: Any) -> Any:
    """The db value of what Model.__init__ gives a field that was not passed."""
    default = field.default
    if callable(default):
        default = default()
    elif not isinstance(default, _CONSTANT):
        default = deepcopy(default)
    return field.to_db_value(default, None)
