"""Benchmark: inbox-to-DM throughput on PostgreSQL with one worker process against two.

For each worker count, a fresh PostgreSQL database and the Discord emulator (its limits
lifted: this measures the bot, not Discord's 50/s): `python bot.py --role gateway`, one
`--role web`, and N `--role worker` processes, as the README's scale-out deployment runs them.
N paid one-code orders (the `game-key` product: a DM, no role, so the gateway's role jobs stay
out of it) are posted to the web process first, which only stores them; then the workers are
started; the clock runs from the first order's DM to the last's (the workers' start-up is
not counted). Prints orders/s
per worker count and the ratio of two workers to one (the scale-out issue's target: >= 1.7x),
with the load average, since every process shares this machine's cores.

    TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/scale.py --orders 600

Exits non-zero when an order is not delivered exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from cryptography.fernet import Fernet

from demo.emulator.server import DiscordEmulator
from tests.lifecycle.conftest import (
    BotProcess,
    _admin,
    _with_database,
    add_stock,
    bot_environment,
    free_port,
    paid_order,
    post_webhook,
)
from tests.lifecycle.test_signals import order_dms

UNLIMITED = 1_000_000


async def post_all(web: BotProcess, count: int, buyers: list[int], concurrency: int) -> None:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(n)

    async def sender(http: aiohttp.ClientSession) -> None:
        while not queue.empty():
            n = queue.get_nowait()
            for _ in range(100):
                status, _ = await post_webhook(
                    http, web, paid_order(f"scale-{n}", buyers[n % len(buyers)])
                )
                if status == 200:
                    break
                await asyncio.sleep(0.1)
            else:
                raise SystemExit(f"order scale-{n} was never acknowledged")

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:
        await asyncio.gather(*(sender(http) for _ in range(concurrency)))


def delivered(emulator: DiscordEmulator, buyers: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for buyer in buyers:
        for number, times in order_dms(emulator, buyer).items():
            counts[number] = counts.get(number, 0) + times
    return counts


async def one_run(base_url: str, workers: int, orders: int, within: float) -> float:
    name = f"stockroom_scale_bench_{secrets.token_hex(4)}"
    admin_url = _with_database(base_url, "postgres")
    await _admin(admin_url, f'CREATE DATABASE "{name}"')
    database_url = _with_database(base_url, name)
    emulator = DiscordEmulator()
    emulator.faults.global_limit = UNLIMITED
    emulator.faults.route_limit = (UNLIMITED, 1.0)
    await emulator.start()
    bots: list[BotProcess] = []
    try:
        with tempfile.TemporaryDirectory() as scratch:
            tmp = Path(scratch)
            key = Fernet.generate_key().decode()

            def process(role: str) -> BotProcess:
                env = bot_environment(
                    emulator,
                    database_url,
                    tmp,
                    {"STOCK_ENCRYPTION_KEYS": key, "LOG_LEVEL": "WARNING"},
                )
                env["WEBHOOK_PORT"] = str(free_port())
                bot = BotProcess(
                    env,
                    tmp / f"{role}-{len(bots)}.log",
                    int(env["WEBHOOK_PORT"]),
                    args=("--role", role),
                )
                bots.append(bot)
                return bot

            gateway, web = process("gateway"), process("web")
            crew = [process("worker") for _ in range(workers)]
            await add_stock(gateway, "game-key", [f"SCALE-{n:06d}" for n in range(orders)], tmp)
            await gateway.start()
            await web.start()
            buyers = [emulator.world.alice.id, emulator.world.bob.id]
            await post_all(web, orders, buyers, concurrency=8)
            began = time.perf_counter()
            await asyncio.gather(*(worker.start(healthy=False) for worker in crew))
            deadline = began + within
            first = None  # the clock runs from the first DM: workers' start-up is not counted
            while len(delivered(emulator, buyers)) < orders:
                if first is None and delivered(emulator, buyers):
                    first = time.perf_counter()
                if time.perf_counter() > deadline:
                    raise SystemExit(
                        f"{workers} worker(s): {len(delivered(emulator, buyers))} of {orders} "
                        f"delivered in {within:.0f} s\n{crew[0].log_tail()}"
                    )
                await asyncio.sleep(0.05)
            seconds = time.perf_counter() - (first or began)
            counts = delivered(emulator, buyers)
            if any(times != 1 for times in counts.values()):
                raise SystemExit(f"{workers} worker(s): a DM was sent twice")
            for bot in bots:
                await bot.stop()
            return seconds
    finally:
        for bot in bots:
            if bot.process is not None and bot.process.returncode is None:
                await bot.kill()
        await emulator.stop()
        await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=600)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument(
        "--database",
        default=os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL URL; its server gets a scratch database per run",
    )
    args = parser.parse_args()
    rates = {}
    for workers in (1, 2):
        load = os.getloadavg()[0]
        seconds = await one_run(args.database, workers, args.orders, args.timeout)
        rates[workers] = (args.orders - 1) / seconds
        print(
            f"{workers} worker(s): {args.orders} orders in {seconds:.1f} s = "
            f"{rates[workers]:.1f} orders/s (load average {load:.1f} at the start)",
            flush=True,
        )
    print(
        f"two workers / one: {rates[2] / rates[1]:.2f}x (target >= 1.7x); cores: {os.cpu_count()}"
    )


if __name__ == "__main__":
    asyncio.run(main())
