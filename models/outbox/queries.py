"""Outbox reads: how many jobs wait, run, are parked or done, per kind; the parked ones."""

from __future__ import annotations

from dataclasses import dataclass

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


async def parked_jobs(kind: JobKind | None = None, limit: int = 10) -> tuple[list[Job], int]:
    """Parked jobs oldest first (of one kind, or all), at most `limit`; plus how many in all."""
    query = Job.filter(status=JobStatus.PARKED)
    if kind is not None:
        query = query.filter(kind=kind)
    return list(await query.order_by("id").limit(limit)), await query.count()
