"""Job claiming under a lease, retries with backoff, parking with an admin notice."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from models.base import JobKind, JobStatus
from models.outbox.actions import (
    backoff_seconds,
    claim,
    complete,
    complete_each,
    complete_many,
    enqueue,
    fail,
)
from models.outbox.parked import retry_parked
from models.outbox.queries import queue_depth
from models.outbox.tables import Job


def later(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


async def test_a_claimed_job_is_not_claimed_again_until_its_lease_expires(db) -> None:
    job = await enqueue(JobKind.GRANT_ROLE, {"order_id": 1, "discord_id": 2, "role_id": 3})
    assert [j.id for j in await claim("a", lease_seconds=60)] == [job.id]
    assert await claim("b") == []
    # Worker a crashed: after the lease, b resumes the job and a can no longer finish it.
    taken = await claim("b", now=later(61))
    assert [j.id for j in taken] == [job.id] and taken[0].attempts == 2
    assert not await complete(job.id, "a")
    assert await complete(job.id, "b")
    assert (await Job.get(id=job.id)).status is JobStatus.DONE


async def test_failure_backs_off_then_parks_with_an_admin_notice(db) -> None:
    job = await enqueue(JobKind.DELIVER_CODES, {"order_id": 5, "resend": False})
    now = datetime.now(UTC)
    for attempt in range(1, 4):
        [claimed] = await claim("w", now=now)
        status = await fail(claimed.id, "w", f"HTTP 503 try {attempt}", max_attempts=3, now=now)
        row = await Job.get(id=job.id)
        if attempt < 3:
            assert status is JobStatus.PENDING and row.next_attempt_at > now
            assert await claim("w", now=now) == []  # not due yet
            now = row.next_attempt_at
    assert status is JobStatus.PARKED and row.last_error == "HTTP 503 try 3"
    notices = await Job.filter(kind=JobKind.NOTIFY_ADMIN)
    assert len(notices) == 1 and "503" in notices[0].payload["message"]
    assert (await queue_depth()).parked == 1
    assert await retry_parked(job.id)
    assert (await Job.get(id=job.id)).status is JobStatus.PENDING


async def test_permanent_failure_parks_at_once(db) -> None:
    job = await enqueue(JobKind.GRANT_ROLE, {"order_id": 1, "discord_id": 2, "role_id": 3})
    await claim("w")
    status = await fail(job.id, "w", "50013 Missing Permissions", max_attempts=8, permanent=True)
    assert status is JobStatus.PARKED
    assert await Job.filter(kind=JobKind.NOTIFY_ADMIN).count() == 1


async def test_failing_admin_notice_is_parked_without_a_notice_loop(db) -> None:
    job = await enqueue(JobKind.NOTIFY_ADMIN, {"title": "t", "message": "m"})
    await claim("w")
    assert await fail(job.id, "w", "channel gone", max_attempts=1) is JobStatus.PARKED
    assert await Job.all().count() == 1


async def test_fail_without_the_lease_changes_nothing(db) -> None:
    job = await enqueue(JobKind.POST_FEED, {"order_id": 1, "order_event_id": 1, "kind": "x"})
    await claim("a")
    assert await fail(job.id, "b", "not mine", max_attempts=3) is None
    assert (await Job.get(id=job.id)).status is JobStatus.RUNNING


async def test_dedupe_key_queues_once(db) -> None:
    assert await enqueue(JobKind.NOTIFY_ADMIN, {"title": "a", "message": "b"}, dedupe_key="k")
    assert (
        await enqueue(JobKind.NOTIFY_ADMIN, {"title": "a", "message": "b"}, dedupe_key="k") is None
    )
    depth = await queue_depth()
    assert depth.pending == 1 and depth.by_kind == {"notify_admin": {"pending": 1}}


def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    rng = random.Random(4)
    for attempts in range(1, 15):
        ceiling = min(3600.0, 5.0 * 2 ** (attempts - 1))
        delay = backoff_seconds(attempts, rng)
        assert ceiling / 2 <= delay <= ceiling
    assert len({backoff_seconds(3, rng) for _ in range(20)}) > 1


async def test_complete_many_completes_only_the_jobs_still_leased_to_the_worker(db) -> None:
    jobs = [await enqueue(JobKind.POST_FEED, {"order_id": i, "kind": "pending"}) for i in range(3)]
    assert len(await claim("a", limit=3, lease_seconds=60)) == 3
    # The last job's lease ran out and b took it: a can finish only its own two.
    [taken] = await claim("b", now=later(61), limit=1)
    assert taken.id == jobs[0].id
    assert await complete_many([job.id for job in jobs], "a") == 2
    statuses = {job.id: (await Job.get(id=job.id)).status for job in jobs}
    assert statuses == {
        jobs[0].id: JobStatus.RUNNING,
        jobs[1].id: JobStatus.DONE,
        jobs[2].id: JobStatus.DONE,
    }
    assert await complete_many([], "a") == 0


async def test_complete_each_names_the_jobs_still_leased_to_the_worker(db) -> None:
    jobs = [await enqueue(JobKind.GRANT_ROLE, {"order_id": i, "discord_id": i}) for i in range(4)]
    assert len(await claim("a", limit=4, lease_seconds=60)) == 4
    # The first job's lease ran out and b took it; the last is done already.
    [taken] = await claim("b", now=later(61), limit=1)
    assert taken.id == jobs[0].id
    assert await complete(jobs[3].id, "a")
    ids = [job.id for job in jobs]
    assert await complete_each(ids, "a") == {jobs[1].id, jobs[2].id}
    statuses = [(await Job.get(id=i)).status for i in ids]
    assert statuses == [JobStatus.RUNNING, JobStatus.DONE, JobStatus.DONE, JobStatus.DONE]
    assert (await Job.get(id=jobs[1].id)).lease_owner is None
    assert await complete_each(ids, "a") == set()
    assert await complete_each([], "a") == set()
