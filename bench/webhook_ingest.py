"""Benchmark: signed generic webhooks into the real webhook app, beside a bare aiohttp anchor.

The server runs in its own process (bench/ingest_server.py), the load generator here: a
raw asyncio HTTP/1.1 keep-alive client (bench/ingest_client.py), so the client costs little
next to the server.

- closed loop: N connections, each sending its next request as soon as the last is answered,
  for --seconds: requests/s, p50/p99; the same against a bare aiohttp handler (the anchor)
  that reads the body and answers JSON, and the ratio;
- open loop: a fixed rate (--rate, 500/s) for --open-seconds (20 s): request i is due at
  start + i/rate, its latency counted from then (no coordinated omission), on as many
  connections as it takes (up to 256): p50/p99 for the anchor and for Stockroom;
- processing at that rate: the inbox backlog (rows still `received`) sampled every 0.5 s
  while sending and after, its maximum, what is left when sending ends, and when it drained.
  Every event must become an order, or the bench fails.

    python bench/webhook_ingest.py
    python bench/webhook_ingest.py --database postgres://postgres@127.0.0.1:5432/stockroom_bench
    python bench/webhook_ingest.py --profile /tmp/ingest.prof   # cProfile of the server
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import event_loop
from bench.ingest_client import closed_loop, open_loop, requests_for
from bench.ingest_server import Server, serve

TABLES = (
    'wallet_transaction, order_event, stock_item, job, "order", customer, package, product, '
    "webhook_event, idempotency_record, bot_state"
)


# -- the database, seen from the bench ------------------------------------------------------


async def reset_database(database: str) -> None:
    from tortoise import Tortoise

    from models.database import close_database, open_database

    await open_database(database)
    if database.startswith("postgres"):
        await Tortoise.get_connection("default").execute_script(
            f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"
        )
    await close_database()


async def backlog_and_orders(database: str) -> tuple[int, int]:
    from models import Order, WebhookEvent
    from models.base import InboxStatus

    received = await WebhookEvent.filter(status=InboxStatus.RECEIVED).count()
    return received, await Order.all().count()


async def processing_run(
    database: str, port: int, rate: float, seconds: float, drain_after: bool = True
) -> dict:
    """Open loop at `rate` for `seconds` while the backlog is sampled; then the drain."""
    from models.database import close_database, open_database

    count = int(rate * seconds)
    requests = requests_for(10_000_000, count, port)
    await open_database(database)
    _, orders_before = await backlog_and_orders(database)
    samples: list[tuple[float, int]] = []
    started = time.perf_counter()

    async def sample_forever() -> None:
        while True:
            received, _ = await backlog_and_orders(database)
            samples.append((time.perf_counter() - started, received))
            await asyncio.sleep(0.5)

    sampler = asyncio.ensure_future(sample_forever())
    sent = await open_loop(port, requests, rate)
    sending_ended = time.perf_counter() - started
    left_at_end, _ = await backlog_and_orders(database)
    while drain_after:
        received, orders = await backlog_and_orders(database)
        if received == 0:
            break
        if time.perf_counter() - started > seconds * 20 + 60:
            break
        await asyncio.sleep(0.1)
    drained = time.perf_counter() - started
    sampler.cancel()
    await asyncio.gather(sampler, return_exceptions=True)
    await close_database()
    if not drain_after:  # a quick look at the acknowledgements only (--no-drain)
        sampler.cancel()
        await close_database()
        return {**{f"ack_{k}": v for k, v in sent.items()}, "backlog_at_end": left_at_end}
    orders -= orders_before
    if received or orders != count:
        raise SystemExit(f"WRONG OUTCOME: {orders} orders for {count} events, {received} left")
    return {
        **{f"ack_{k}": v for k, v in sent.items()},
        "backlog_max": max(s[1] for s in samples),
        "backlog_at_end_of_sending": left_at_end,
        "sending_s": sending_ended,
        "all_processed_s": drained,
        "processed_per_s": count / drained,
    }


def show(title: str, result: dict) -> None:
    cells = " ".join(
        f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()
    )
    print(f"{title}: {cells}", flush=True)


async def drain(database: str) -> None:
    from models.database import close_database, open_database

    await open_database(database)
    while (await backlog_and_orders(database))[0]:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    await close_database()


async def anchor(args: argparse.Namespace, database: str) -> dict:
    bare = Server("bare", database)
    try:
        closed = await closed_loop(
            bare.port,
            requests_for(0, int(args.seconds * 40_000), bare.port),
            args.connections,
            args.seconds,
        )
        show(f"anchor bare aiohttp, closed loop {args.connections} connections", closed)
        opened = await open_loop(
            bare.port,
            requests_for(0, int(args.rate * args.anchor_open_seconds), bare.port),
            args.rate,
        )
        show(f"anchor bare aiohttp, open loop {args.rate:.0f}/s", opened)
    finally:
        print(f"anchor server cpu {bare.stop():.1f} s", flush=True)
    return closed


async def bench(args: argparse.Namespace, database: str) -> None:
    print(f"load average at start: {os.getloadavg()}", flush=True)
    engine = database.split(":", 1)[0]
    anchor_closed = await anchor(args, database) if args.only in ("all", "closed") else None
    await reset_database(database)
    server = Server("stockroom", database, args.profile)
    try:
        if args.only in ("all", "closed"):
            closed = await closed_loop(
                server.port,
                requests_for(0, int(args.seconds * 8_000), server.port),
                args.connections,
                args.seconds,
            )
            show(f"{engine} stockroom, closed loop {args.connections} connections", closed)
            if anchor_closed is not None:
                ratio = closed["per_s"] / anchor_closed["per_s"]
                print(f"{engine} closed loop: {ratio:.3f} of bare aiohttp (target >= 0.5)")
            if args.only == "all":
                await drain(database)  # its events are processed before the open loop starts
        if args.only in ("all", "open"):
            processing = await processing_run(
                database, server.port, args.rate, args.open_seconds, not args.no_drain
            )
            title = f"{engine} stockroom, open loop {args.rate:.0f}/s for {args.open_seconds:.0f} s"
            show(title, processing)
    finally:
        print(f"stockroom server cpu {server.stop():.1f} s", flush=True)
        print(f"load average at end: {os.getloadavg()}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", choices=("bare", "stockroom"))
    parser.add_argument("--database", default="")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--open-seconds", type=float, default=20.0)
    parser.add_argument("--anchor-open-seconds", type=float, default=5.0)
    parser.add_argument("--only", choices=("all", "closed", "open"), default="all")
    parser.add_argument("--no-drain", action="store_true", help="skip the drain (no check)")
    parser.add_argument("--profile", default=None, help="cProfile output of the Stockroom server")
    args = parser.parse_args()
    if args.serve:
        event_loop.run(serve(args.serve, args.database))
        return
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or f"sqlite://{tmp}/bench.sqlite3"
        asyncio.run(bench(args, database))


if __name__ == "__main__":
    main()
