"""mark_message's one executemany against one UPDATE a job: the same stored text, both engines."""

from __future__ import annotations

from tortoise import Tortoise

from models.base import JobKind
from models.outbox.actions import claim, enqueue
from models.outbox.feed import _PAYLOAD_SQL, FEED_MESSAGE_KEY, mark_message
from models.outbox.raw_sql import changed, for_engine
from models.outbox.tables import Job

WORKER = "host:1:feed"


async def _stored(job_ids: list[int]) -> list[str]:
    conn = Tortoise.get_connection("default")
    _, found = await conn.execute_query(
        for_engine('SELECT "payload" FROM "job" WHERE "id" IN (?, ?) ORDER BY "id"', conn),
        job_ids,
    )
    return [str(row["payload"]) for row in found]


async def test_one_call_stores_what_one_update_a_job_stored(db) -> None:
    # The same payload on every job, so the stored texts can be compared byte for byte.
    payload = {"order_id": 7, "order_event_id": 17, "kind": "paid", "note": "é ü"}
    for _ in range(5):
        await enqueue(JobKind.POST_FEED, payload)
    jobs = await claim(WORKER, limit=5, kinds=(JobKind.POST_FEED,))
    batch, single, untouched = jobs[:2], jobs[2:4], jobs[4]

    await mark_message(batch, "feed-1")
    encode = Job._meta.fields_map["payload"].to_db_value
    for job in single:
        marked = {**job.payload, FEED_MESSAGE_KEY: "feed-1"}
        await changed(_PAYLOAD_SQL, [encode(marked, Job), job.id])

    by_batch = await _stored([j.id for j in batch])
    assert by_batch == await _stored([j.id for j in single])
    assert by_batch[0] != (await _stored([untouched.id, untouched.id]))[0]
    rows = {j.id: j.payload for j in await Job.all()}
    for job in batch:
        assert rows[job.id] == job.payload == {**payload, FEED_MESSAGE_KEY: "feed-1"}
    assert rows[untouched.id] == payload
    await mark_message([], "feed-2")  # nothing to mark: no statement, no error
