"""finish_webhook_event's raw UPDATE writes what the ORM's update wrote (both engines)."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from models.base import InboxStatus
from models.inbox.actions import claim_webhook_events, finish_webhook_event, store_webhook_event
from models.inbox.tables import WebhookEvent
from models.outbox.raw_sql import rows

_COLUMNS = 'SELECT * FROM "webhook_event" WHERE "id" = ?'


async def _claimed(count: int, owner: str = "w") -> list[int]:
    ids = [(await store_webhook_event("generic", f"f{n}", "x", "{}"))[0] for n in range(count)]
    assert await claim_webhook_events(owner, limit=count, lease_seconds=60) == ids
    return ids


async def test_a_finished_row_is_stored_as_the_orm_stored_it(db) -> None:
    raw, orm = await _claimed(2)
    assert await finish_webhook_event(raw, InboxStatus.PROCESSED, "done: x" * 400, owner="w")
    # What the ORM path wrote (the code before the raw statement).
    await WebhookEvent.filter(id=orm, status=InboxStatus.RECEIVED, claimed_by="w").update(
        status=InboxStatus.PROCESSED,
        error=("done: x" * 400)[:2000],
        processed_at=datetime.now(UTC),
        claimed_by=None,
        lease_until=None,
    )
    (a,), (b,) = await rows(_COLUMNS, [raw]), await rows(_COLUMNS, [orm])
    for name in a:
        if name in ("id", "event_id", "processed_at", "created_at", "updated_at", "received_at"):
            continue
        assert (name, a[name]) == (name, b[name])
    assert type(a["processed_at"]) is type(b["processed_at"])
    assert len(str(a["processed_at"])) == len(str(b["processed_at"]))
    stored = await WebhookEvent.get(id=raw)
    assert stored.status is InboxStatus.PROCESSED and len(stored.error) == 2000
    assert stored.processed_at is not None and stored.claimed_by is None
    assert stored.lease_until is None


async def test_another_owner_or_a_finished_row_is_not_marked(db) -> None:
    (row,) = await _claimed(1)
    assert not await finish_webhook_event(row, InboxStatus.IGNORED, "no", owner="other")
    assert (await WebhookEvent.get(id=row)).status is InboxStatus.RECEIVED
    assert await finish_webhook_event(row, InboxStatus.IGNORED, "why", owner="w")
    assert not await finish_webhook_event(row, InboxStatus.PROCESSED, owner="w")
    stored = await WebhookEvent.get(id=row)
    assert (stored.status, stored.error) == (InboxStatus.IGNORED, "why")
    # Without an owner the row is marked whatever its state (the one-row path).
    assert await finish_webhook_event(row, InboxStatus.PROCESSED)
    assert (await WebhookEvent.get(id=row)).status is InboxStatus.PROCESSED


async def test_a_finish_in_a_rolled_back_transaction_is_undone(db) -> None:
    (row,) = await _claimed(1)

    class Undo(Exception):
        pass

    try:
        async with in_transaction() as conn:
            assert await finish_webhook_event(
                row, InboxStatus.PROCESSED, connection=conn, owner="w"
            )
            raise Undo
    except Undo:
        pass
    stored = await WebhookEvent.get(id=row)
    assert (stored.status, stored.claimed_by) == (InboxStatus.RECEIVED, "w")
