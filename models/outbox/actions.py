"""The transactional outbox: jobs queued with the change that caused them, claimed under a lease.

Payload contract per JobKind (all ids are integers; the delivery worker in cogs/ runs them):

* ``deliver_codes`` ``{"order_id", "resend": bool}`` — DM the codes from
  ``models.stock.queries.codes_for_order(order_id, cipher)``; then call
  ``models.orders.actions.mark_delivered(order_id)`` before ``complete()``. Skip (complete) when
  ``models.orders.queries.get_order`` shows the order no longer entitles (refunded meanwhile).
* ``grant_role`` ``{"order_id", "discord_id", "role_id"}`` — ``role_id`` 0 means
  CUSTOMER_ROLE_ID. For a role-only product, call ``mark_delivered(order_id)`` after granting.
* ``revoke_role`` ``{"order_id", "discord_id", "role_id"}`` — first ask
  ``models.orders.entitlements.is_still_entitled(discord_id, role_id, excluding_order_id=order_id,
  customer_role_id=...)``; revoke only when it is False.
* ``post_feed`` ``{"order_id", "order_event_id", "kind"}`` — kind is one of
  pending, completed, awaiting_stock, delivered, failed, expired, cancelled, refunded,
  partially_refunded, disputed, dispute_won, dispute_lost, access_ended (order_event_id
  None: a timed access lapsed; checkout_started in jobs queued before); or
  ``{"topup_id", "entry_id", "kind"}`` for a top-up. Posted up to ten to a
  message: see models.outbox.feed and models.orders.feed_entries.
* ``notify_admin`` ``{"title", "message", "order_id"?}`` — plain text for the admin
  channel; never contains a code. Queued only by ``queue_admin_alert``; the shape is
  ``models.outbox.alerts.AdminAlert``.
* ``update_storefront`` ``{"provider", "external_id", "fulfillment_status"}`` — e.g.
  ``{"provider": "ecwid", "external_id": "123", "fulfillment_status": "DELIVERED"}``.
* ``notify_buyer`` ``{"order_id", "notice"}`` — notice ``receipt`` (a role-only order was
  delivered) or ``queued`` (a paid order waits for stock); DM the buyer, never a code;
  or ``payment_failed`` with ``"invoice_id"`` (a subscription renewal failed: a portal link).
* ``remind_access`` ``{"order_id", "access_until"}`` — DM the buyer that the timed access
  ending then ends soon, with a Renew button (models.orders.access_reminders).
* ``notify_restock`` ``{"request_id"}`` — DM a customer who asked to be told that a sold-out
  product is back (``models.customers.restock_requests``).

Worker loop: ``claim(worker_id)`` → run → ``complete(job_id, worker_id)`` or
``fail(job_id, worker_id, error, max_attempts=settings.job_max_attempts, permanent=...)``.
A failed job is retried with exponential backoff and jitter; after ``max_attempts`` claims,
or at once for a permanent failure (e.g. Discord 50013, role above the bot's), it is parked
with its error and a ``notify_admin`` job is queued (an admin retries or dismisses it:
``models.outbox.parked``). Nothing is dropped. A lease that
expires (worker crashed) makes the job claimable again.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.base import JobKind, JobStatus
from models.outbox.alerts import AdminAlert
from models.outbox.raw_sql import changed, is_postgres, marks, rows
from models.outbox.tables import Job

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 3600.0
DEFAULT_LEASE_SECONDS = 120.0
CANCELLED_PREFIX = "cancelled:"


def _now() -> datetime:
    return datetime.now(UTC)


_ENQUEUE_SQL = (
    'INSERT INTO "job" ("created_at", "updated_at", "kind", "payload", "status", "attempts",'
    ' "next_attempt_at", "last_error", "order_id") VALUES (?, ?, ?, ?, \'pending\', 0, ?, \'\', ?)'
    " RETURNING "
)


async def enqueue(
    kind: JobKind,
    payload: dict[str, Any],
    *,
    order_id: int | None = None,
    dedupe_key: str | None = None,
    delay_seconds: float = 0.0,
    connection: BaseDBAsyncClient | None = None,
) -> Job | None:
    """Queues a job in the caller's transaction; None when dedupe_key was queued before."""
    now = _now()
    run_at = now + timedelta(seconds=delay_seconds)
    if dedupe_key is None:
        (row,) = await _insert(kind, payload, order_id, now, run_at, "*", connection)
        return Job._init_from_db(**row)
    if await Job.filter(dedupe_key=dedupe_key).using_db(connection).exists():
        return None
    try:
        async with in_transaction() if connection is None else connection._in_transaction() as conn:
            return await Job.create(
                kind=kind,
                payload=payload,
                order_id=order_id,
                next_attempt_at=run_at,
                dedupe_key=dedupe_key,
                using_db=conn,
            )
    except IntegrityError:
        return None


