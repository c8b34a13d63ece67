"""Benchmark: the access sweep's cost does not grow with the number of timed orders.

Builds SQLite databases (migrated, then filled with raw inserts) holding TOTAL orders of a
timed role product, of which ENDED have just ended and are not swept; the rest ended long
ago and were swept, or end in the future. Times `sweep_ended_access()` (which queues one
revoke_role job per ended order) for the same ENDED with TOTAL = ENDED (the anchor) and
TOTAL = --orders, in the same run, and an empty sweep (nothing ended) at the larger size.

Run by hand: python bench/access_sweep.py --orders 100000 --ended 1000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.base import JobKind
from models.catalog.sync import sync_catalog
from models.database import close_database, open_database
from models.orders.access import sweep_ended_access
from models.outbox.tables import Job
from settings import ProductConfig

PASS = ProductConfig("pass", "Pass", "role", 500, "USD", role_id=777, duration_days=30)


def _stamp(moment: datetime) -> str:
    return str(moment.astimezone(UTC))


async def build(path: Path, total: int, ended: int, now: datetime) -> None:
    await open_database(f"sqlite://{path}")
    try:
        await sync_catalog([PASS])
    finally:
        await close_database()
    db = sqlite3.connect(path)
    try:
        product_id = db.execute("SELECT id FROM product WHERE key = 'pass'").fetchone()[0]
        customers = max(1, total // 2)
        created = _stamp(now - timedelta(days=400))
        db.executemany(
            "INSERT INTO customer (created_at, updated_at, discord_id, balance, currency, "
            "total_spent, total_topped_up, dms_closed) VALUES (?, ?, ?, 0, 'USD', 0, 0, 0)",
            ((created, created, 10**17 + i) for i in range(customers)),
        )

        def row(i: int) -> tuple:
            if i < ended:  # ended in the last minute, not swept
                until, swept = now - timedelta(seconds=1 + i % 50), None
            elif i % 2:  # ended long ago, swept then
                until = now - timedelta(days=1 + i % 300)
                swept = until
            else:  # still running
                until, swept = now + timedelta(days=1 + i % 30), None
            return (
                created,
                created,
                f"P-{i:08d}",
                f"pass-{i}",
                1 + i % customers,
                product_id,
                json.dumps({}),
                created,
                _stamp(until),
                None if swept is None else _stamp(swept),
            )

        db.executemany(
            'INSERT INTO "order" (created_at, updated_at, number, source, external_id, '
            "customer_id, product_id, product_name, quantity, amount, currency, status, "
            "payment_method, refunded_amount, needs_attention, attention_reason, details, "
            "paid_at, access_until, access_swept_until) VALUES (?, ?, ?, 'api', ?, ?, ?, "
            "'Pass', 1, 500, 'USD', 'delivered', 'external', 0, 0, '', ?, ?, ?, ?)",
            (row(i) for i in range(total)),
        )
        db.commit()
    finally:
        db.close()


async def timed_sweep(path: Path, now: datetime) -> tuple[float, int]:
    await open_database(f"sqlite://{path}")
    try:
        before = await Job.filter(kind=JobKind.REVOKE_ROLE).count()
        started = time.perf_counter()
        swept = await sweep_ended_access(now)
        seconds = time.perf_counter() - started
        jobs = await Job.filter(kind=JobKind.REVOKE_ROLE).count() - before
        assert jobs == len(swept), (jobs, len(swept))
        return seconds, len(swept)
    finally:
        await close_database()


async def main(total: int, ended: int) -> None:
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp, "small.sqlite3"), Path(tmp, "large.sqlite3")
        await build(small, ended, ended, now)
        await build(large, total, ended, now)
        anchor, n_small = await timed_sweep(small, now)
        measured, n_large = await timed_sweep(large, now)
        empty, n_empty = await timed_sweep(large, now)  # everything swept now
    print(f"sweep of {n_small:,} ended among {ended:,} timed orders: {anchor * 1000:.0f} ms")
    print(f"sweep of {n_large:,} ended among {total:,} timed orders: {measured * 1000:.0f} ms")
    print(f"ratio: {measured / anchor:.2f}x; per ended order {measured / n_large * 1000:.2f} ms")
    print(f"empty sweep (nothing ended, {n_empty}) among {total:,}: {empty * 1000:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--ended", type=int, default=1_000)
    args = parser.parse_args()
    asyncio.run(main(args.orders, args.ended))
