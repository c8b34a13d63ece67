"""enqueue_id (RETURNING "id", no Job built) writes the rows enqueue writes, both engines."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from models.base import JobKind
from models.outbox.actions import enqueue, enqueue_id
from models.outbox.raw_sql import rows
from models.outbox.tables import Job

_COLUMNS = (
    '"kind", "payload", "status", "attempts", "lease_owner", "lease_expires_at",'
    ' "last_error", "order_id", "dedupe_key"'
)


async def stored(job_id: int) -> dict[str, Any]:
    """The row as stored (raw text on SQLite), without its id and times."""
    (row,) = await rows(f'SELECT {_COLUMNS} FROM "job" WHERE "id" = ?', [job_id])
    return row


async def test_rows_are_the_same_as_enqueue_writes(db: str) -> None:
    payload = {"order_id": 7, "order_event_id": 3, "kind": "delivered", "note": "é ✓"}
    job = await enqueue(JobKind.POST_FEED, dict(payload))
    async with in_transaction() as conn:
        job_id = await enqueue_id(JobKind.POST_FEED, dict(payload), connection=conn)
    assert job is not None and isinstance(job_id, int) and job_id > job.id
    assert await stored(job_id) == await stored(job.id)
    orm, raw = await Job.get(id=job.id), await Job.get(id=job_id)
    assert (raw.kind, raw.payload, raw.status) == (orm.kind, orm.payload, orm.status)
    assert abs((raw.next_attempt_at - orm.next_attempt_at).total_seconds()) < 5
    assert raw.next_attempt_at.tzinfo is not None


async def test_an_order_id_and_a_dedupe_key_go_through(db: str) -> None:
    first = await enqueue(JobKind.GRANT_ROLE, {"order_id": 1}, order_id=None, dedupe_key="k:1")
    same = await enqueue_id(JobKind.GRANT_ROLE, {"order_id": 1}, dedupe_key="k:1")
    assert first is not None and same is None
    other = await enqueue_id(JobKind.GRANT_ROLE, {"order_id": 1}, dedupe_key="k:2")
    assert other is not None
    assert {**await stored(other), "dedupe_key": "k:1"} == await stored(first.id)
    assert await Job.filter(dedupe_key="k:2").values_list("id", flat=True) == [other]


async def test_a_rolled_back_transaction_leaves_no_job(db: str) -> None:
    class Undo(Exception):
        pass

    try:
        async with in_transaction() as conn:
            await enqueue_id(JobKind.POST_FEED, {"order_id": 1, "kind": "pending"}, connection=conn)
            raise Undo
    except Undo:
        pass
    assert await Job.all().count() == 0
