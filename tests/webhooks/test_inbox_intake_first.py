"""The inbox worker lets webhook requests waiting to be stored go first, before each row."""

from __future__ import annotations

import asyncio

from models.base import InboxStatus
from models.inbox.batch_store import NewEvent
from models.inbox.tables import WebhookEvent
from webhooks.inbox_worker import InboxWorker
from webhooks.inbox_writer import InboxWriter
from webhooks.processing import ProviderContext


async def test_rows_wait_while_a_request_waits_for_its_row(db, settings, http) -> None:
    writer = InboxWriter()
    processed: list[str] = []
    gate = asyncio.Event()

    async def record(event, context):  # type: ignore[no-untyped-def]
        processed.append(event.event_id)
        return []

    async def intake_first() -> None:
        await gate.wait()  # stands for "a request waits for its statement"
        await writer.quiet(at_most=5)

    for n in range(3):
        await writer.store(NewEvent("generic", f"w{n}", "x", "{}"))
    worker = InboxWorker(
        ProviderContext(settings, http), {"generic": record}, yield_to=intake_first
    )
    await worker.start()
    try:
        await asyncio.sleep(0.2)
        assert processed == []  # held back before its first row
        gate.set()
        await asyncio.wait_for(worker.idle(), 5)
    finally:
        await worker.stop()
    assert processed == ["w0", "w1", "w2"]
    statuses = await WebhookEvent.all().values_list("status", flat=True)
    assert set(statuses) == {InboxStatus.PROCESSED}
