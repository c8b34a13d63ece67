"""deliver_order_stock (one statement) against restore_order_stock + mark_stock_delivered."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tortoise import Tortoise

from models.orders.actions import mark_delivered
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.tables import Order
from models.stock.order_stock import (
    deliver_order_stock,
    mark_stock_delivered,
    restore_order_stock,
)
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from tests.models.conftest import external
from tests.models.sql_log import sql_run

SENT_BEFORE = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


async def _order_with_mixed_codes(external_id: str) -> int:
    """A paid order of four codes: two reserved, one revoked and one delivered (both with a
    delivered_at from before), beside another order's reserved code and available stock."""
    paid = external(external_id, PaymentStatus.PAID, f"paid-{external_id}", quantity=4)
    order_id = (await apply_payment_event(paid)).order_id
    codes = await StockItem.filter(order_id=order_id).order_by("id")
    assert [c.status for c in codes] == ["reserved"] * 4
    await StockItem.filter(id=codes[2].id).update(status="revoked", delivered_at=SENT_BEFORE)
    await StockItem.filter(id=codes[3].id).update(status="delivered", delivered_at=SENT_BEFORE)
    return order_id


def _shape(text: object) -> str:
    return re.sub(r"\d", "9", str(text))


async def _rows(order_id: int) -> list[tuple[str, datetime | None]]:
    codes = await StockItem.filter(order_id=order_id).order_by("id")
    return [(c.status, c.delivered_at) for c in codes]


async def _stored_texts(order_id: int) -> list[str]:
    conn = Tortoise.get_connection("default")
    mark = "$1" if conn.schema_generator.DIALECT == "postgres" else "?"
    _, found = await conn.execute_query(
        f'SELECT "delivered_at" FROM "stock_item" WHERE "order_id" = {mark} ORDER BY "id"',
        [order_id],
    )
    return [_shape(row["delivered_at"]) for row in found]


async def test_one_statement_leaves_the_rows_the_two_did(catalog, cipher) -> None:
    await add_stock("game-key", [f"K-{n}" for n in range(12)], cipher)
    two = await _order_with_mixed_codes("two")
    one = await _order_with_mixed_codes("one")
    other = await apply_payment_event(external("other", PaymentStatus.PAID, "paid-other"))
    conn = Tortoise.get_connection("default")
    before = datetime.now(UTC)
    await restore_order_stock(two, True, conn)
    await mark_stock_delivered(two, conn)
    assert await deliver_order_stock(one, conn) == 3  # two reserved, one revoked
    after = datetime.now(UTC)
    by_two, by_one = await _rows(two), await _rows(one)
    assert [status for status, _ in by_one] == [status for status, _ in by_two]
    assert [status for status, _ in by_one] == ["delivered"] * 4
    # Reserved codes stamped now; the revoked and the delivered one keep their time.
    for rows in (by_two, by_one):
        assert all(before <= at <= after for _, at in rows[:2])
        assert [at for _, at in rows[2:]] == [SENT_BEFORE, SENT_BEFORE]
    assert await _stored_texts(one) == await _stored_texts(two)
    assert [c.status for c in await StockItem.filter(order_id=other.order_id)] == ["reserved"]
    assert await StockItem.filter(status="available").count() == 12 - 9
    assert await deliver_order_stock(one, conn) == 0  # nothing left to change


async def _delivered_statements(order_id: int) -> list[str]:
    with sql_run() as sql:
        await mark_delivered(order_id)
    return [s for s in sql if '"stock_item"' in s]


async def test_the_delivered_fact_marks_every_code_without_counting(catalog, cipher) -> None:
    await add_stock("game-key", ["A-1", "A-2", "A-3"], cipher)
    paid = external("full", PaymentStatus.PAID, "paid-full", quantity=2)
    order_id = (await apply_payment_event(paid)).order_id
    statements = await _delivered_statements(order_id)
    assert len(statements) == 1 and statements[0].startswith('UPDATE "stock_item"')
    assert [s for s, _ in await _rows(order_id)] == ["delivered", "delivered"]
    order = await Order.get(id=order_id)
    assert order.status == "delivered"


async def test_an_order_short_of_a_code_is_counted_topped_up_and_marked(catalog, cipher) -> None:
    await add_stock("game-key", ["B-1", "B-2", "B-3"], cipher)
    paid = external("short", PaymentStatus.PAID, "paid-short", quantity=2)
    order_id = (await apply_payment_event(paid)).order_id
    first = (await StockItem.filter(order_id=order_id).order_by("id"))[0]
    await StockItem.filter(id=first.id).update(status="available", order_id=None)
    statements = await _delivered_statements(order_id)
    assert any("COUNT(*)" in s for s in statements)  # one changed: held is counted
    rows = await _rows(order_id)
    assert [s for s, _ in rows] == ["delivered", "delivered"]
    assert all(at is not None for _, at in rows)
    assert (await Order.get(id=order_id)).status == "delivered"
