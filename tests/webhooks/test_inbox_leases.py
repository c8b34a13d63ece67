"""The inbox worker under leases: a dead worker's rows move on, a stop hands rows back."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime

from models.base import InboxStatus
from models.inbox.actions import claim_webhook_events, store_webhook_event
from models.inbox.tables import WebhookEvent
from webhooks.inbox_worker import InboxWorker
from webhooks.processing import ProviderContext


async def _until(condition, within: float) -> None:
    deadline = time.monotonic() + within
    while not await condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def _status(row_id: int) -> InboxStatus:
    return InboxStatus((await WebhookEvent.get(id=row_id)).status)


async def test_a_dead_workers_row_is_processed_by_another_within_the_lease(
    db, settings, http
) -> None:
    seen: list[tuple[int, str]] = []

    async def record(event, context):
        seen.append((event.id, event.event_id))
        return []

    row_id, _ = await store_webhook_event("generic", "orphan", "x", json.dumps({}))
    # A worker that claimed the row and was killed: its lease runs for another second.
    assert await claim_webhook_events("killed", limit=1, lease_seconds=1.0) == [row_id]
    worker = InboxWorker(
        ProviderContext(settings, http), {"generic": record}, lease_seconds=1.0, rescan_seconds=0.1
    )
    began = time.monotonic()
    await worker.start()
    try:
        await _until(lambda: _processed(row_id), within=5)
    finally:
        await worker.stop()
    waited = time.monotonic() - began
    assert seen == [(row_id, "orphan")]
    if db.startswith("sqlite"):
        assert waited < 1.0  # one process only: the restart takes the row back at once
    else:
        assert waited >= 0.5  # another process might still hold it: the lease is waited out


async def _processed(row_id: int) -> bool:
    return await _status(row_id) == InboxStatus.PROCESSED


async def test_rows_stored_elsewhere_are_found_by_the_rescan(db, settings, http) -> None:
    async def nothing(event, context):
        return []

    worker = InboxWorker(ProviderContext(settings, http), {"generic": nothing}, rescan_seconds=0.1)
    await worker.start()
    try:
        await worker.idle()
        # Stored by a web process: nobody calls enqueue() on this worker.
        row_id, _ = await store_webhook_event("generic", "from-web", "x", "{}")
        await _until(lambda: _processed(row_id), within=3)
    finally:
        await worker.stop()


async def test_two_workers_process_every_row_once(db, settings, http) -> None:
    runs: list[int] = []

    async def slow(event, context):
        runs.append(event.id)
        await asyncio.sleep(0.01)
        return []

    ids = [(await store_webhook_event("generic", f"e{n}", "x", "{}"))[0] for n in range(40)]
    workers = [
        InboxWorker(ProviderContext(settings, http), {"generic": slow}, rescan_seconds=0.05)
        for _ in range(2)
    ]
    for worker in workers:
        await worker.start()
    try:
        await _until(lambda: _all_processed(len(ids)), within=20)
    finally:
        for worker in workers:
            await worker.stop()
    assert sorted(runs) == ids


async def _all_processed(count: int) -> bool:
    return await WebhookEvent.filter(status=InboxStatus.PROCESSED).count() == count


async def test_stop_hands_back_the_rows_in_hand(db, settings, http) -> None:
    started = asyncio.Event()

    async def stuck(event, context):
        started.set()
        await asyncio.sleep(3600)
        return []

    row_id, _ = await store_webhook_event("generic", "long", "x", "{}")
    worker = InboxWorker(ProviderContext(settings, http), {"generic": stuck})
    worker.stop_grace = 0.2
    await worker.start()
    await asyncio.wait_for(started.wait(), 5)
    await worker.stop()
    row = await WebhookEvent.get(id=row_id)
    assert (row.status, row.claimed_by, row.lease_until, row.attempts) == (
        InboxStatus.RECEIVED,
        None,
        None,
        0,
    )
    # Handed back, it is due at once for the next worker.
    assert await claim_webhook_events("next", limit=1, lease_seconds=5) == [row_id]
    assert (await WebhookEvent.get(id=row_id)).lease_until > datetime.now(UTC)


async def test_a_slow_row_keeps_its_lease_while_it_runs(db, settings, http) -> None:
    started, finished = asyncio.Event(), asyncio.Event()

    async def slow(event, context):
        started.set()
        await asyncio.sleep(1.2)  # four times the lease
        finished.set()
        return []

    row_id, _ = await store_webhook_event("generic", "slow", "x", "{}")
    worker = InboxWorker(ProviderContext(settings, http), {"generic": slow}, lease_seconds=0.3)
    await worker.start()
    stolen: list[int] = []
    try:
        await asyncio.wait_for(started.wait(), 5)
        while not finished.is_set():
            # Another worker keeps trying: the renewed lease never lapses under it.
            stolen += await claim_webhook_events("other", limit=1, lease_seconds=5)
            await asyncio.sleep(0.05)
        await _until(lambda: _processed(row_id), within=3)
    finally:
        await worker.stop()
    assert stolen == []
