"""Feed jobs in the outbox: queued one per event, posted up to ten to a message.

Every post_feed job stays in the outbox until the message carrying its embed is sent. Before
a message is sent, its jobs are marked with the message's nonce (payload key
FEED_MESSAGE_KEY): a job that runs again after a failed or interrupted send goes out in the
same message with the same nonce, so Discord answers with the message it already made
instead of posting the embed twice. Payload shapes are in models.orders.feed_entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.base import JobKind, JobStatus
from models.outbox.actions import enqueue, queue_admin_alert
from models.outbox.raw_sql import for_engine
from models.outbox.tables import Job

FEED_MESSAGE_KEY = "feed_message"
TOPUP_KINDS = ("topup", "topup_clawed_back", "topup_given_back")


async def queue_topup_feed(
    topup_id: int, entry_id: int, kind: str, conn: BaseDBAsyncClient
) -> None:
    """The feed entry of a top-up credited (kind "topup") or part of it taken or given back."""
    if kind not in TOPUP_KINDS:
        raise ValueError(f"not a top-up feed kind: {kind}")
    payload = {"topup_id": topup_id, "entry_id": entry_id, "kind": kind}
    await enqueue(JobKind.POST_FEED, payload, connection=conn)


async def earliest_waiting_feed_job(ids_above: int, now: datetime | None = None) -> Job | None:
    """The oldest feed job older than `ids_above` still waiting out a backoff, if any.

    Feed entries keep their order: newer ones wait for it rather than overtake it.
    """
    now = now or datetime.now(UTC)
    return (
        await Job.filter(
            kind=JobKind.POST_FEED,
            status=JobStatus.PENDING,
            next_attempt_at__gt=now,
            id__lt=ids_above,
        )
        .order_by("id")
        .first()
    )


_PAYLOAD_SQL = 'UPDATE "job" SET "payload" = ? WHERE "id" = ?'


async def mark_message(jobs: Iterable[Job], nonce: str) -> None:
    """Records which message carries these jobs, before it is sent (see the module docstring)."""
    # Raw statements (models.outbox.raw_sql): one message a feed round, each ORM update's
    # query building cost more than the statement. The jobs' updates go to the database in
    # one call (executemany), not one round trip each.
    encode = Job._meta.fields_map["payload"].to_db_value
    values = []
    for job in jobs:
        job.payload = {**job.payload, FEED_MESSAGE_KEY: nonce}
        values.append([encode(job.payload, Job), job.id])
    if not values:
        return
    async with in_transaction() as conn:
        await conn.execute_many(for_engine(_PAYLOAD_SQL, conn), values)


async def hold_back(job_ids: Iterable[int], worker_id: str, until: datetime) -> int:
    """Hands claimed feed jobs back uncounted, due at `until` (behind an older one's retry)."""
    return await Job.filter(
        id__in=list(job_ids), status=JobStatus.RUNNING, lease_owner=worker_id
    ).update(
        status=JobStatus.PENDING,
        lease_owner=None,
        lease_expires_at=None,
        attempts=F("attempts") - 1,
        next_attempt_at=until,
    )


async def fail_feed_jobs(
    jobs: Iterable[Job],
    worker_id: str,
    error: str,
    *,
    max_attempts: int,
    permanent: bool,
    retry_in: float,
) -> JobStatus:
    """A message's jobs failed together: all retried after `retry_in`, or all parked at once
    (permanent, or out of attempts) with one admin alert for the message, not one per embed.
    """
    jobs = list(jobs)
    ids = [job.id for job in jobs]
    error = error[:2000]
    now = datetime.now(UTC)
    mine = Job.filter(id__in=ids, status=JobStatus.RUNNING, lease_owner=worker_id)
    async with in_transaction() as conn:
        if not (permanent or max(job.attempts for job in jobs) >= max_attempts):
            await mine.using_db(conn).update(
                status=JobStatus.PENDING,
                last_error=error,
                lease_owner=None,
                lease_expires_at=None,
                next_attempt_at=now + timedelta(seconds=retry_in),
            )
            return JobStatus.PENDING
        await mine.using_db(conn).update(
            status=JobStatus.PARKED, last_error=error, lease_owner=None, lease_expires_at=None
        )
        reason = "a permanent failure" if permanent else f"{max_attempts} failed attempts"
        await queue_admin_alert(
            "Feed message parked",
            f"{len(ids)} feed embed(s) (jobs {ids[0]}–{ids[-1]}) stopped after {reason}: "
            f"{error[:500]} Once fixed, retry them with /admin jobs retry kind:post_feed.",
            dedupe_key=f"parked-feed:{ids[0]}:{max(job.attempts for job in jobs)}",
            connection=conn,
        )
        return JobStatus.PARKED
