"""Stock codes: validated bulk import, atomic reservation, release, revocation, key rotation.

Plaintext codes exist only in memory here: they are encrypted before they are stored, and
nothing in this module logs one. Duplicates are found by keyed fingerprints, never by
decrypting stored rows.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.fernet import InvalidToken
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.base import StockStatus
from models.catalog.tables import Product
from models.errors import ShopError
from models.outbox.actions import is_postgres, queue_admin_alert
from models.outbox.raw_sql import changed
from models.stock.cipher import StockCipher, normalise_code

# An order's codes changing with it live in order_stock; re-exported for the order core.
from models.stock.order_stock import deliver_order_stock as deliver_order_stock
from models.stock.order_stock import mark_stock_delivered as mark_stock_delivered
from models.stock.order_stock import release_order_stock as release_order_stock
from models.stock.order_stock import restore_order_stock as restore_order_stock
from models.stock.order_stock import revoke_order_stock as revoke_order_stock
from models.stock.queries import available_up_to
from models.stock.tables import StockItem

log = logging.getLogger(__name__)

MAX_CODE_LENGTH = 500
_CONTROL = re.compile("[\x00-\x1f\x7f]")
# Codes checked and stored per batch: one duplicate query and one insert each.
_BATCH = 5000
# SQLite page cache during a large import (negative: KiB): the unique index of random
# fingerprints outgrows the default 2 MB and each insert then reads and writes pages.
_IMPORT_CACHE_KIB = -32768
_YIELD_EVERY = 250  # codes encrypted between two turns of the event loop (~3 ms)
# progress(done, total): called after each batch of a large import.
Progress = Callable[[int, int], None]


def _now() -> datetime:
    return datetime.now(UTC)


def code_problem(code: str) -> str | None:
    """Why a line cannot be a code, or None when it can."""
    if not code:
        return "empty"
    if len(code) > MAX_CODE_LENGTH:
        return f"longer than {MAX_CODE_LENGTH} characters"
    if _CONTROL.search(code):
        return "contains control characters"
    return None


@dataclass
class StockImport:
    """What an import did; `rejected` holds (line number, reason), never the code."""

    added: int = 0
    duplicates: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    duplicate_lines: list[int] = field(default_factory=list)
    released_orders: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return f"added {self.added}, duplicates {self.duplicates}, rejected {len(self.rejected)}"


async def import_codes(
    product: Product,
    lines: Iterable[str],
    cipher: StockCipher,
    *,
    added_by: int | None = None,
    connection: BaseDBAsyncClient,
    progress: Progress | None = None,
) -> StockImport:
    """Validates, de-duplicates (against stock under every key and within the batch), stores.

    Works in batches of _BATCH codes: one query finds the batch's fingerprints already
    stored, one bulk statement stores the new rows; `progress(done, total)` follows each.
    """
    report = StockImport()
    candidates: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, start=1):
        code = normalise_code(raw.rstrip("\r\n"))
        problem = code_problem(code)
        if problem:
            report.rejected.append((number, problem))
        else:
            candidates.append((number, code))
    big_sqlite = len(candidates) > _BATCH and not is_postgres(connection)
    if big_sqlite:
        _, rows = await connection.execute_query("PRAGMA cache_size")
        kept_cache = int(rows[0][0])
        await connection.execute_query(f"PRAGMA cache_size = {_IMPORT_CACHE_KIB}")
    try:
        await _import_batches(product, candidates, cipher, report, added_by, connection, progress)
    finally:
        if big_sqlite:
            await connection.execute_query(f"PRAGMA cache_size = {kept_cache}")
    log.info("stock import for %s: %s", product.key, report.summary())  # counts only, never codes
    return report


async def _import_batches(
    product: Product,
    candidates: list[tuple[int, str]],
    cipher: StockCipher,
    report: StockImport,
    added_by: int | None,
    connection: BaseDBAsyncClient,
    progress: Progress | None,
) -> None:
    seen: set[str] = set()
    encrypted: list[tuple[str, str]] = []
    for start in range(0, len(candidates), _BATCH):
        chunk = candidates[start : start + _BATCH]
        fresh = await _fresh_codes(product.id, chunk, cipher, seen, report, connection)
        # The previous batch is stored while this one is encrypted: the database works in
        # its own thread (SQLite) or server (PostgreSQL) meanwhile.
        storing = asyncio.ensure_future(_insert_stock(product.id, encrypted, added_by, connection))
        try:
            encrypted = await _encrypt(fresh, cipher)
        finally:
            await storing
        report.added += len(fresh)
        if progress is not None:
            progress(start + len(chunk), len(candidates))
    await _insert_stock(product.id, encrypted, added_by, connection)


async def _fresh_codes(
    product_id: int,
    chunk: list[tuple[int, str]],
    cipher: StockCipher,
    seen: set[str],
    report: StockImport,
    connection: BaseDBAsyncClient,
) -> list[tuple[str, str]]:
    """(fingerprint, code) of the chunk's codes not stored yet; duplicates are counted."""
    prints = [cipher.fingerprints(code) for _, code in chunk]
    stored = await _stored_fingerprints(
        product_id, [fp for fps in prints for fp in fps], connection
    )
    fresh: list[tuple[str, str]] = []
    for (number, code), fps in zip(chunk, prints, strict=True):
        if fps[0] in seen or not stored.isdisjoint(fps):
            report.duplicates += 1
            report.duplicate_lines.append(number)
            continue
        seen.add(fps[0])
        fresh.append((fps[0], code))
    return fresh