async def enqueue_id(
    kind: JobKind,
    payload: dict[str, Any],
    *,
    order_id: int | None = None,
    dedupe_key: str | None = None,
    connection: BaseDBAsyncClient | None = None,
) -> int | None:
    """enqueue for a caller that needs only the new job's id (the order core queues several
    jobs for every order event): no Job object is built from the row."""
    if dedupe_key is not None:
        job = await enqueue(
            kind, payload, order_id=order_id, dedupe_key=dedupe_key, connection=connection
        )
        return job.id if job is not None else None
    now = _now()
    (row,) = await _insert(kind, payload, order_id, now, now, '"id"', connection)
    return row["id"]


async def enqueue_ids(
    jobs: Sequence[tuple[JobKind, dict[str, Any]]],
    *,
    order_id: int | None = None,
    connection: BaseDBAsyncClient | None = None,
) -> list[int]:
    """enqueue_id for several jobs without a dedupe key, in one multi-row INSERT (the order
    core queues two or three for a paid event); their ids in the order given."""
    if not jobs:
        return []
    now = _now()
    payload = Job._meta.fields_map["payload"]
    values: list[Any] = []
    for kind, body in jobs:
        values += [now, now, JobKind(kind).value, payload.to_db_value(body, Job), now, order_id]
    sql = _ENQUEUE_MANY_SQL + ", ".join([_ENQUEUE_ROW] * len(jobs)) + ' RETURNING "id"'
    # Ids come from the sequence row by row in VALUES order; RETURNING's order is not
    # promised by either engine, so they are sorted.
    return sorted(row["id"] for row in await rows(sql, values, connection))


_ENQUEUE_MANY_SQL = (
    'INSERT INTO "job" ("created_at", "updated_at", "kind", "payload", "status", "attempts",'
    ' "next_attempt_at", "last_error", "order_id") VALUES '
)
_ENQUEUE_ROW = "(?, ?, ?, ?, 'pending', 0, ?, '', ?)"


async def _insert(
    kind: JobKind,
    payload: dict[str, Any],
    order_id: int | None,
    now: datetime,
    run_at: datetime,
    returning: str,
    connection: BaseDBAsyncClient | None,
) -> list[dict[str, Any]]:
    # Raw (several jobs for every order): the ORM's create cost more than the INSERT.
    body = Job._meta.fields_map["payload"].to_db_value(payload, Job)
    values = [now, now, JobKind(kind).value, body, run_at, order_id]
    return await rows(_ENQUEUE_SQL + returning, values, connection)


async def queue_admin_alert(
    title: str,
    message: str | Iterable[str],
    *,
    order_id: int | None = None,
    dedupe_key: str | None = None,
    connection: BaseDBAsyncClient | None = None,
) -> Job | None:
    """Queues an alert for the admin channel; None when `dedupe_key` was queued before.

    `message` is text or lines (joined one a line), cut to fit the admin embed.
    """
    alert = AdminAlert.build(title, message, order_id)
    return await enqueue(
        JobKind.NOTIFY_ADMIN,
        alert.payload(),
        order_id=order_id,
        dedupe_key=dedupe_key,
        connection=connection,
    )


# The claim and the completion are raw SQL (models.outbox.raw_sql): run for every job, their
# ORM query building cost more than the statements. One statement claims a batch on either
# engine: on PostgreSQL its rows are locked with SKIP LOCKED (rows another process holds are
# skipped, not waited for); on SQLite an UPDATE takes the database's write lock before it
# reads, so no two writers can lease one row. A job is due when pending
# and past its next attempt, or running with its lease expired.
_CLAIMABLE_SQL = (
    '(("status" = \'pending\' AND "next_attempt_at" <= ?)'
    ' OR ("status" = \'running\' AND "lease_expires_at" < ?))'
)
_CLAIM_SET_SQL = (
    '"status" = \'running\', "lease_owner" = ?, "lease_expires_at" = ?, "attempts" = "attempts" + 1'
)


def _claim_sql(kinds: int, postgres: bool) -> str:
    kind_filter = f' AND "kind" IN ({marks(kinds)})' if kinds else ""
    picked = (
        f'SELECT "id" FROM "job" WHERE {_CLAIMABLE_SQL}{kind_filter}'
        ' ORDER BY "next_attempt_at", "id" LIMIT ?'
    )
    if postgres:
        return (
            f"WITH picked AS ({picked} FOR UPDATE SKIP LOCKED) "
            f'UPDATE "job" SET {_CLAIM_SET_SQL} FROM picked WHERE "job"."id" = picked."id" '
            'RETURNING "job".*'
        )
    return f'UPDATE "job" SET {_CLAIM_SET_SQL} WHERE "id" IN ({picked}) RETURNING *'


