"""Idempotency keys for the order API: one key, one piece of work, one stored response."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from tortoise.exceptions import IntegrityError

from models.inbox.tables import IdempotencyRecord

# A claim whose owner neither answered nor released it in this time is taken to have died.
STALE_CLAIM = timedelta(minutes=5)


class ClaimState(StrEnum):
    NEW = "new"  # the caller owns the key and must save or release it
    REPLAY = "replay"  # finished before: answer with the stored response
    IN_PROGRESS = "in_progress"  # another request with this key is still running
    MISMATCH = "mismatch"  # the key was used with a different request body


@dataclass(frozen=True)
class IdempotencyClaim:
    state: ClaimState
    response_status: int | None = None
    response_body: Any = None


async def claim_idempotency_key(
    key: str, request_hash: str, *, now: datetime | None = None
) -> IdempotencyClaim:
    """Claims `key` for a request whose canonical body hashes to `request_hash`.

    The unique key column makes concurrent claims race safely: exactly one gets NEW.
    """
    now = now or datetime.now(UTC)
    try:
        await IdempotencyRecord.create(key=key, request_hash=request_hash)
        return IdempotencyClaim(ClaimState.NEW)
    except IntegrityError:
        pass
    record = await IdempotencyRecord.get(key=key)
    if record.request_hash != request_hash:
        return IdempotencyClaim(ClaimState.MISMATCH)
    if record.response_status is not None:
        return IdempotencyClaim(ClaimState.REPLAY, record.response_status, record.response_body)
    # Take over a claim abandoned by a crashed request; the conditional update lets one win.
    taken = await IdempotencyRecord.filter(
        id=record.id, response_status__isnull=True, updated_at__lt=now - STALE_CLAIM
    ).update(updated_at=now)
    return IdempotencyClaim(ClaimState.NEW if taken else ClaimState.IN_PROGRESS)


async def save_idempotent_response(key: str, status: int, body: Any) -> None:
    """Stores the answer given for `key`; later requests with the key get exactly this."""
    await IdempotencyRecord.filter(key=key).update(
        response_status=status, response_body=body, updated_at=datetime.now(UTC)
    )


async def release_idempotency_key(key: str) -> None:
    """Frees a claimed key whose work failed unexpectedly, so the client may retry it."""
    await IdempotencyRecord.filter(key=key, response_status__isnull=True).delete()