async def _encrypt(fresh: list[tuple[str, str]], cipher: StockCipher) -> list[tuple[str, str]]:
    """(ciphertext, fingerprint) rows; yields to the loop every few hundred codes."""
    rows: list[tuple[str, str]] = []
    for start in range(0, len(fresh), _YIELD_EVERY):
        chunk = fresh[start : start + _YIELD_EVERY]
        tokens = cipher.encrypt_many([code for _, code in chunk])
        rows.extend((token, fp) for token, (fp, _) in zip(tokens, chunk, strict=True))
        await asyncio.sleep(0)  # the insert in flight, and the bot's other work, move on
    return rows


# Raw SQL on the import path: the ORM built a model object per code and a statement of 400
# rows at a time, which cost more than the encryption itself (py-spy: Model.__init__ and
# bulk_create ~28 % of the import). Each engine gets the statement that suits it.
_STORED_SQLITE = (
    'SELECT "fingerprint" FROM "stock_item" WHERE "product_id" = ? '
    # One bound JSON array instead of thousands of parameters (SQLite caps their number).
    'AND "fingerprint" IN (SELECT "value" FROM json_each(?))'
)
_STORED_POSTGRES = (
    'SELECT "fingerprint" FROM "stock_item" WHERE "product_id" = $1 '
    'AND "fingerprint" = ANY($2::varchar[])'
)
_INSERT_SQLITE = (
    'INSERT INTO "stock_item" ("created_at", "updated_at", "product_id", "ciphertext", '
    '"fingerprint", "status", "added_by") VALUES (?, ?, ?, ?, ?, ?, ?)'
)
_STOCK_COLUMNS = (
    "created_at",
    "updated_at",
    "product_id",
    "ciphertext",
    "fingerprint",
    "status",
    "added_by",
)


async def _stored_fingerprints(
    product_id: int, fingerprints: list[str], connection: BaseDBAsyncClient
) -> set[str]:
    """Which of these fingerprints the product's stock already holds: one query, both engines."""
    if is_postgres(connection):
        _, rows = await connection.execute_query(_STORED_POSTGRES, [product_id, fingerprints])
    else:
        _, rows = await connection.execute_query(
            _STORED_SQLITE, [product_id, json.dumps(fingerprints)]
        )
    return {row["fingerprint"] for row in rows}


async def _insert_stock(
    product_id: int,
    rows: list[tuple[str, str]],
    added_by: int | None,
    connection: BaseDBAsyncClient,
) -> None:
    """Stores (ciphertext, fingerprint) rows as available stock, in the caller's transaction."""
    if not rows:
        return
    now = _now()
    available = StockStatus.AVAILABLE.value
    if is_postgres(connection):
        # COPY: the rows stream in one round trip, with no statement per row.
        records = [(now, now, product_id, token, fp, available, added_by) for token, fp in rows]
        async with connection.acquire_connection() as raw:
            await raw.copy_records_to_table("stock_item", records=records, columns=_STOCK_COLUMNS)
        return
    # SQLite: executemany runs the whole batch in one call of the database thread. The
    # timestamp text is the form Tortoise writes (str of an aware datetime).
    stamp = str(now)
    await connection.execute_many(
        _INSERT_SQLITE,
        [[stamp, stamp, product_id, token, fp, available, added_by] for token, fp in rows],
    )


