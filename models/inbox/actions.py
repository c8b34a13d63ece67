"""The webhook inbox: every accepted callback is stored before it is answered, then processed."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise import Tortoise
from tortoise.exceptions import IntegrityError

from models.base import InboxStatus
from models.inbox.tables import WebhookEvent

log = logging.getLogger(__name__)

# Keys whose values never leave the database through the log API, even in a preview.
_HIDDEN_KEYS = frozenset(
    {"signature_key", "client_secret", "token", "secret", "password", "api_key", "authorization"}
)
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
PREVIEW_CHARS = 600
MAX_ERROR_CHARS = 2000


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


async def load_webhook_event(row_id: int) -> StoredEvent | None:
    row = await WebhookEvent.get_or_none(id=row_id)
    return None if row is None else _stored(row)


async def finish_webhook_event(row_id: int, status: InboxStatus, note: str = "") -> None:
    """Marks a row processed or ignored (with why); it is not picked up again."""
    if status not in (InboxStatus.PROCESSED, InboxStatus.IGNORED):
        raise ValueError(f"finish_webhook_event takes processed or ignored, not {status}")
    await WebhookEvent.filter(id=row_id).update(
        status=status, error=note[:MAX_ERROR_CHARS], processed_at=datetime.now(UTC)
    )


async def record_processing_failure(row_id: int, error: str, *, final: bool) -> int:
    """Counts a failed attempt; a final failure parks the row as failed. Returns attempts."""
    row = await WebhookEvent.get(id=row_id)
    attempts = row.attempts + 1
    await WebhookEvent.filter(id=row_id).update(
        attempts=attempts,
        error=error[:MAX_ERROR_CHARS],
        status=InboxStatus.FAILED if final else InboxStatus.RECEIVED,
    )
    return attempts


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


async def database_reachable() -> bool:
    """True when the database answers a query on the inbox table (so it is also migrated)."""
    try:
        connection = Tortoise.get_connection("default")
        await connection.execute_query("SELECT 1 FROM webhook_event LIMIT 1")
        return True
    except Exception as exc:  # a health probe reports any driver failure instead of raising
        log.warning("database health check failed: %s", type(exc).__name__)
        return False
