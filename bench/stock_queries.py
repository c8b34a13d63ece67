"""Benchmark: the stock statements of one order, on a shop that sold many codes before.

Fills a fresh database (SQLite file, or the PostgreSQL database given) with `--sold` codes
already delivered (the oldest ids, as in any shop) and `--available` codes on sale, gathers
the planner's statistics, then times, one order at a time, in its own transaction each:

- reserve: models.stock.actions.reserve_stock of one code;
- low-stock count: models.stock.queries.available_up_to (runs on every paid order);
- codes of the order: models.stock.queries.held_count;

The anchor, in the same run and connection: one primary-key look-up of a stock row, the
cheapest statement there is. Prints each statement's median and p90 in ms and its ratio to the
anchor; the same figures with --sold 0 show whether the cost grows with the shop's history.

    python bench/stock_queries.py --sold 100000
    python bench/stock_queries.py --sold 100000 \
        --database postgres://postgres@127.0.0.1:5432/stockroom_bench

The PostgreSQL database must exist; its tables are emptied first.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tortoise import Tortoise
from tortoise.transactions import in_transaction

from bench.fulfilment_ratelimit import TABLES
from models.catalog.sync import sync_catalog
from models.catalog.tables import Product
from models.database import close_database, open_database
from models.orders.tables import Order
from models.stock.actions import reserve_stock
from models.stock.queries import available_up_to, held_count
from settings import load_settings

FILL = {
    "sqlite": (
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {count}) "
        "INSERT INTO stock_item (created_at, updated_at, ciphertext, fingerprint, status, "
        "product_id) SELECT '2026-12-01 10:00:00+00:00', '2026-12-01 10:00:00+00:00', "
        "'token', '{prefix}' || n, '{status}', {product} FROM seq"
    ),
    "postgres": (
        "INSERT INTO stock_item (created_at, updated_at, ciphertext, fingerprint, status, "
        "product_id) SELECT now(), now(), 'token', '{prefix}' || n, '{status}', {product} "
        "FROM generate_series(1, {count}) n"
    ),
}


async def fill(engine: str, product_id: int, sold: int, available: int) -> None:
    connection = Tortoise.get_connection("default")
    for count, prefix, status in ((sold, "sold-", "delivered"), (available, "free-", "available")):
        if count:
            sql = FILL[engine].format(
                count=int(count), prefix=prefix, status=status, product=product_id
            )
            await connection.execute_script(sql)
    await connection.execute_script("ANALYZE")


async def timed(samples: list[float], work: Callable[[], Awaitable[object]]) -> None:
    started = time.perf_counter()
    await work()
    samples.append((time.perf_counter() - started) * 1000)


async def measure(args: argparse.Namespace, database: str) -> dict[str, list[float]]:
    engine = "postgres" if database.startswith("postgres") else "sqlite"
    await open_database(database)
    try:
        connection = Tortoise.get_connection("default")
        if engine == "postgres":
            await connection.execute_script(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
        await sync_catalog(load_settings(environ={"DISCORD_APP_TOKEN": "x"}).products)
        product = await Product.get(key="game-key")
        await fill(engine, product.id, args.sold, args.available)
        anchor_id = args.sold + 1
        samples: dict[str, list[float]] = {
            "anchor: primary-key look-up": [],
            "reserve one code": [],
            "low-stock count": [],
            "codes of the order": [],
        }
        for n in range(args.orders):
            order = await Order.create(
                number=f"SR-B{n:05d}",
                source="generic",
                payment_method="external",
                external_id=f"bench-{n}",
                product_name="Game key",
                quantity=1,
                amount=500,
                currency="USD",
                product_id=product.id,
            )
            async with in_transaction() as conn:
                await timed(
                    samples["anchor: primary-key look-up"],
                    lambda: conn.execute_query(
                        'SELECT "status" FROM "stock_item" WHERE "id" = '
                        + ("$1" if engine == "postgres" else "?"),
                        [anchor_id],
                    ),
                )
                await timed(
                    samples["reserve one code"],
                    lambda: reserve_stock(product.id, order.id, 1, conn),  # noqa: B023
                )
                await timed(
                    samples["low-stock count"],
                    lambda: available_up_to(product.id, product.low_stock or 5, conn),
                )
                await timed(
                    samples["codes of the order"],
                    lambda: held_count(order.id, conn),  # noqa: B023
                )
        return samples
    finally:
        await close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sold", type=int, default=100_000)
    parser.add_argument("--available", type=int, default=2_000)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--database", default="", help="postgres://... (default: a new SQLite)")
    args = parser.parse_args()
    if args.orders > args.available:
        parser.error("--orders must not exceed --available")
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or f"sqlite://{tmp}/bench.sqlite3"
        samples = asyncio.run(measure(args, database))
    engine = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    print(
        f"{engine}: {args.sold:,} codes sold before, {args.available:,} on sale, "
        f"{args.orders} orders one at a time"
    )
    anchor = statistics.median(samples["anchor: primary-key look-up"])
    for name, values in samples.items():
        values.sort()
        median = statistics.median(values)
        p90 = values[int(len(values) * 0.9)]
        print(
            f"  {name:28s} median {median:7.3f} ms  p90 {p90:7.3f} ms  "
            f"x{median / anchor:6.1f} the anchor"
        )


if __name__ == "__main__":
    main()
