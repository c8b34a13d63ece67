"""Benchmark: signed generic webhooks into the real webhook app, beside a bare aiohttp anchor.

The server runs in its own process (this script with --serve), the load generator here: a
raw asyncio HTTP/1.1 keep-alive client, so the client costs little next to the server.

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
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SECRET = "bench-generic-secret"
TABLES = (
    'wallet_transaction, order_event, stock_item, job, "order", customer, package, product, '
    "webhook_event, idempotency_record, bot_state"
)
MAX_OPEN_CONNECTIONS = 256


# -- the servers (child processes) --------------------------------------------------------


def _settings(database: str):  # type: ignore[no-untyped-def]
    from settings import ROOT, load_settings

    return load_settings(
        {
            "DISCORD_APP_TOKEN": "bench",
            "GENERIC_WEBHOOK_SECRET": SECRET,
            "DATABASE_URL": database,
            "STOCKROOM_CONFIG": str(ROOT / "config.toml"),
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        }
    )


async def serve(kind: str, database: str) -> None:
    import logging

    import aiohttp
    from aiohttp import web

    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    if kind == "bare":

        async def handler(request: web.Request) -> web.Response:
            await request.read()
            return web.json_response({"received": True, "duplicate": False})

        app = web.Application()
        app.router.add_post("/webhooks/generic", handler)
        http = None
    else:
        from models.catalog.sync import sync_catalog
        from models.database import close_database, open_database
        from webhooks.app import build_app

        settings = _settings(database)
        await open_database(database)
        await sync_catalog(settings.products)
        http = aiohttp.ClientSession()
        # BENCH_STORE_ONLY=1: a `web` process (stores, never processes), to tell the two apart.
        store_only = os.environ.get("BENCH_STORE_ONLY") == "1"
        app = build_app(
            settings, http=http, gateway_ready=lambda: True, process_inbox=not store_only
        )
    from webhooks.app import RUNNER_OPTIONS

    runner = web.AppRunner(app, **RUNNER_OPTIONS)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until told to stop
    cpu = os.times()
    await runner.cleanup()
    if http is not None:
        await http.close()
        await close_database()
    print(f"cpu {cpu.user + cpu.system:.3f}", flush=True)


class Server:
    """A --serve child process and the port it listens on."""

    def __init__(self, kind: str, database: str, profile: str | None = None) -> None:
        command = [sys.executable]
        if profile:
            command += ["-m", "cProfile", "-o", profile]
        command += [__file__, "--serve", kind, "--database", database]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        if not line.strip().isdigit():
            raise SystemExit(f"the {kind} server did not start")
        self.port = int(line)

    def stop(self) -> float:
        """Stops the server; returns its CPU seconds."""
        out, _ = self.process.communicate("", timeout=300)
        cpu = [line for line in out.splitlines() if line.startswith("cpu ")]
        return float(cpu[-1].split()[1]) if cpu else float("nan")


# -- the load generator -------------------------------------------------------------------


def requests_for(first: int, count: int, port: int) -> list[bytes]:
    """`count` signed paid `vip` orders, one event each, as raw HTTP/1.1 requests."""
    stamp = int(time.time())
    built = []
    for number in range(first, first + count):
        body = json.dumps(
            {
                "event_id": f"evt-{number}",
                "order_id": f"ext-{number}",
                "status": "paid",
                "discord_user_id": str(10**17 + number),
                "product": "vip",
                "quantity": 1,
                "amount": 1000,
                "currency": "USD",
            }
        ).encode()
        digest = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
        head = (
            f"POST /webhooks/generic HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"X-Signature: t={stamp},v1={digest.hexdigest()}\r\n\r\n"
        )
        built.append(head.encode() + body)
    return built


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def send(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _check(status: int) -> None:
    if status != 200:
        raise SystemExit(f"WRONG OUTCOME: HTTP {status}")


async def closed_loop(port: int, requests: list[bytes], connections: int, seconds: float) -> dict:
    """`connections` clients back to back for `seconds`; requests/s and latencies."""
    pool = [await Connection.open(port) for _ in range(connections)]
    latencies: list[float] = []
    queue = iter(requests)
    deadline = time.perf_counter() + seconds

    async def client(conn: Connection) -> None:
        for request in queue:
            begin = time.perf_counter()
            _check(await conn.send(request))
            latencies.append(time.perf_counter() - begin)
            if begin > deadline:
                return

    started = time.perf_counter()
    await asyncio.gather(*(client(c) for c in pool))
    elapsed = time.perf_counter() - started
    for conn in pool:
        conn.close()
    return {
        "sent": len(latencies),
        "per_s": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


async def open_loop(port: int, requests: list[bytes], rate: float, during=None) -> dict:  # type: ignore[no-untyped-def]
    """Each request at its due time (start + i/rate) on an idle connection (opened as needed)."""
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(16):
        idle.put_nowait(await Connection.open(port))
    opened = idle.qsize()
    latencies: list[float] = []
    by_second: dict[int, list[float]] = {}
    late_starts = 0
    started = time.perf_counter()

    async def one(request: bytes, due: float) -> None:
        nonlocal opened
        if idle.empty() and opened < MAX_OPEN_CONNECTIONS:
            opened += 1
            conn = await Connection.open(port)
        else:  # at the cap a request waits for a connection; its latency still runs from due
            conn = await idle.get()
        _check(await conn.send(request))
        latencies.append(time.perf_counter() - due)
        by_second.setdefault(int(due - started), []).append(latencies[-1])
        idle.put_nowait(conn)

    tasks = []
    for number, request in enumerate(requests):
        due = started + number / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.005:
            late_starts += 1
        tasks.append(asyncio.ensure_future(one(request, due)))
        if during is not None:
            during()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    while not idle.empty():
        idle.get_nowait().close()
    return {
        "sent": len(latencies),
        "offered_per_s": rate,
        "achieved_per_s": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies) * 1000,
        "connections": opened,
        "late_starts": late_starts,
        # p99 of each second of sending: a stall shows where it was.
        "p99_by_second_ms": "/".join(
            f"{percentile(v, 0.99) * 1000:.0f}" for _, v in sorted(by_second.items())
        ),
    }


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
        asyncio.run(serve(args.serve, args.database))
        return
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or f"sqlite://{tmp}/bench.sqlite3"
        asyncio.run(bench(args, database))


if __name__ == "__main__":
    main()
