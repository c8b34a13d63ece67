"""Inbox reads: a stored callback, the rows still to process, the redacted log, a health probe."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise import Tortoise

from models.base import InboxStatus
from models.inbox.tables import WebhookEvent
from models.outbox.raw_sql import marks, rows

log = logging.getLogger(__name__)


# Keys whose values never leave the database through the log API, even in a preview.
_HIDDEN_KEYS = frozenset(
    {"signature_key", "client_secret", "token", "secret", "password", "api_key", "authorization"}
)


_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


PREVIEW_CHARS = 600


@dataclass(frozen=True)
class StoredEvent:
    """One inbox row, as the processors read it."""

    id: int
    provider: str
    event_id: str
    event_type: str
    raw_body: str
    status: InboxStatus
    attempts: int
    received_at: datetime


def _stored(row: WebhookEvent) -> StoredEvent:
    return StoredEvent(
        id=row.id,
        provider=row.provider,
        event_id=row.event_id,
        event_type=row.event_type,
        raw_body=row.raw_body,
        status=InboxStatus(row.status),
        attempts=row.attempts,
        received_at=row.received_at,
    )


async def load_webhook_event(row_id: int) -> StoredEvent | None:
    row = await WebhookEvent.get_or_none(id=row_id)
    return None if row is None else _stored(row)


async def load_webhook_events(row_ids: list[int]) -> list[StoredEvent]:
    """The rows of `row_ids` that exist, in the order of `row_ids` (one query).

    Raw, only the columns a StoredEvent keeps (read for every claimed batch): the ORM built
    a whole model of each row (docs/PERFORMANCE.md). Values through their fields.
    """
    if not row_ids:
        return []
    sql = _EVENTS_SQL.format(marks=marks(len(row_ids)))
    found = {int(row["id"]): row for row in await rows(sql, list(row_ids))}
    return [_stored_row(found[row_id]) for row_id in row_ids if row_id in found]


_EVENTS_SQL = (
    'SELECT "id", "provider", "event_id", "event_type", "raw_body", "status", "attempts",'
    ' "received_at" FROM "webhook_event" WHERE "id" IN ({marks})'
)


def _stored_row(row: dict[str, Any]) -> StoredEvent:
    fields = WebhookEvent._meta.fields_map
    return StoredEvent(
        id=int(row["id"]),
        provider=row["provider"],
        event_id=row["event_id"],
        event_type=row["event_type"],
        raw_body=row["raw_body"],
        status=InboxStatus(fields["status"].to_python_value(row["status"])),
        attempts=int(row["attempts"]),
        received_at=fields["received_at"].to_python_value(row["received_at"]),
    )


async def unprocessed_event_ids(limit: int = 1000) -> list[int]:
    """Rows stored but not yet processed (e.g. the process died after answering), oldest first."""
    return list(
        await WebhookEvent.filter(status=InboxStatus.RECEIVED)
        .order_by("received_at", "id")
        .limit(limit)
        .values_list("id", flat=True)
    )


def redact_body(raw_body: str, limit: int = PREVIEW_CHARS) -> str:
    """A short preview of a stored body for admins: secrets hidden, emails masked, truncated."""
    try:
        parsed = json.loads(raw_body)
    except ValueError:
        text = raw_body
    else:
        text = json.dumps(_hide_keys(parsed), ensure_ascii=False, separators=(",", ":"))
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    return text if len(text) <= limit else text[:limit] + "…"


def _hide_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: "[hidden]" if str(k).lower() in _HIDDEN_KEYS else _hide_keys(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_hide_keys(v) for v in value]
    return value


async def list_webhook_events(
    *, provider: str | None = None, status: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of the webhook log, newest first, with redacted body previews; plus the total."""
    query = WebhookEvent.all()
    if provider:
        query = query.filter(provider=provider)
    if status:
        query = query.filter(status=InboxStatus(status))
    total = await query.count()
    rows = await query.order_by("-received_at", "-id").offset((page - 1) * per_page).limit(per_page)
    return [
        {
            "id": row.id,
            "provider": row.provider,
            "event_id": row.event_id,
            "event_type": row.event_type,
            "status": str(row.status),
            "attempts": row.attempts,
            "error": row.error,
            "received_at": row.received_at.isoformat(),
            "processed_at": row.processed_at.isoformat() if row.processed_at else None,
            "body_preview": redact_body(row.raw_body),
        }
        for row in rows
    ], total


def shared_database() -> bool:
    """True on PostgreSQL, which several processes may share; SQLite serves one process."""
    return Tortoise.get_connection("default").schema_generator.DIALECT == "postgres"


async def database_reachable() -> bool:
    """True when the database answers a query on the inbox table (so it is also migrated)."""
    try:
        connection = Tortoise.get_connection("default")
        await connection.execute_query("SELECT 1 FROM webhook_event LIMIT 1")
        return True
    except Exception as exc:  # a health probe reports any driver failure instead of raising
        log.warning("database health check failed: %s", type(exc).__name__)
        return False


async def oldest_unprocessed_at() -> datetime | None:
    """When the oldest row still waiting for processing (a retry included) was received."""
    row = (
        await WebhookEvent.filter(status=InboxStatus.RECEIVED)
        .order_by("received_at", "id")
        .first()
        .values("received_at")
    )
    return None if row is None else row["received_at"]


async def stored_bodies_containing(provider: str, text: str, limit: int) -> list[str]:
    """Raw bodies of `provider`'s rows received or processed (not failed) that contain `text`.

    Oldest first, at most `limit`: the generic webhook reads them to find an order's first
    event before it refuses a minimal one (webhooks.generic).
    """
    return (
        await WebhookEvent.filter(
            provider=provider,
            status__in=(InboxStatus.RECEIVED, InboxStatus.PROCESSED),
            raw_body__contains=text,
        )
        .order_by("id")
        .limit(limit)
        .values_list("raw_body", flat=True)
    )
