"""The webhook inbox: every accepted callback is stored before it is answered, then processed.

Rows are processed under a lease, as jobs are (models.outbox.actions): a worker claims due
rows (`claimed_by`, `lease_until`), renews the lease of each row as it starts it, and finishes
it (processed, ignored, failed) or releases it with a time before which it is not retried. A
process that dies leaves its rows claimed until `lease_until`; then any worker claims them.
A row nobody holds whose `lease_until` lies ahead waits out a retry backoff.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from models.base import InboxStatus
from models.inbox.tables import WebhookEvent
from models.outbox.raw_sql import changed, is_postgres, rows

log = logging.getLogger(__name__)

MAX_ERROR_CHARS = 2000


async def store_webhook_event(
    provider: str, event_id: str, event_type: str, raw_body: str
) -> tuple[int, bool]:
    """Stores a verified callback; returns (row id, created). A repeated event id is not stored.

    Uniqueness of (provider, event_id) is enforced by the table, so two receivers racing on
    the same delivery store it once.
    """
    try:
        row = await WebhookEvent.create(
            provider=provider,
            event_id=event_id[:191],
            event_type=event_type[:64],
            raw_body=raw_body,
            signature_ok=True,
        )
        return row.id, True
    except IntegrityError:
        existing = await WebhookEvent.get(provider=provider, event_id=event_id[:191])
        return existing.id, False


async def finish_webhook_event(
    row_id: int,
    status: InboxStatus,
    note: str = "",
    *,
    connection: BaseDBAsyncClient | None = None,
    owner: str | None = None,
) -> bool:
    """Marks a row processed or ignored (with why), lease dropped; it is not picked up again.

    With `connection`, in the caller's transaction (the row finished with its effects); with
    `owner`, only while the row is still received and leased to it. False when not marked.
    """
    if status not in (InboxStatus.PROCESSED, InboxStatus.IGNORED):
        raise ValueError(f"finish_webhook_event takes processed or ignored, not {status}")
    # Raw (once for every processed event): the ORM's UPDATE building cost more than the
    # statement (docs/PERFORMANCE.md). Values through their fields, as the ORM writes them.
    fields = WebhookEvent._meta.fields_map
    values = [
        fields["status"].to_db_value(status, None),
        note[:MAX_ERROR_CHARS],
        fields["processed_at"].to_db_value(datetime.now(UTC), None),
        row_id,
    ]
    sql = _FINISH_SQL
    if owner is not None:
        sql += _FINISH_OWNED_SQL
        values += [fields["status"].to_db_value(InboxStatus.RECEIVED, None), owner]
    return await changed(sql, values, connection) == 1


_FINISH_SQL = (
    'UPDATE "webhook_event" SET "status" = ?, "error" = ?, "processed_at" = ?,'
    ' "claimed_by" = NULL, "lease_until" = NULL WHERE "id" = ?'
)
_FINISH_OWNED_SQL = ' AND "status" = ? AND "claimed_by" = ?'


async def record_processing_failure(row_id: int, error: str, *, final: bool) -> int:
    """Counts a failed attempt; a final failure parks the row as failed. Returns attempts.

    A retried row stays leased to its worker, which releases it with its backoff.
    """
    row = await WebhookEvent.get(id=row_id)
    attempts = row.attempts + 1
    parked = {"claimed_by": None, "lease_until": None} if final else {}
    await WebhookEvent.filter(id=row_id).update(
        attempts=attempts,
        error=error[:MAX_ERROR_CHARS],
        status=InboxStatus.FAILED if final else InboxStatus.RECEIVED,
        **parked,
    )
    return attempts


async def requeue_failed_webhook_event(row_id: int) -> bool:
    """Puts a failed inbox row back to received with a fresh attempt count (admin replay)."""
    hit = await WebhookEvent.filter(id=row_id, status=InboxStatus.FAILED).update(
        status=InboxStatus.RECEIVED, attempts=0, claimed_by=None, lease_until=None
    )
    return hit == 1


def _now() -> datetime:
    return datetime.now(UTC)


def _claim_sql(postgres: bool) -> str:
    """One statement: the due rows, oldest first, leased; on PostgreSQL rows another worker
    is claiming right now are skipped, not waited for (SQLite runs one writer at a time).

    Due: received rows whose lease (or retry wait) is over, and rows left leased to the
    claiming worker. A worker claims only while it holds no row in hand, so a row still leased
    to it then is one a database fault kept it from releasing: it takes that back at once.
    """
    lock = " FOR UPDATE SKIP LOCKED" if postgres else ""
    return (
        'UPDATE "webhook_event" SET "claimed_by" = ?, "lease_until" = ? '
        'WHERE "id" IN (SELECT "id" FROM "webhook_event" '
        'WHERE "status" = ? AND ("lease_until" IS NULL OR "lease_until" < ? '
        f'OR "claimed_by" = ?) ORDER BY "received_at", "id" LIMIT ?{lock}) '
        'RETURNING "id", "received_at"'
    )


async def claim_webhook_events(
    owner: str, *, limit: int, lease_seconds: float, now: datetime | None = None
) -> list[int]:
    """Leases up to `limit` due rows to `owner`, oldest first; no row is leased to two owners."""
    now = now or _now()
    until = now + timedelta(seconds=lease_seconds)
    conn = Tortoise.get_connection("default")
    postgres = is_postgres(conn)
    # The text Tortoise writes for a datetime on SQLite (models.inbox.batch_store).
    stamps = (until, now) if postgres else (str(until), str(now))
    values = [owner, stamps[0], InboxStatus.RECEIVED.value, stamps[1], owner, limit]
    claimed = await rows(_claim_sql(postgres), values, conn)
    claimed.sort(key=lambda row: (row["received_at"], row["id"]))
    return [int(row["id"]) for row in claimed]


async def renew_webhook_lease(
    row_id: int,
    owner: str,
    *,
    lease_seconds: float,
    now: datetime | None = None,
    connection: BaseDBAsyncClient | None = None,
) -> bool:
    """Gives a claimed row a full lease as its processing starts; False when it was lost."""
    until = (now or _now()) + timedelta(seconds=lease_seconds)
    hit = await (
        WebhookEvent.filter(id=row_id, status=InboxStatus.RECEIVED, claimed_by=owner)
        .using_db(connection)
        .update(lease_until=until)
    )
    return hit == 1


async def renew_webhook_leases(
    row_ids: list[int], owner: str, *, lease_seconds: float, now: datetime | None = None
) -> int:
    """renew_webhook_lease for several rows in one statement; returns how many were kept."""
    until = (now or _now()) + timedelta(seconds=lease_seconds)
    return await WebhookEvent.filter(
        id__in=row_ids, status=InboxStatus.RECEIVED, claimed_by=owner
    ).update(lease_until=until)


async def release_webhook_event(
    row_id: int, owner: str, *, retry_at: datetime | None = None
) -> bool:
    """Hands a row back: claimable by anyone from `retry_at` (at once when None)."""
    hit = await WebhookEvent.filter(id=row_id, claimed_by=owner).update(
        claimed_by=None, lease_until=retry_at
    )
    return hit == 1


async def release_own_webhook_leases(owner: str) -> int:
    """Hands back every row still leased to `owner` (a worker stopping with rows in hand)."""
    return await WebhookEvent.filter(claimed_by=owner).update(claimed_by=None, lease_until=None)


async def release_all_webhook_leases() -> int:
    """Frees every claimed row (SQLite at start: no other process can hold one)."""
    return await WebhookEvent.filter(claimed_by__isnull=False).update(
        claimed_by=None, lease_until=None
    )


async def make_waiting_webhook_events_due() -> int:
    """Ends the retry wait of every received row no worker holds (an admin's resume)."""
    return await WebhookEvent.filter(
        status=InboxStatus.RECEIVED, claimed_by__isnull=True, lease_until__isnull=False
    ).update(lease_until=None)


async def resume_webhook_events() -> int:
    """Ends every retry wait (an admin's replay or resume); returns how many rows wait to run."""
    await make_waiting_webhook_events_due()
    return await WebhookEvent.filter(status=InboxStatus.RECEIVED).count()
