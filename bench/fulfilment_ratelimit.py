"""Benchmark: N paid orders fulfilled by `python bot.py` under Discord's emulated 50/s global limit.

The Discord emulator (demo/emulator) runs in this process with its fixed-window global limit
on; the bot runs as a real subprocess against it; N signed generic webhooks (one paid order
each, product starter-bundle: a code by DM, the Customer role, two feed embeds) are sent to
the bot's webhook server. Reported: Discord requests per second over the run and as a share of
the limit (the anchor, printed in the same run), 429s by scope and bucket, orders per second.
Exits non-zero when an order is not delivered. Run by hand:

    python bench/fulfilment_ratelimit.py                  # 1000 orders, 50 requests/s
    python bench/fulfilment_ratelimit.py --orders 200 --limit 20
    python bench/fulfilment_ratelimit.py --database postgres://postgres@127.0.0.1:5432/stockroom_bench

The PostgreSQL database must exist; its tables are emptied first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp

from demo.emulator.server import _TOKEN_ROUTES, DiscordEmulator
from demo.emulator.state import Member
from demo.emulator.wire import RequestRecord
from tests.discord_plugin import emulator_environment
from webhooks.generic import sign_generic

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-generic-secret"
PRODUCT = "starter-bundle"
TABLES = (
    'wallet_transaction, order_event, stock_item, job, "order", customer, package, product, '
    "webhook_event, idempotency_record, bot_state"
)


@dataclass
class Run:
    orders: int
    limit: int
    seconds: float
    requests: list[RequestRecord]
    delivered: int
    per_second: list[int]  # requests that arrived in each whole second of the run


def add_buyers(emulator: DiscordEmulator, count: int) -> list[int]:
    """`count` members with open DMs, each buying one order."""
    world = emulator.world
    ids = []
    for n in range(count):
        user = world.add_user(f"buyer{n:05d}")
        world.guild.members[user.id] = Member(user=user)
        ids.append(user.id)
    return ids


def bot_environment(emulator: DiscordEmulator, database: str, tmp: Path, limit: int) -> dict:
    env_file = tmp / "empty.env"
    env_file.write_text("")
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "STOCK"))},
        **emulator_environment(emulator, database),
        "GENERIC_WEBHOOK_SECRET": SECRET,
        "DISCORD_REQUESTS_PER_SECOND": str(limit),
        "STOCKROOM_ENV_FILE": str(env_file),
        "STOCKROOM_CONFIG": str(ROOT / "config.toml"),
    }


async def empty_postgres(database: str) -> None:
    from tortoise import Tortoise

    from models.database import close_database, open_database

    await open_database(database)
    await Tortoise.get_connection("default").execute_script(
        f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"
    )
    await close_database()


def add_stock(env: dict, count: int, tmp: Path) -> None:
    codes = tmp / "codes.txt"
    codes.write_text("".join(f"BENCH-{n:08d}-{os.urandom(3).hex()}\n" for n in range(count)))
    done = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "stock", "add", PRODUCT, str(codes)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise SystemExit(f"stock add failed: {done.stderr.strip()}")


async def start_bot(env: dict, log_path: Path) -> asyncio.subprocess.Process:
    log = log_path.open("wb")
    child = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "bot.py"), env=env, stdout=log, stderr=log, cwd=ROOT
    )
    url = f"http://127.0.0.1:{env['WEBHOOK_PORT']}/health"
    async with aiohttp.ClientSession() as http:
        for _ in range(300):  # up to 30 s
            if child.returncode is not None:
                raise SystemExit(f"the bot exited with {child.returncode}; see {log_path}")
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(url) as answer:
                    if answer.status == 200:
                        return child
            await asyncio.sleep(0.1)
    child.kill()
    raise SystemExit(f"the bot was not healthy within 30 s; see {log_path}")


async def stop_bot(child: asyncio.subprocess.Process) -> None:
    if child.returncode is None:
        child.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(child.wait(), 20)
        except TimeoutError:
            child.kill()
            await child.wait()


async def send_orders(port: int, buyers: list[int], concurrency: int) -> None:
    url = f"http://127.0.0.1:{port}/webhooks/generic"
    gate = asyncio.Semaphore(concurrency)

    async def send(http: aiohttp.ClientSession, n: int, buyer: int) -> None:
        body = json.dumps(
            {
                "event_id": f"bench-evt-{n}",
                "order_id": f"bench-{n}",
                "status": "paid",
                "discord_user_id": str(buyer),
                "product": PRODUCT,
                "quantity": 1,
                "amount": 1500,
                "currency": "USD",
            }
        )
        headers = {"X-Signature": sign_generic(body, SECRET), "Content-Type": "application/json"}
        async with gate, http.post(url, data=body, headers=headers) as answer:
            if answer.status != 200:
                raise SystemExit(f"webhook {n} refused: {answer.status} {await answer.text()}")

    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(send(http, n, b) for n, b in enumerate(buyers)))


def delivered_count(emulator: DiscordEmulator, buyers: list[int]) -> int:
    """Orders whose DM and Customer role reached Discord (one pass over the messages)."""
    world = emulator.world
    dm_channels = {c.id for c in world.dm_channels.values()}
    dmed = {m.channel_id for m in list(world.messages.values()) if m.channel_id in dm_channels}
    role = world.customer_role.id
    granted = sum(1 for b in buyers if role in world.guild.members[b].roles)
    return min(len(dmed), granted)


async def until_delivered_and_quiet(
    emulator: DiscordEmulator,
    delivered: Callable[[], int],
    orders: int,
    within: float,
    quiet: float,
    poll: float,
) -> tuple[int, float]:
    """(delivered(), when the last Discord request arrived), polled every `poll` seconds until
    `orders` are delivered and no request has arrived for `quiet` seconds, or `within` ends."""
    deadline = time.perf_counter() + within
    seen, last_change = len(emulator.requests), time.perf_counter()
    done = 0
    while time.perf_counter() < deadline:
        await asyncio.sleep(poll)
        now = time.perf_counter()
        if len(emulator.requests) != seen:
            seen, last_change = len(emulator.requests), now
        done = delivered()
        if done >= orders and now - last_change >= quiet:
            break
    return done, last_change


async def wait_delivered(
    emulator: DiscordEmulator, buyers: list[int], within: float, quiet: float = 1.0
) -> tuple[int, float]:
    """(orders delivered, when the last Discord request of the run arrived).

    Delivered means DM and role; the run ends once, after that, no request (feed embeds,
    alerts) has arrived for `quiet` seconds.
    """
    return await until_delivered_and_quiet(
        emulator, lambda: delivered_count(emulator, buyers), len(buyers), within, quiet, 0.25
    )


async def count_each_second(emulator: DiscordEmulator, into: list[int]) -> None:
    """Appends how many requests arrived in each second until cancelled."""
    seen = len(emulator.requests)
    while True:
        await asyncio.sleep(1.0)
        now = len(emulator.requests)
        into.append(now - seen)
        seen = now


async def measure(
    emulator: DiscordEmulator, port: int, buyers: list[int], args: argparse.Namespace
) -> tuple[int, float, list[RequestRecord], list[int]]:
    """Sends the orders and waits for them: (delivered, seconds, requests, per second)."""
    first, per_second = len(emulator.requests), []
    began = time.perf_counter()
    sampler = asyncio.create_task(count_each_second(emulator, per_second))
    try:
        await send_orders(port, buyers, args.concurrency)
        delivered, ended = await wait_delivered(emulator, buyers, args.timeout)
    finally:
        sampler.cancel()
    return delivered, ended - began, emulator.requests[first:], per_second


async def run(args: argparse.Namespace, tmp: Path) -> Run:
    emulator = DiscordEmulator()  # OpenAPI checks off: they cost emulator CPU, not bot work
    emulator.faults.global_limit, emulator.faults.global_window = args.limit, 1.0
    emulator.faults.route_limit = (args.route_limit, 1.0)
    await emulator.start()
    try:
        buyers = add_buyers(emulator, args.orders)
        database = args.database or f"sqlite://{tmp}/bench.sqlite3"
        if database.startswith("postgres"):
            await empty_postgres(database)
        pace = args.limit if args.bot_limit is None else args.bot_limit
        env = bot_environment(emulator, database, tmp, pace)
        add_stock(env, args.orders, tmp)
        child = await start_bot(env, tmp / "bot.log")
        try:
            await asyncio.sleep(1.0)  # start-up requests (command sync) outside the run
            delivered, seconds, requests, per_second = await measure(
                emulator, int(env["WEBHOOK_PORT"]), buyers, args
            )
        finally:
            await stop_bot(child)
        if delivered < args.orders:
            print((tmp / "bot.log").read_text()[-3000:], file=sys.stderr)
    finally:
        await emulator.stop()
    return Run(args.orders, args.limit, seconds, requests, delivered, per_second)


def bucket_of(record: RequestRecord) -> str:
    """The emulator's bucket: the route with its major parameters (a DM channel, the guild)."""
    return f"{record.method} {record.path}"


