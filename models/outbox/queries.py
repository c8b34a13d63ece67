"""Reads of the outbox that change nothing: how long the oldest due job has been waiting."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.expressions import Q

from models.base import JobStatus
from models.outbox.tables import Job


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