# Reservation in one statement on each engine. 'available' is written into the SQL (not
# bound), so either planner may use the partial index idx_stock_item_available, and the
# order is `id + 0` (still oldest first), which only that index provides: its range is the
# product's available codes, whatever was sold before them (models/stock/tables.py).
# PostgreSQL picks the rows in a materialised CTE, evaluated once: as `id IN (SELECT ...
# LIMIT n FOR UPDATE SKIP LOCKED)` the planner may rerun the sub-select for each row it
# checks, and each rerun skips the rows this statement already changed, so one order took
# every code. RETURNING: the client counts the rows it reads back.
_RESERVE_POSTGRES = (
    'WITH "picked" AS MATERIALIZED (SELECT "id" FROM "stock_item" WHERE "product_id" = $3 '
    'AND "status" = \'available\' ORDER BY "id" + 0 LIMIT $4 FOR UPDATE SKIP LOCKED) '
    'UPDATE "stock_item" SET "status" = \'reserved\', "order_id" = $1, "reserved_at" = $2 '
    'FROM "picked" WHERE "stock_item"."id" = "picked"."id" RETURNING "stock_item"."id"'
)
_RESERVE_SQLITE = (
    'UPDATE "stock_item" SET "status" = \'reserved\', "order_id" = ?, "reserved_at" = ? '
    'WHERE "id" IN (SELECT "id" FROM "stock_item" WHERE "product_id" = ? '
    'AND "status" = \'available\' ORDER BY "id" + 0 LIMIT ?) AND "status" = \'available\''
)


async def reserve_stock(
    product_id: int, order_id: int, quantity: int, connection: BaseDBAsyncClient
) -> int:
    """Reserves up to `quantity` available codes for the order; returns how many it got.

    PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent buyers (also in other processes) take
    different rows without waiting. SQLite: the sub-select and the re-checked
    `status = 'available'` are evaluated atomically; the row count says how many were taken.
    """
    if quantity <= 0:
        return 0
    now = _now()
    if is_postgres(connection):
        taken, _ = await connection.execute_query(
            _RESERVE_POSTGRES, [order_id, now, product_id, quantity]
        )
        return taken
    # The timestamp text is the form Tortoise writes (str of an aware datetime).
    taken, _ = await connection.execute_query(
        _RESERVE_SQLITE, [order_id, str(now), product_id, quantity]
    )
    return taken


_LOW_STOCK_FLAG_SQL = (
    'UPDATE "product" SET "low_stock_alerted" = ? WHERE "id" = ? AND "low_stock_alerted" = ?'
)


async def check_low_stock(product: Product, connection: BaseDBAsyncClient) -> bool:
    """Tells the admins once per crossing below the threshold; re-arms above it."""
    if product.low_stock <= 0:
        return False
    # Counting stops at the threshold: the check costs the same with 100 or 100,000 codes.
    available = await available_up_to(product.id, product.low_stock, connection)
    # The flag's flips are raw (models.outbox.raw_sql): the re-arm runs on every paid order.
    if available >= product.low_stock:
        await changed(_LOW_STOCK_FLAG_SQL, [False, product.id, True], connection)
        return False
    flipped = await changed(_LOW_STOCK_FLAG_SQL, [True, product.id, False], connection)
    if flipped != 1:
        return False
    # The newest stock row identifies this crossing: it only changes when stock is added.
    newest = (
        await StockItem.filter(product_id=product.id)
        .using_db(connection)
        .order_by("-id")
        .limit(1)
        .values_list("id", flat=True)
    )
    marker = newest[0] if newest else 0
    await queue_admin_alert(
        f"Low stock: {product.name}",
        f"{product.key} has {available} code(s) left "
        f"(threshold {product.low_stock}). Add stock with /admin addstock.",
        dedupe_key=f"low-stock:{product.id}:{marker}",
        connection=connection,
    )
    return True


class UndecryptableStock(ShopError):
    """Stock rows that no configured key opens (a key was dropped too early)."""


async def rotate_stock_keys(cipher: StockCipher, batch: int = 200) -> int:
    """Re-encrypts every code under the newest key and recomputes its fingerprint.

    Returns how many rows were rewritten. Rows no key opens are left as they are and
    reported by UndecryptableStock after the others are done.
    """
    rotated = 0
    failed: list[int] = []
    last_id = 0
    while True:
        rows = await StockItem.filter(id__gt=last_id).order_by("id").limit(batch)
        if not rows:
            break
        async with in_transaction() as conn:
            for row in rows:
                try:
                    token = cipher.rotate(row.ciphertext)
                    fingerprint = cipher.fingerprint(cipher.decrypt(token))
                except InvalidToken:
                    failed.append(row.id)
                    continue
                await (
                    StockItem.filter(id=row.id)
                    .using_db(conn)
                    .update(ciphertext=token, fingerprint=fingerprint)
                )
                rotated += 1
        last_id = rows[-1].id
    if failed:
        shown = ", ".join(str(i) for i in failed[:20])
        raise UndecryptableStock(
            f"re-encrypted {rotated}; {len(failed)} code(s) open with no configured key "
            f"(stock ids {shown}{', ...' if len(failed) > 20 else ''})"
        )
    log.info("re-encrypted %s stock code(s) under the newest key", rotated)
    return rotated