def report(result: Run) -> int:
    counted = [
        r for r in result.requests if r.template and not r.template.startswith(_TOKEN_ROUTES)
    ]
    refused = [r for r in counted if r.status == 429]
    by_scope = Counter(r.scope or "none" for r in refused)
    per_bucket = Counter(bucket_of(r) for r in refused if r.scope != "global")
    rate = len(counted) / result.seconds
    print(
        f"orders={result.orders} delivered={result.delivered} seconds={result.seconds:.1f} "
        f"orders_per_s={result.delivered / result.seconds:.1f}"
    )
    print(
        f"anchor_global_limit_per_s={result.limit} discord_requests={len(counted)} "
        f"requests_per_s={rate:.1f} share_of_limit={100 * rate / result.limit:.1f}%"
    )
    busy = sorted(result.per_second[1:-2]) or [0]  # whole seconds, ramp and tail left out
    print(
        f"per_second: median={busy[len(busy) // 2]} p10={busy[len(busy) // 10]} "
        f"max={max(result.per_second, default=0)}"
    )
    routes = Counter(f"{r.method} {r.template}" for r in counted)
    print("requests " + " · ".join(f"{route} {n}" for route, n in routes.most_common()))
    statuses = Counter(r.status for r in counted)
    print("statuses " + " ".join(f"{s}={n}" for s, n in sorted(statuses.items(), key=str)))
    scopes = " ".join(f"{s}={n}" for s, n in sorted(by_scope.items())) or "none"
    print(f"429s={len(refused)} by_scope: {scopes}")
    most = max(per_bucket.values(), default=0)
    print(f"route 429s: {len(per_bucket)} bucket(s), at most {most} in one bucket")
    for bucket, count in per_bucket.most_common(5):
        print(f"  {count:5d}  {bucket}")
    return 0 if result.delivered >= result.orders else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=50, help="emulated global limit per second")
    parser.add_argument(
        "--bot-limit", type=int, default=None, help="the bot's pace (default --limit; 0: off)"
    )
    parser.add_argument("--route-limit", type=int, default=50, help="per bucket, per second")
    parser.add_argument("--concurrency", type=int, default=20, help="webhooks in flight")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(run(args, Path(tmp)))
    raise SystemExit(report(result))


if __name__ == "__main__":
    main()
