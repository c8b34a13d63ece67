"""Reads of the webhook inbox that change nothing: what is still waiting to be processed."""

from __future__ import annotations

from datetime import datetime

from models.base import InboxStatus
from models.inbox.tables import WebhookEvent


async def oldest_unprocessed_at() -> datetime | None:
    """When the oldest row still waiting for processing (a retry included) was received."""
    row = (
        await WebhookEvent.filter(status=InboxStatus.RECEIVED)
        .order_by("received_at", "id")
        .first()
        .values("received_at")
    )
    return None if row is None else row["received_at"]
