"""Stock import, duplicates under rotated keys, rotation, low-stock alerts, plaintext at rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.base import JobKind, OrderStatus
from models.catalog.tables import Product
from models.errors import InvalidInput, NotFound
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.actions import UndecryptableStock, rotate_stock_keys
from models.stock.cipher import StockCipher
from models.stock.queries import codes_for_order, stock_counts
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from tests.models.conftest import external


async def test_import_reports_added_duplicates_and_rejected_with_line_numbers(
    catalog, cipher
) -> None:
    lines = ["  KEY-1 ", "", "KEY-2", "KEY-1", "x" * 501, "BAD\x07CODE", "KEY-3", "KEY-2"]
    report = await add_stock("game-key", lines, cipher)
    assert (report.added, report.duplicates) == (3, 2)
    assert report.rejected == [
        (2, "empty"),
        (5, "longer than 500 characters"),
        (6, "contains control characters"),
    ]
    assert report.summary() == "added 3, duplicates 2, rejected 3"
    again = await add_stock("game-key", ["KEY-3", "KEY-4"], cipher)
    assert (again.added, again.duplicates) == (1, 1)
    assert (await stock_counts())["game-key"]["available"] == 4


async def test_a_large_import_finds_duplicates_across_batches_and_reports_progress(
    catalog, keys
) -> None:
    old, new = keys
    await add_stock("game-key", ["BIG-00007", "BIG-11000"], StockCipher((old,)))
    lines = [f"BIG-{i:05d}" for i in range(12_000)] + ["BIG-00003", "BIG-11999"]
    steps: list[tuple[int, int]] = []
    cipher = StockCipher((new, old))
    report = await add_stock("game-key", lines, cipher, progress=lambda *s: steps.append(s))
    assert (report.added, report.duplicates) == (11_998, 4)
    assert report.duplicate_lines == [8, 11_001, 12_001, 12_002]
    assert steps == [(5_000, 12_002), (10_000, 12_002), (12_002, 12_002)]
    rows = await StockItem.filter(fingerprint=cipher.fingerprint("BIG-11998")).all()
    assert [cipher.decrypt(row.ciphertext) for row in rows] == ["BIG-11998"]
    assert rows[0].created_at.utcoffset() is not None and rows[0].status == "available"
    assert await StockItem.filter(product__key="game-key").count() == 12_000


async def test_the_same_code_in_another_product_is_not_a_duplicate(catalog, cipher) -> None:
    await add_stock("game-key", ["SHARED"], cipher)
    assert (await add_stock("bundle", ["SHARED"], cipher)).added == 1


async def test_unknown_or_role_product_is_refused(catalog, cipher) -> None:
    with pytest.raises(NotFound):
        await add_stock("nope", ["A"], cipher)
    with pytest.raises(InvalidInput):
        await add_stock("vip", ["A"], cipher)


async def test_duplicates_are_found_across_key_rotation(catalog, keys) -> None:
    old, new = keys
    await add_stock("game-key", ["ALPHA", "BETA"], StockCipher((old,)))
    rotated = StockCipher((new, old))
    report = await add_stock("game-key", ["ALPHA", "GAMMA"], rotated)
    assert (report.added, report.duplicates) == (1, 1)
    # After rotation every row carries the new fingerprint: still found with the old key gone.
    assert await rotate_stock_keys(rotated) == 3
    new_only = StockCipher((new,))
    report = await add_stock("game-key", ["BETA", "DELTA"], new_only)
    assert (report.added, report.duplicates) == (1, 1)


async def test_rotation_re_encrypts_every_row_readable_with_only_the_new_key(catalog, keys) -> None:
    old, new = keys
    codes = [f"ROT-{i}" for i in range(450)]  # more than one rotation batch
    await add_stock("game-key", codes, StockCipher((old,)))
    before = dict(await StockItem.all().values_list("id", "ciphertext"))
    assert await rotate_stock_keys(StockCipher((new, old))) == 450
    new_only = StockCipher((new,))
    rows = await StockItem.all().order_by("id")
    assert all(row.ciphertext != before[row.id] for row in rows)
    assert [new_only.decrypt(row.ciphertext) for row in rows] == codes
    assert all(
        row.fingerprint == new_only.fingerprint(c) for row, c in zip(rows, codes, strict=True)
    )


async def test_rotation_reports_rows_no_key_opens(catalog, keys) -> None:
    old, new = keys
    await add_stock("game-key", ["LOST"], StockCipher((old,)))
    await add_stock("game-key", ["KEPT"], StockCipher((new,)))
    with pytest.raises(UndecryptableStock) as caught:
        await rotate_stock_keys(StockCipher((new,)))
    assert "1 code(s) open with no configured key" in caught.value.message
    assert "LOST" not in caught.value.message


async def test_low_stock_alert_once_per_crossing(catalog, cipher) -> None:
    # threshold 3 for game-key
    await add_stock("game-key", [f"L-{i}" for i in range(4)], cipher)
    alerts = Job.filter(kind=JobKind.NOTIFY_ADMIN, dedupe_key__startswith="low-stock:")
    for i in range(4):
        await apply_payment_event(external(f"low-{i}", PaymentStatus.PAID, "e"))
    assert await alerts.count() == 1  # 4 -> 2 crossed once; 1 and 0 do not alert again
    assert (await Product.get(key="game-key")).low_stock_alerted
    await add_stock("game-key", [f"M-{i}" for i in range(5)], cipher)
    assert not (await Product.get(key="game-key")).low_stock_alerted
    for i in range(3):
        await apply_payment_event(external(f"low2-{i}", PaymentStatus.PAID, "e"))
    assert await alerts.count() == 2


async def test_waiting_orders_are_released_oldest_first(catalog, cipher) -> None:
    ids = []
    for i in range(3):
        result = await apply_payment_event(external(f"wait-{i}", PaymentStatus.PAID, "e"))
        assert result.status is OrderStatus.AWAITING_STOCK
        ids.append(result.order_id)
    report = await add_stock("game-key", ["FIRST", "SECOND"], cipher)
    assert report.released_orders == ids[:2]
    assert await codes_for_order(ids[0], cipher) == ["FIRST"]
    assert await codes_for_order(ids[1], cipher) == ["SECOND"]
    assert (await Order.get(id=ids[2])).status is OrderStatus.AWAITING_STOCK
    admin = await Job.filter(kind=JobKind.NOTIFY_ADMIN, order_id=ids[0]).count()
    assert admin == 1  # "waiting for stock" told once
    deliveries = await Job.filter(kind=JobKind.DELIVER_CODES).values_list("order_id", flat=True)
    assert sorted(deliveries) == ids[:2]


async def test_refunded_undelivered_codes_go_to_the_next_waiting_order(catalog, cipher) -> None:
    await add_stock("game-key", ["ONLY"], cipher)
    first = await apply_payment_event(external("r-1", PaymentStatus.PAID, "e"))
    second = await apply_payment_event(external("r-2", PaymentStatus.PAID, "e"))
    assert second.status is OrderStatus.AWAITING_STOCK
    await apply_payment_event(external("r-1", PaymentStatus.REFUNDED, "e2"))
    assert (await Order.get(id=second.order_id)).status is OrderStatus.PAID
    assert await codes_for_order(second.order_id, cipher) == ["ONLY"]
    assert await codes_for_order(first.order_id, cipher) == []


async def test_sqlite_file_holds_no_plaintext_code(catalog, cipher, keys, database_url) -> None:
    if not database_url.startswith("sqlite://"):
        pytest.skip("the file check is about the SQLite file")
    codes = [f"PLAIN-SECRET-{i:04}-ZQX" for i in range(30)]
    await add_stock("game-key", codes, cipher)
    for i in range(5):
        await apply_payment_event(external(f"pt-{i}", PaymentStatus.PAID, "e", quantity=2))
    await rotate_stock_keys(StockCipher((keys[1], keys[0])))
    path = Path(database_url[len("sqlite://") :])
    raw = b"".join(
        Path(f"{path}{suffix}").read_bytes()
        for suffix in ("", "-wal")
        if Path(f"{path}{suffix}").exists()
    )
    assert len(raw) > 0 and b"game-key" in raw  # the file really holds the shop's data
    for code in codes:
        assert code.encode() not in raw
        assert code.encode("utf-16-le") not in raw


async def test_a_large_import_on_sqlite_gives_the_page_cache_back(catalog, cipher) -> None:
    from tortoise import Tortoise

    connection = Tortoise.get_connection("default")
    if connection.schema_generator.DIALECT == "postgres":
        pytest.skip("the page cache is SQLite's")
    _, before = await connection.execute_query("PRAGMA cache_size")
    report = await add_stock("game-key", [f"CACHE-{i:05d}" for i in range(6_000)], cipher)
    assert report.added == 6_000
    _, after = await connection.execute_query("PRAGMA cache_size")
    assert after[0][0] == before[0][0]
