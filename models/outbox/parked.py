"""Admin handling of parked jobs: queue them again with a fresh attempt budget, dismiss them
for good (their error stays readable), or close the ones a newer job replaces."""

from __future__ import annotations

from datetime import UTC, datetime

from models.base import JobKind, JobStatus
from models.outbox.tables import Job


async def retry_parked(job_id: int) -> bool:
    """Puts a parked job back in the queue with a fresh attempt budget (admin action)."""
    hit = await Job.filter(id=job_id, status=JobStatus.PARKED).update(
        status=JobStatus.PENDING, attempts=0, next_attempt_at=datetime.now(UTC)
    )
    return hit == 1


DISMISSED_PREFIX = "dismissed:"


async def dismiss_parked(job_id: int, actor_id: int) -> bool:
    """Gives up on a parked job for good (admin action); its error stays readable."""
    job = await Job.get_or_none(id=job_id, status=JobStatus.PARKED)
    if job is None:
        return False
    note = f"{DISMISSED_PREFIX} by {actor_id}; {job.last_error}"[:2000]
    hit = await Job.filter(id=job_id, status=JobStatus.PARKED).update(
        status=JobStatus.DONE, last_error=note
    )
    return hit == 1


async def retry_parked_of_kind(kind: JobKind) -> int:
    """Queues every parked job of one kind again with a fresh budget; returns how many."""
    return await Job.filter(kind=kind, status=JobStatus.PARKED).update(
        status=JobStatus.PENDING, attempts=0, next_attempt_at=datetime.now(UTC)
    )


async def dismiss_parked_of_kind(kind: JobKind, actor_id: int) -> int:
    """Dismisses every parked job of one kind (see dismiss_parked); returns how many."""
    ids = await Job.filter(kind=kind, status=JobStatus.PARKED).values_list("id", flat=True)
    return sum([await dismiss_parked(job_id, actor_id) for job_id in ids])


SUPERSEDED_PREFIX = "superseded:"


async def settle_parked_of_order(order_id: int, kinds: tuple[JobKind, ...], why: str) -> int:
    """Closes an order's parked jobs of `kinds` that newer jobs replace (an admin retry)."""
    return await Job.filter(order_id=order_id, kind__in=kinds, status=JobStatus.PARKED).update(
        status=JobStatus.DONE, last_error=f"{SUPERSEDED_PREFIX} {why}"[:2000]
    )
