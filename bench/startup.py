"""Benchmark: `python bot.py` start to ready, and its memory, with a large shop vs an empty one.

Builds SQLite databases (migrated, then filled with raw inserts: N codes, N orders of which
half grant a role, N/5 customers), starts the real bot as a subprocess against the project's
Discord emulator (run in this process, on 127.0.0.1) and measures, for the empty database
(the anchor) and the large one in the same run:

- start to ready: process start until the bot is READY (its delivery worker's start line),
  and until the start-up role reconciliation's log line;
- resident memory (VmRSS of the bot process) at ready and after reconciliation.

Run by hand: python bench/startup.py --codes 100000 --orders 100000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet

from bench.bot_process import rss_mb, running_bot
from demo.emulator.server import DiscordEmulator
from models.catalog.sync import sync_catalog
from models.database import close_database, open_database
from settings import load_settings

STAMP = "2026-11-30 10:00:00+00:00"


async def build_database(path: Path, codes: int, orders: int) -> None:
    """A migrated SQLite file holding the catalog, then codes, customers and orders."""
    url = f"sqlite://{path}"
    await open_database(url)
    try:
        await sync_catalog(load_settings(environ={"DISCORD_APP_TOKEN": "x"}).products)
    finally:
        await close_database()
    if not codes and not orders:
        return
    db = sqlite3.connect(path)
    try:
        products = dict(db.execute("SELECT key, id FROM product"))
        token = Fernet(Fernet.generate_key()).encrypt(b"BENCH-CODE").decode()
        db.executemany(
            "INSERT INTO stock_item (created_at, updated_at, ciphertext, fingerprint, status, "
            "product_id) VALUES (?, ?, ?, ?, 'available', ?)",
            ((STAMP, STAMP, token, f"{i:064x}", products["game-key"]) for i in range(codes)),
        )
        customers = max(1, orders // 5)
        db.executemany(
            "INSERT INTO customer (created_at, updated_at, discord_id, balance, currency, "
            "total_spent, total_topped_up, dms_closed) VALUES (?, ?, ?, 0, 'USD', 0, 0, 0)",
            ((STAMP, STAMP, 10**17 + i) for i in range(customers)),
        )
        db.executemany(
            'INSERT INTO "order" (created_at, updated_at, number, source, external_id, '
            "customer_id, product_id, product_name, quantity, amount, currency, status, "
            "payment_method, refunded_amount, needs_attention, attention_reason, details, "
            "paid_at) VALUES (?, ?, ?, 'api', ?, ?, ?, 'Bench', 1, 500, 'USD', 'delivered', "
            "'external', 0, 0, '', ?, ?)",
            (
                (
                    STAMP,
                    STAMP,
                    f"B-{i:08d}",
                    f"bench-{i}",
                    1 + i % customers,
                    products["vip" if i % 2 else "game-key"],
                    json.dumps({"bench": True}),
                    STAMP,
                )
                for i in range(orders)
            ),
        )
        db.commit()
    finally:
        db.close()


async def measure(emulator: DiscordEmulator, database: Path) -> dict[str, float]:
    """Starts bot.py on the database; seconds to ready and to reconciled, RSS at each."""
    result: dict[str, float] = {}
    async with running_bot(emulator, database) as bot:
        # The delivery worker logs its start once READY has arrived (cogs/delivery/cog.py).
        await bot.wait_for_log(
            lambda log: bool(re.search(r"delivery worker \S+ started", log)),
            "the bot did not become ready",
            poll=0.01,
        )
        result["ready_s"] = bot.elapsed()
        result["ready_rss_mb"] = rss_mb(bot.process.pid)
        await bot.wait_for_log(
            lambda log: "start-up role reconciliation:" in log,
            "no reconciliation line",
            poll=0.01,
        )
        result["reconciled_s"] = bot.elapsed()
        await asyncio.sleep(1)  # settle: the worker's first polls, the garbage collector
        result["settled_rss_mb"] = rss_mb(bot.process.pid)
    return result


@asynccontextmanager
async def shop_databases(
    codes: int, orders: int
) -> AsyncIterator[tuple[DiscordEmulator, Path, Path, float]]:
    """The emulator, running; an empty database (the anchor) and one of `codes` codes and
    `orders` orders in a temporary folder; the seconds the large one took to build."""
    emulator = DiscordEmulator()
    await emulator.start()
    try:
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
            empty, large = Path(tmp) / "empty.sqlite3", Path(tmp) / "large.sqlite3"
            await build_database(empty, 0, 0)
            began = time.perf_counter()
            await build_database(large, codes, orders)
            yield emulator, empty, large, time.perf_counter() - began
    finally:
        await emulator.stop()


async def main(codes: int, orders: int) -> None:
    async with shop_databases(codes, orders) as (emulator, empty, large, built):
        # A first start registers the slash commands with the emulator; later starts
        # find them unchanged. Warm up once so the anchor and the shop start alike.
        await measure(emulator, empty)
        anchor = await measure(emulator, empty)
        shop = await measure(emulator, large)
    print(f"database with {codes:,} codes and {orders:,} orders built in {built:.1f} s")
    print("                  empty (anchor)   large     ratio")
    for key, label in (
        ("ready_s", "start to ready s"),
        ("reconciled_s", "to reconciled s"),
        ("ready_rss_mb", "RSS at ready MB"),
        ("settled_rss_mb", "RSS settled MB"),
    ):
        print(f"  {label:16} {anchor[key]:9.2f} {shop[key]:9.2f} {shop[key] / anchor[key]:8.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    asyncio.run(main(args.codes, args.orders))
