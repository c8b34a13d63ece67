"""Benchmark: concurrent wallet purchases competing for scarce stock, on SQLite or PostgreSQL.

Measures purchases per second and per-purchase latency (p50/p95/p99), and checks the
outcome (exactly as many fulfilled as codes, no code in two orders). Run by hand:

    python bench/purchases.py --buyers 400 --codes 300
    python bench/purchases.py --database postgres://postgres@127.0.0.1:5432/stockroom_bench

The PostgreSQL database must exist; its tables are emptied first.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet
from tortoise import Tortoise

from bench.crowd import percentile, run_crowd
from models import Order, StockItem
from models.base import OrderStatus
from models.catalog.sync import sync_catalog
from models.customers.wallet import credit
from models.database import close_database, open_database
from models.orders.purchases import purchase_with_wallet
from models.stock.cipher import StockCipher
from models.stock.restock import add_stock
from settings import ProductConfig

TABLES = (
    'wallet_transaction, order_event, stock_item, job, "order", customer, package, product, '
    "webhook_event, idempotency_record, bot_state"
)


async def run(database: str, buyers: int, codes: int, concurrency: int) -> dict[str, float]:
    await open_database(database)
    if database.startswith("postgres"):
        await Tortoise.get_connection("default").execute_script(
            f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"
        )
    await sync_catalog([ProductConfig("bench-key", "Bench key", "code", 100, "USD")])
    cipher = StockCipher((Fernet.generate_key().decode(),))
    started = time.perf_counter()
    await add_stock("bench-key", [f"BENCH-{i:08d}" for i in range(codes)], cipher)
    import_seconds = time.perf_counter() - started
    for buyer in range(buyers):
        await credit(10_000 + buyer, 1000, reference=f"bench-topup-{buyer}")

    crowd = await run_crowd(
        buyers,
        concurrency,
        lambda buyer: purchase_with_wallet(10_000 + buyer, "bench-key", reference=f"b{buyer}"),
    )

    paid = await Order.filter(status=OrderStatus.PAID).count()
    holders = await StockItem.exclude(order_id=None).values_list("order_id", flat=True)
    reserved = await StockItem.exclude(order_id=None).count()
    await close_database()
    if paid != min(buyers, codes) or reserved != paid or len(set(holders)) != paid:
        raise SystemExit(f"WRONG OUTCOME: paid={paid} reserved={reserved}")
    return {
        "buyers": buyers,
        "codes": codes,
        "fulfilled": paid,
        "refused": crowd.refused,
        "import_codes_per_s": codes / import_seconds,
        "purchases_per_s": buyers / crowd.elapsed,
        "p50_ms": statistics.median(crowd.latencies) * 1000,
        "p95_ms": percentile(crowd.latencies, 0.95) * 1000,
        "p99_ms": percentile(crowd.latencies, 0.99) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="")
    parser.add_argument("--buyers", type=int, default=400)
    parser.add_argument("--codes", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or f"sqlite://{tmp}/bench.sqlite3"
        result = asyncio.run(run(database, args.buyers, args.codes, args.concurrency))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine = database.split(":", 1)[0]
    print(
        f"engine={engine} "
        + " ".join(
            f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()
        )
    )


if __name__ == "__main__":
    main()
