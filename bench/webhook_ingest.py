"""Benchmark: signed generic webhooks against the real webhook app on 127.0.0.1.

Measures the acknowledgement latency a provider sees (verify + store in the inbox + 2xx) and
how long the inbox takes to process every stored event into orders. Bounded: sends
--events requests with --concurrency in flight, then stops. Run by hand:

    python bench/webhook_ingest.py --events 2000 --concurrency 20
    python bench/webhook_ingest.py --database postgres://postgres@127.0.0.1:5432/stockroom_bench
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from aiohttp import web
from tortoise import Tortoise

from models import Order, WebhookEvent
from models.base import InboxStatus
from models.catalog.sync import sync_catalog
from models.database import close_database, open_database
from settings import ROOT, load_settings
from webhooks.app import build_app

SECRET = "bench-generic-secret"
TABLES = (
    'wallet_transaction, order_event, stock_item, job, "order", customer, package, product, '
    "webhook_event, idempotency_record, bot_state"
)


def signed(body: str) -> dict[str, str]:
    stamp = int(time.time())
    digest = hmac.new(SECRET.encode(), f"{stamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Signature": f"t={stamp},v1={digest}", "Content-Type": "application/json"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(database: str, events: int, concurrency: int) -> dict[str, float]:
    settings = load_settings(
        {
            "DISCORD_APP_TOKEN": "bench",
            "GENERIC_WEBHOOK_SECRET": SECRET,
            "DATABASE_URL": database,
            "STOCKROOM_CONFIG": str(ROOT / "config.toml"),
        }
    )
    await open_database(database)
    if database.startswith("postgres"):
        await Tortoise.get_connection("default").execute_script(
            f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"
        )
    await sync_catalog(settings.products)
    async with aiohttp.ClientSession() as http:
        app = build_app(settings, http=http, gateway_ready=lambda: True)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        url = f"http://127.0.0.1:{port}/webhooks/generic"
        gate = asyncio.Semaphore(concurrency)
        latencies: list[float] = []

        async def send(number: int) -> None:
            body = json.dumps(
                {
                    "event_id": f"evt-{number}",
                    "order_id": f"ext-{number}",
                    "status": "pending",
                    "discord_user_id": str(10**17 + number),
                    "product": "vip",
                    "quantity": 1,
                    "amount": 1000,
                    "currency": "USD",
                }
            )
            async with gate:
                begin = time.perf_counter()
                async with http.post(url, data=body, headers=signed(body)) as response:
                    await response.read()
                    if response.status != 200:
                        raise SystemExit(f"unexpected {response.status} for event {number}")
                latencies.append(time.perf_counter() - begin)

        started = time.perf_counter()
        await asyncio.gather(*(send(n) for n in range(events)))
        acked = time.perf_counter() - started
        # The inbox lives in the database, so its drain is observed there.
        while await WebhookEvent.filter(status=InboxStatus.RECEIVED).count():  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        processed = time.perf_counter() - started
        orders = await Order.all().count()
        await runner.cleanup()
    await close_database()
    if orders != events:
        raise SystemExit(f"WRONG OUTCOME: {orders} orders for {events} events")
    return {
        "events": events,
        "acks_per_s": events / acked,
        "ack_p50_ms": statistics.median(latencies) * 1000,
        "ack_p95_ms": percentile(latencies, 0.95) * 1000,
        "ack_p99_ms": percentile(latencies, 0.99) * 1000,
        "all_processed_s": processed,
        "processed_per_s": events / processed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or f"sqlite://{tmp}/bench.sqlite3"
        result = asyncio.run(run(database, args.events, args.concurrency))
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
