"""Finishing several processed webhook rows in one statement (webhooks.processing).

finish_webhook_event (models.inbox.actions) for a batch a worker applied in one transaction:
each row marked processed with its own note, its lease dropped, only while it is still
received and leased to that worker, in one UPDATE on both engines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from models.base import InboxStatus
from models.inbox.actions import MAX_ERROR_CHARS
from models.inbox.tables import WebhookEvent
from models.outbox.raw_sql import changed, marks

# Rows per statement: two parameters each, far below either engine's parameter limit.
MAX_ROWS = 256


async def finish_processed_webhook_events(
    notes: Sequence[tuple[int, str]], owner: str, connection: BaseDBAsyncClient
) -> int:
    """Marks each (row id, note) processed with its note, in the caller's transaction, while
    the row is received and leased to `owner`. Returns how many rows were marked: fewer
    than given when a lease was lost (the caller rolls back)."""
    if not notes:
        return 0
    if len(notes) > MAX_ROWS:
        raise ValueError(f"at most {MAX_ROWS} rows a statement, not {len(notes)}")
    fields = WebhookEvent._meta.fields_map
    status = fields["status"]
    cases = " ".join("WHEN ? THEN ?" for _ in notes)
    sql = (
        f'UPDATE "webhook_event" SET "status" = ?, "error" = CASE "id" {cases} END,'
        ' "processed_at" = ?, "claimed_by" = NULL, "lease_until" = NULL'
        f' WHERE "id" IN ({marks(len(notes))}) AND "status" = ? AND "claimed_by" = ?'
    )
    values: list = [status.to_db_value(InboxStatus.PROCESSED, None)]
    for row_id, note in notes:
        values += [row_id, note[:MAX_ERROR_CHARS]]
    values.append(fields["processed_at"].to_db_value(datetime.now(UTC), None))
    values += [row_id for row_id, _ in notes]
    values += [status.to_db_value(InboxStatus.RECEIVED, None), owner]
    return await changed(sql, values, connection)
