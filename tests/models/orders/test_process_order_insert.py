"""insert_order's renumbering INSERT (ON CONFLICT on the number) and its converters worked
out once, against the ORM's rows and the full conversions (both engines)."""

from __future__ import annotations

import pytest
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.orders import order_insert
from models.orders.order_insert import insert_order
from models.orders.tables import Order
from models.outbox.raw_sql import default_connection, rows

_GIVEN = {"source": "generic", "payment_method": "external", "product_name": "VIP"}


async def _stored(order_id: int) -> dict:
    (row,) = await rows('SELECT * FROM "order" WHERE "id" = ?', [order_id])
    return row


async def test_a_taken_number_is_drawn_again(db: str) -> None:
    conn = default_connection()
    await insert_order({"number": "SR-TAKEN", "external_id": "a", **_GIVEN}, conn)
    drawn = iter(["SR-TAKEN", "SR-FRESH"])
    order = await insert_order(
        {"number": "SR-TAKEN", "external_id": "b", **_GIVEN}, conn, renumber=lambda: next(drawn)
    )
    assert order.number == "SR-FRESH" and order.external_id == "b"
    assert next(drawn, None) is None  # drawn until free
    orm = await Order.create(number="SR-ORM", external_id="c", **_GIVEN)
    raw_row, orm_row = await _stored(order.id), await _stored(orm.id)
    for column in raw_row:
        if column not in ("id", "number", "external_id", "created_at", "updated_at"):
            assert raw_row[column] == orm_row[column], column
            assert type(raw_row[column]) is type(orm_row[column]), column
    assert await Order.filter(number="SR-TAKEN").count() == 1


async def test_a_free_number_is_kept_without_drawing(db: str) -> None:
    conn = default_connection()

    def never() -> str:
        raise AssertionError("drew a number for a free one")

    order = await insert_order({"number": "SR-FREE", **_GIVEN}, conn, renumber=never)
    assert (await Order.get(id=order.id)).number == "SR-FREE"


async def test_the_same_external_order_still_conflicts(db: str) -> None:
    conn = default_connection()
    await insert_order({"number": "SR-ONE", "external_id": "same", **_GIVEN}, conn)
    with pytest.raises(IntegrityError):
        async with in_transaction() as tx:
            await insert_order(
                {"number": "SR-TWO", "external_id": "same", **_GIVEN}, tx, renumber=lambda: "x"
            )
    with pytest.raises(IntegrityError):  # and without renumber, a taken number raises
        async with in_transaction() as tx:
            await insert_order({"number": "SR-ONE", **_GIVEN}, tx)
    assert await Order.all().count() == 1


async def test_values_worked_out_once_are_the_full_conversions(db: str) -> None:
    plan = order_insert._statement()
    checked = 0
    for column in plan.columns:
        field = column.field
        if column.null_db is not order_insert._UNSET:
            assert column.null_db == field.to_db_value(field.to_python_value(None), None)
            checked += 1
        if column.default_db is not order_insert._UNSET:
            assert not callable(field.default)
            assert column.default_db == field.to_db_value(field.default, None)
            assert type(column.default_db) is type(field.to_db_value(field.default, None))
            checked += 1
    assert checked > 10
    # A callable default (details: dict) is still called for each row: not shared.
    conn = default_connection()
    first = await insert_order({"number": "SR-D1", **_GIVEN}, conn)
    first.details["x"] = 1
    second = await insert_order({"number": "SR-D2", **_GIVEN}, conn)
    assert second.details == {} and first.details is not second.details
