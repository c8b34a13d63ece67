"""load_webhook_events' raw read against the ORM's models of the same rows (both engines)."""

from __future__ import annotations

from models.base import InboxStatus
from models.inbox.actions import finish_webhook_event, store_webhook_event
from models.inbox.queries import _stored, load_webhook_events
from models.inbox.tables import WebhookEvent


async def test_raw_read_is_what_the_orm_reads(db: str) -> None:
    ids = []
    for number, body in enumerate(['{"a": 1}', '{"note": "café ✓"}', "not json"]):
        row_id, _ = await store_webhook_event("generic", f"evt-{number}", "paid", body)
        ids.append(row_id)
    await finish_webhook_event(ids[1], InboxStatus.PROCESSED, "done")
    await WebhookEvent.filter(id=ids[2]).update(attempts=3)
    wanted = [ids[2], ids[0], ids[2] + 100, ids[1]]  # their order, a missing one skipped
    raw = await load_webhook_events(wanted)
    orm = {row.id: _stored(row) for row in await WebhookEvent.filter(id__in=ids)}
    assert [event.id for event in raw] == [ids[2], ids[0], ids[1]]
    for event in raw:
        expected = orm[event.id]
        assert event == expected
        for name in ("status", "received_at", "attempts", "id"):
            assert type(getattr(event, name)) is type(getattr(expected, name)), name
        assert event.received_at.tzinfo is not None
    assert raw[2].status is InboxStatus.PROCESSED and raw[0].attempts == 3
    assert await load_webhook_events([]) == []
