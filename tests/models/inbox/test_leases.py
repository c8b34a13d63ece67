"""Inbox leases: claimed rows belong to one worker; expired leases and retry waits end."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from models.base import InboxStatus
from models.inbox.actions import (
    claim_webhook_events,
    finish_webhook_event,
    make_waiting_webhook_events_due,
    record_processing_failure,
    release_own_webhook_leases,
    release_webhook_event,
    renew_webhook_lease,
    requeue_failed_webhook_event,
    store_webhook_event,
)
from models.inbox.tables import WebhookEvent


async def _stored(count: int) -> list[int]:
    return [(await store_webhook_event("generic", f"e{n}", "x", "{}"))[0] for n in range(count)]


async def test_two_claimers_never_get_the_same_row(db) -> None:
    ids = await _stored(60)
    taken: dict[str, list[int]] = {"a": [], "b": [], "c": []}

    async def claimer(owner: str) -> None:
        while rows := await claim_webhook_events(owner, limit=4, lease_seconds=60):
            taken[owner].extend(rows)
            for row_id in rows:
                await finish_webhook_event(row_id, InboxStatus.PROCESSED, owner)
            await asyncio.sleep(0)

    await asyncio.gather(*(claimer(owner) for owner in taken))
    everything = [row_id for rows in taken.values() for row_id in rows]
    assert sorted(everything) == ids  # each row once, none left out
    notes = dict(await WebhookEvent.all().values_list("id", "error"))
    assert all(notes[row_id] == owner for owner, rows in taken.items() for row_id in rows)


async def test_a_claimed_row_is_not_claimed_again_until_its_lease_expires(db) -> None:
    [row_id] = await _stored(1)
    now = datetime.now(UTC)
    assert await claim_webhook_events("dead", limit=5, lease_seconds=15, now=now) == [row_id]
    assert await claim_webhook_events("other", limit=5, lease_seconds=15, now=now) == []
    later = now + timedelta(seconds=16)
    assert await claim_webhook_events("other", limit=5, lease_seconds=15, now=later) == [row_id]
    row = await WebhookEvent.get(id=row_id)
    assert row.claimed_by == "other" and row.lease_until > later
    # The first owner lost it: it can neither renew nor hand it back.
    assert not await renew_webhook_lease(row_id, "dead", lease_seconds=15)
    assert not await release_webhook_event(row_id, "dead")
    assert await renew_webhook_lease(row_id, "other", lease_seconds=15)


async def test_a_row_handed_back_with_a_backoff_waits_for_it(db) -> None:
    [row_id] = await _stored(1)
    now = datetime.now(UTC)
    assert await claim_webhook_events("w", limit=1, lease_seconds=15, now=now) == [row_id]
    assert await record_processing_failure(row_id, "provider down", final=False) == 1
    retry_at = now + timedelta(seconds=30)
    assert await release_webhook_event(row_id, "w", retry_at=retry_at)
    assert await claim_webhook_events("w2", limit=1, lease_seconds=15, now=now) == []
    soon = now + timedelta(seconds=31)
    assert await claim_webhook_events("w2", limit=1, lease_seconds=15, now=soon) == [row_id]
    # An admin's resume ends a wait at once.
    assert await release_webhook_event(row_id, "w2", retry_at=retry_at)
    assert await make_waiting_webhook_events_due() == 1
    assert await claim_webhook_events("w3", limit=1, lease_seconds=15, now=now) == [row_id]


async def test_finished_failed_and_replayed_rows_drop_their_lease(db) -> None:
    a, b = await _stored(2)
    assert await claim_webhook_events("w", limit=2, lease_seconds=15) == [a, b]
    await finish_webhook_event(a, InboxStatus.PROCESSED, "ok")
    await record_processing_failure(b, "gave up", final=True)
    rows = await WebhookEvent.filter(id__in=[a, b]).values_list("claimed_by", "lease_until")
    assert rows == [(None, None), (None, None)]
    assert await requeue_failed_webhook_event(b)
    assert await claim_webhook_events("w2", limit=2, lease_seconds=15) == [b]


async def test_own_rows_are_taken_back_and_handed_back(db) -> None:
    a, b, c = await _stored(3)
    now = datetime.now(UTC)
    assert await claim_webhook_events("w", limit=2, lease_seconds=15, now=now) == [a, b]
    # A fault kept the worker from releasing: its next claim takes its own rows back.
    assert await claim_webhook_events("w", limit=5, lease_seconds=15, now=now) == [a, b, c]
    assert await release_own_webhook_leases("w") == 3
    assert await claim_webhook_events("x", limit=5, lease_seconds=15, now=now) == [a, b, c]
