"""The real webhook app on a real 127.0.0.1 port, with the log and the tables watched."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web

from models.base import InboxStatus
from models.catalog.sync import sync_catalog
from models.customers.tables import Customer, WalletTransaction
from models.inbox.tables import WebhookEvent
from models.orders.tables import Order, OrderEvent
from settings import Settings
from tests.webhooks.conftest import settings_for
from webhooks.app import INBOX_WORKER, RUNNER_OPTIONS, build_app

# Examples per hypothesis test: small by default, larger in CI, both bounded.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (400 if os.environ.get("CI") else 300))
# Why a stored event may still wait after processing: an honest "retry later", not a loss.
# Bounds on waiting for the server to let go of a connection (aiohttp lingers up to 10 s).
CONNECTIONS_TIMEOUT_SECONDS = 20
# An event naming a payment no order (or top-up) carries yet waits for the event that
# creates it (webhooks.processing raises OrderNotYetKnown): stored, not lost.
RETRYABLE_ERRORS = (
    "no order carries this payment handle yet",
    "no order or top-up carries this payment handle yet",
    "no top-up carries this payment yet",
)


class LogWatch(logging.Handler):
    """Keeps every record with a traceback or at ERROR and above, from any logger."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.records.append(record)

    def summary(self) -> list[str]:
        return [
            f"{r.name}: {r.getMessage()} ({r.exc_info and r.exc_info[0]})" for r in self.records
        ]


@dataclass
class Served:
    """The app being served: its port, its settings, and a tally of what was sent."""

    port: int
    app: web.Application
    settings: Settings
    log: LogWatch
    runner: web.AppRunner
    statuses: dict[int, int] = field(default_factory=dict)

    async def idle(self) -> None:
        await self.app[INBOX_WORKER].idle()

    async def connections_closed(self) -> None:
        """Waits (bounded) until the server has finished with every connection it accepted."""
        server = self.runner.server
        async with asyncio.timeout(CONNECTIONS_TIMEOUT_SECONDS):
            # aiohttp has no event for "connection finished"; poll its list, bounded.
            while server is not None and server.connections:  # noqa: ASYNC110
                await asyncio.sleep(0.005)

    def count(self, status: int) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1


async def table_counts() -> tuple[int, ...]:
    """Rows in the tables a refused request must not touch."""
    return (
        await WebhookEvent.all().count(),
        await Order.all().count(),
        await OrderEvent.all().count(),
        await Customer.all().count(),
        await WalletTransaction.all().count(),
    )


@pytest.fixture
def log_watch() -> Iterator[LogWatch]:
    handler = LogWatch()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


@pytest.fixture
async def served(db, fake_stripe, fake_midtrans, fake_ecwid, log_watch) -> AsyncIterator[Served]:
    """Every provider enabled and pointed at the fakes; retries far off so a failure stays seen."""
    settings = settings_for(fake_stripe, fake_midtrans, fake_ecwid)
    await sync_catalog(settings.products)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        app = build_app(settings, http=http, gateway_ready=lambda: True, retry_base_seconds=3600)
        runner = web.AppRunner(app, **RUNNER_OPTIONS)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            yield Served(runner.addresses[0][1], app, settings, log_watch, runner)
            await app[INBOX_WORKER].idle()
        finally:
            await runner.cleanup()


async def lost_events(served: Served) -> list[tuple]:
    """Accepted events that were not processed (or ignored) cleanly: "accepted, then lost"."""
    await served.idle()
    return [
        (row.provider, row.event_id, row.status, row.error)
        for row in await WebhookEvent.all()
        if row.status == InboxStatus.FAILED
        or (row.status == InboxStatus.RECEIVED and row.error not in RETRYABLE_ERRORS)
    ]
