"""Outbox reads: how many jobs wait, run, are parked or done, per kind; the parked ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import Q
from tortoise.functions import Count

from models.base import JobKind, JobStatus
from models.outbox.tables import Job


@dataclass(frozen=True)
class QueueDepth:
    pending: int
    running: int
    parked: int
    done: int
    by_kind: dict[str, dict[str, int]]

    @property
    def waiting(self) -> int:
        return self.pending + self.running


async def queue_depth() -> QueueDepth:
    """Jobs per status and per kind, for /admin botstats and /health."""
    rows = (
        await Job.annotate(n=Count("id")).group_by("kind", "status").values("kind", "status", "n")
    )
    totals = {status.value: 0 for status in JobStatus}
    by_kind: dict[str, dict[str, int]] = {}
    for row in rows:
        status = str(JobStatus(row["status"]).value)
        kind = str(JobKind(row["kind"]).value)
        totals[status] += row["n"]
        by_kind.setdefault(kind, {})[status] = row["n"]
    return QueueDepth(
        pending=totals["pending"],
        running=totals["running"],
        parked=totals["parked"],
        done=totals["done"],
        by_kind=by_kind,
    )


async def oldest_due_at(now: datetime | None = None) -> datetime | None:
    """Since when the longest-waiting claimable job has been due (an expired lease counts
    from its expiry); None when nothing is due. Jobs waiting out a backoff are not due."""
    now = now or datetime.now(UTC)
    pending = (
        await Job.filter(status=JobStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .first()
        .values("next_attempt_at")
    )
    lapsed = (
        await Job.filter(Q(status=JobStatus.RUNNING, lease_expires_at__lt=now))
        .order_by("lease_expires_at")
        .first()
        .values("lease_expires_at")
    )
    times = [
        row[key]
        for row, key in ((pending, "next_attempt_at"), (lapsed, "lease_expires_at"))
        if row is not None
    ]
    return min(times, default=None)


async def parked_jobs(kind: JobKind | None = None, limit: int = 10) -> tuple[list[Job], int]:
    """Parked jobs oldest first (of one kind, or all), at most `limit`; plus how many in all."""
    query = Job.filter(status=JobStatus.PARKED)
    if kind is not None:
        query = query.filter(kind=kind)
    return list(await query.order_by("id").limit(limit)), await query.count()
