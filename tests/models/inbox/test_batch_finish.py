"""finish_processed_webhook_events: several rows finished in one UPDATE, each as
finish_webhook_event finishes it, only while leased to the worker (both engines)."""

from __future__ import annotations

from tortoise import Tortoise

from models.base import InboxStatus
from models.inbox.actions import claim_webhook_events, finish_webhook_event, store_webhook_event
from models.inbox.batch_finish import finish_processed_webhook_events
from models.inbox.tables import WebhookEvent
from models.outbox.raw_sql import rows

_ROW = 'SELECT * FROM "webhook_event" WHERE "id" = ?'
_SAME_AS_ONE = ("status", "error", "claimed_by", "lease_until", "attempts", "signature_ok")


async def _claimed(count: int, owner: str = "w") -> list[int]:
    ids = [(await store_webhook_event("generic", f"b{n}", "x", "{}"))[0] for n in range(count)]
    assert await claim_webhook_events(owner, limit=count, lease_seconds=60) == ids
    return ids


async def test_each_row_is_stored_as_one_finish_stores_it(db) -> None:
    one, *batch = await _claimed(4)
    notes = [(row_id, f"order SR-{row_id}: new -> paid") for row_id in batch]
    notes[1] = (batch[1], "long " * 600)  # cut to MAX_ERROR_CHARS like one finish
    conn = Tortoise.get_connection("default")
    assert await finish_processed_webhook_events(notes, "w", conn) == 3
    assert await finish_webhook_event(one, InboxStatus.PROCESSED, "long " * 600, owner="w")
    (single,) = await rows(_ROW, [one])
    for row_id, note in notes:
        (row,) = await rows(_ROW, [row_id])
        assert row["error"] == note[:2000]
        for name in _SAME_AS_ONE[:1] + _SAME_AS_ONE[2:]:
            assert (name, row[name]) == (name, single[name])
        assert type(row["processed_at"]) is type(single["processed_at"])
        assert len(str(row["processed_at"])) == len(str(single["processed_at"]))
    stored = await WebhookEvent.get(id=batch[1])
    assert stored.status is InboxStatus.PROCESSED and len(stored.error) == 2000
    assert stored.processed_at is not None


async def test_rows_not_leased_to_the_worker_are_left_as_they_are(db) -> None:
    mine, taken, done = await _claimed(3)
    await WebhookEvent.filter(id=taken).update(claimed_by="other")
    assert await finish_webhook_event(done, InboxStatus.IGNORED, "why", owner="w")
    notes = [(mine, "a"), (taken, "b"), (done, "c")]
    conn = Tortoise.get_connection("default")
    assert await finish_processed_webhook_events(notes, "w", conn) == 1
    stored = {row.id: row for row in await WebhookEvent.all()}
    assert (stored[mine].status, stored[mine].error) == (InboxStatus.PROCESSED, "a")
    assert (stored[taken].status, stored[taken].claimed_by) == (InboxStatus.RECEIVED, "other")
    assert (stored[done].status, stored[done].error) == (InboxStatus.IGNORED, "why")
    assert await finish_processed_webhook_events([], "w", conn) == 0