async def claim(
    worker_id: str,
    *,
    limit: int = 1,
    lease_seconds: float = DEFAULT_LEASE_SECONDS,
    kinds: tuple[JobKind, ...] = (),
    now: datetime | None = None,
) -> list[Job]:
    """Leases up to `limit` due jobs to worker_id; no job is ever leased to two workers."""
    now = now or _now()
    expires = now + timedelta(seconds=lease_seconds)
    # In a transaction although one statement: the project's transaction hands a connection
    # the server dropped back safely (models.database), so a worker loop never wedges on it.
    async with in_transaction() as conn:
        postgres = is_postgres(conn)
        sql = _claim_sql(len(kinds), postgres)
        # Placeholders are numbered in the text's order: the CTE comes first on PostgreSQL.
        lease = [worker_id, expires]
        picked = [now, now, *(kind.value for kind in kinds), max(limit, 0)]
        values = [*picked, *lease] if postgres else [*lease, *picked]
        found = await rows(sql, values, conn)
    claimed = [Job._init_from_db(**row) for row in found]
    claimed.sort(key=lambda job: (job.next_attempt_at, job.id))
    return claimed


_COMPLETE_SQL = (
    'UPDATE "job" SET "status" = \'done\', "lease_owner" = NULL, "lease_expires_at" = NULL'
    ' WHERE "id" = ? AND "status" = \'running\' AND "lease_owner" = ?'
)


async def complete(job_id: int, worker_id: str) -> bool:
    """Marks a leased job done; False when the lease was lost to another worker."""
    return await changed(_COMPLETE_SQL, [job_id, worker_id]) == 1


async def complete_many(job_ids: list[int], worker_id: str) -> int:
    """Marks leased jobs done in one statement (a feed message's); returns how many were
    still leased to worker_id (the others' leases were lost and stay as they are)."""
    return len(await complete_each(job_ids, worker_id))


async def complete_each(job_ids: list[int], worker_id: str) -> set[int]:
    """Marks leased jobs done in one statement; returns the ids that were still leased to
    worker_id (the others' leases were lost and stay as they are). One autocommitted write
    for jobs finished together: each write is a commit, and each commit an fsync on SQLite."""
    if not job_ids:
        return set()
    sql = (
        'UPDATE "job" SET "status" = \'done\', "lease_owner" = NULL, "lease_expires_at" = NULL'
        f' WHERE "id" IN ({marks(len(job_ids))}) AND "status" = \'running\' AND "lease_owner" = ?'
        ' RETURNING "id"'
    )
    return {int(row["id"]) for row in await rows(sql, [*job_ids, worker_id])}


def backoff_seconds(attempts: int, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: half fixed, half random, capped."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return ceiling / 2 + (rng or random).random() * ceiling / 2


async def fail(
    job_id: int,
    worker_id: str,
    error: str,
    *,
    max_attempts: int,
    permanent: bool = False,
    retry_in: float | None = None,
    now: datetime | None = None,
) -> JobStatus | None:
    """Records a failed run: retried later, or parked with an admin notice.

    Returns the job's new status, or None when the lease was lost (nothing changed).
    `retry_in` overrides the backoff (e.g. Discord's retry_after).
    """
    now = now or _now()
    error = error[:2000]
    async with in_transaction() as conn:
        job = (
            await Job.filter(id=job_id, status=JobStatus.RUNNING, lease_owner=worker_id)
            .using_db(conn)
            .first()
        )
        if job is None:
            return None
        if permanent or job.attempts >= max_attempts:
            await _park(job, error, permanent, conn)
            return JobStatus.PARKED
        delay = retry_in if retry_in is not None else backoff_seconds(job.attempts)
        await (
            Job.filter(id=job_id)
            .using_db(conn)
            .update(
                status=JobStatus.PENDING,
                last_error=error,
                lease_owner=None,
                lease_expires_at=None,
                next_attempt_at=now + timedelta(seconds=delay),
            )
        )
        return JobStatus.PENDING


async def _park(job: Job, error: str, permanent: bool, conn: BaseDBAsyncClient) -> None:
    """Stops retrying a job, keeping its error; the admins are told (unless it was an alert)."""
    await (
        Job.filter(id=job.id)
        .using_db(conn)
        .update(status=JobStatus.PARKED, last_error=error, lease_owner=None, lease_expires_at=None)
    )
    log.warning("job %s (%s) parked after %s attempt(s)", job.id, job.kind, job.attempts)
    if job.kind == JobKind.NOTIFY_ADMIN:
        return
    reason = "permanent failure" if permanent else f"{job.attempts} failed attempts"
    await queue_admin_alert(
        f"Job parked: {job.kind}",
        f"Job {job.id} stopped after {reason}: {error[:500]}",
        order_id=job.order_id,  # type: ignore[attr-defined]
        dedupe_key=f"parked:{job.id}:{job.attempts}",
        connection=conn,
    )


async def cancel_pending(
    order_id: int, kind: JobKind, reason: str, connection: BaseDBAsyncClient
) -> int:
    """Withdraws an order's not-yet-claimed jobs of one kind; returns how many."""
    return (
        await Job.filter(order_id=order_id, kind=kind, status=JobStatus.PENDING)
        .using_db(connection)
        .update(status=JobStatus.DONE, last_error=f"{CANCELLED_PREFIX} {reason}"[:2000])
    )
