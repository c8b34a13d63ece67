"""Feed jobs in the outbox: a message's nonce kept on its jobs, jobs failed or parked together,
handed back behind an older one, and the older one waiting out a backoff found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.base import JobKind, JobStatus
from models.outbox.actions import claim, enqueue
from models.outbox.feed import (
    FEED_MESSAGE_KEY,
    earliest_waiting_feed_job,
    fail_feed_jobs,
    hold_back,
    mark_message,
)
from models.outbox.tables import Job

WORKER = "host:1:feed"


async def feed_jobs(count: int) -> list[Job]:
    for n in range(count):
        await enqueue(JobKind.POST_FEED, {"order_id": n, "order_event_id": n, "kind": "pending"})
    return await claim(WORKER, limit=count, kinds=(JobKind.POST_FEED,))


async def test_a_message_nonce_is_kept_on_its_jobs(db) -> None:
    jobs = await feed_jobs(3)
    await mark_message(jobs[:2], "feed-1")
    payloads = [j.payload for j in await Job.all().order_by("id")]
    assert [p.get(FEED_MESSAGE_KEY) for p in payloads] == ["feed-1", "feed-1", None]
    assert payloads[0]["kind"] == "pending"


async def test_a_failed_message_retries_all_its_jobs_at_the_same_time(db) -> None:
    jobs = await feed_jobs(3)
    status = await fail_feed_jobs(
        jobs, WORKER, "Discord answered 503", max_attempts=8, permanent=False, retry_in=30
    )
    assert status is JobStatus.PENDING
    rows = await Job.all()
    assert {(r.status, r.lease_owner, r.last_error) for r in rows} == {
        (JobStatus.PENDING, None, "Discord answered 503")
    }
    assert len({r.next_attempt_at for r in rows}) == 1
    assert not await Job.filter(kind=JobKind.NOTIFY_ADMIN).exists()


async def test_a_parked_message_parks_its_jobs_with_one_alert(db) -> None:
    jobs = await feed_jobs(4)
    status = await fail_feed_jobs(
        jobs,
        WORKER,
        "Discord answered 403 (code 50013)",
        max_attempts=8,
        permanent=True,
        retry_in=5,
    )
    assert status is JobStatus.PARKED
    assert await Job.filter(kind=JobKind.POST_FEED, status=JobStatus.PARKED).count() == 4
    (alert,) = await Job.filter(kind=JobKind.NOTIFY_ADMIN)
    assert alert.payload["title"] == "Feed message parked"
    assert "4 feed embed(s)" in alert.payload["message"]
    # Out of attempts parks them too.
    more = await feed_jobs(2)
    status = await fail_feed_jobs(more, WORKER, "503", max_attempts=1, permanent=False, retry_in=5)
    assert status is JobStatus.PARKED
    assert await Job.filter(kind=JobKind.NOTIFY_ADMIN).count() == 2


async def test_jobs_held_back_behind_an_older_retry_keep_their_attempts(db) -> None:
    older, *newer = await feed_jobs(3)
    await fail_feed_jobs([older], WORKER, "503", max_attempts=8, permanent=False, retry_in=60)
    waiting = await earliest_waiting_feed_job(newer[-1].id)
    assert waiting is not None and waiting.id == older.id
    assert await earliest_waiting_feed_job(older.id) is None
    assert await hold_back([j.id for j in newer], WORKER, waiting.next_attempt_at) == 2
    rows = await Job.filter(id__in=[j.id for j in newer])
    assert {(r.status, r.attempts, r.next_attempt_at) for r in rows} == {
        (JobStatus.PENDING, 0, waiting.next_attempt_at)
    }
    # Due together with the older one, which is claimed first.
    due = datetime.now(UTC) + timedelta(seconds=61)
    claimed = await claim(WORKER, limit=3, kinds=(JobKind.POST_FEED,), now=due)
    assert [j.id for j in claimed] == [older.id, *(j.id for j in newer)]
