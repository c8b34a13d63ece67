"""The webhook inbox: every accepted callback is stored before it is answered, then processed."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from models.base import InboxStatus
from models.inbox.tables import WebhookEvent

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


async def requeue_failed_webhook_event(row_id: int) -> bool:
    """Puts a failed inbox row back to received with a fresh attempt count (admin replay)."""
    hit = await WebhookEvent.filter(id=row_id, status=InboxStatus.FAILED).update(
        status=InboxStatus.RECEIVED, attempts=0
    )
    return hit == 1
