"""A webhook process killed right after its 2xx loses nothing: the restart processes the event."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time

import aiohttp

from models.base import InboxStatus, OrderSource, OrderStatus
from models.inbox.tables import WebhookEvent
from models.orders.tables import Order
from settings import ROOT
from tests.webhooks.conftest import base_environ
from tests.webhooks.ecwid.test_ecwid import webhook
from tests.webhooks.helpers import BUYER
from webhooks.inbox_worker import LEASE_SECONDS


async def start_server(environ: dict[str, str]) -> tuple[asyncio.subprocess.Process, int]:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.webhooks.serve_app",
        cwd=ROOT,
        env=environ,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    line = await asyncio.wait_for(child.stdout.readline(), timeout=60)
    assert line.startswith(b"listening "), line
    return child, int(line.split()[1])


async def wait_for_status(row_id: int, status: InboxStatus, within: float) -> WebhookEvent:
    deadline = time.monotonic() + within
    while True:
        row = await WebhookEvent.get(id=row_id)
        if row.status == status or time.monotonic() > deadline:
            assert row.status == status, f"inbox row {row_id} still {row.status}"
            return row
        await asyncio.sleep(0.2)


async def test_sigkill_after_the_answer_then_restart_processes_the_event(db, fake_ecwid):
    environ = {
        **os.environ,
        **base_environ(),
        "DATABASE_URL": db,
        "ECWID_API_BASE": fake_ecwid.base_url,
        "PYTHONPATH": str(ROOT),
    }
    fake_ecwid.add_order("CRASH1", discord_user_id=str(BUYER))
    fake_ecwid.hold_reads()  # the processor will be stuck fetching the order
    child, port = await start_server(environ)
    try:
        body, headers = webhook("evt-crash", "CRASH1")
        async with aiohttp.ClientSession() as http:
            response = await http.post(
                f"http://127.0.0.1:{port}/webhooks/ecwid", data=body, headers=headers
            )
            assert response.status == 200
        await asyncio.wait_for(fake_ecwid.read_arrived.wait(), timeout=60)
        child.send_signal(signal.SIGKILL)
    finally:
        if child.returncode is None:
            child.kill()
        await child.wait()
    row = await WebhookEvent.get(provider="ecwid", event_id="evt-crash")
    assert row.status == InboxStatus.RECEIVED
    assert await Order.filter(source=OrderSource.ECWID).count() == 0

    fake_ecwid.release_reads()
    child, _ = await start_server(environ)
    try:
        # SQLite serves one process, so the restart takes the row back at once; on
        # PostgreSQL another process may be alive, so the row waits out the dead one's lease.
        within = 10.0 if db.startswith("sqlite") else LEASE_SECONDS + 15.0
        row = await wait_for_status(row.id, InboxStatus.PROCESSED, within)
    finally:
        child.kill()
        await child.wait()
    # The shipped config maps SKU GAME-KEY to game-key, which has no stock in this test.
    order = await Order.get(source=OrderSource.ECWID, external_id="CRASH1")
    assert order.status == OrderStatus.AWAITING_STOCK
