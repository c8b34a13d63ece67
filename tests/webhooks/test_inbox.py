"""The inbox and idempotency tables' functions, and the worker's resume and retry behaviour."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from models.base import InboxStatus, OrderStatus
from models.inbox.actions import (
    finish_webhook_event,
    record_processing_failure,
    store_webhook_event,
)
from models.inbox.idempotency import (
    ClaimState,
    claim_idempotency_key,
    release_idempotency_key,
    save_idempotent_response,
)
from models.inbox.queries import list_webhook_events, redact_body, unprocessed_event_ids
from models.inbox.tables import IdempotencyRecord, WebhookEvent
from models.orders.tables import Order
from tests.webhooks.helpers import BUYER, processed
from webhooks.app import INBOX_WORKER
from webhooks.errors import ProviderUnavailable
from webhooks.inbox_worker import InboxWorker
from webhooks.processing import ProviderContext


async def test_store_is_unique_per_provider_and_event_id(db):
    first = await store_webhook_event("stripe", "evt_1", "x", "{}")
    again = await store_webhook_event("stripe", "evt_1", "x", "{}")
    other = await store_webhook_event("generic", "evt_1", "x", "{}")
    assert first[1] is True and again == (first[0], False)
    assert other[1] is True and other[0] != first[0]
    assert await WebhookEvent.all().count() == 2


async def test_unprocessed_rows_oldest_first_and_failures_park(db):
    a, _ = await store_webhook_event("generic", "a", "x", "{}")
    b, _ = await store_webhook_event("generic", "b", "x", "{}")
    c, _ = await store_webhook_event("generic", "c", "x", "{}")
    await finish_webhook_event(b, InboxStatus.PROCESSED, "ok")
    assert await unprocessed_event_ids() == [a, c]
    assert await record_processing_failure(c, "boom", final=False) == 1
    assert await unprocessed_event_ids() == [a, c]
    assert await record_processing_failure(c, "boom again", final=True) == 2
    assert await unprocessed_event_ids() == [a]
    row = await WebhookEvent.get(id=c)
    assert (row.status, row.error) == (InboxStatus.FAILED, "boom again")


def test_redaction_hides_secrets_masks_emails_and_truncates():
    body = json.dumps(
        {"order_id": "1", "signature_key": "s3cr3t", "nested": [{"Token": "t"}], "e": "bob@x.io"}
    )
    preview = redact_body(body)
    assert "s3cr3t" not in preview and '"Token":"[hidden]"' in preview
    assert "bob@x.io" not in preview and "b***@x.io" in preview
    text = "Email\nwoozy_byes28@icloud.com\n" + "x" * 2000
    short = redact_body(text, limit=100)
    assert len(short) == 101 and "woozy" not in short


async def test_log_listing_pages_newest_first(db):
    for n in range(5):
        await store_webhook_event("refract", f"r{n}", "checkout", "Order Number\nA")
    rows, total = await list_webhook_events(provider="refract", page=2, per_page=2)
    assert total == 5
    assert [r["event_id"] for r in rows] == ["r2", "r1"]


async def test_idempotency_claims(db):
    assert (await claim_idempotency_key("k", "h1")).state == ClaimState.NEW
    assert (await claim_idempotency_key("k", "h1")).state == ClaimState.IN_PROGRESS
    assert (await claim_idempotency_key("k", "h2")).state == ClaimState.MISMATCH
    await save_idempotent_response("k", 201, {"order": 1})
    replay = await claim_idempotency_key("k", "h1")
    assert (replay.state, replay.response_status, replay.response_body) == (
        ClaimState.REPLAY,
        201,
        {"order": 1},
    )


async def test_idempotency_abandoned_claim_is_taken_over_once(db):
    await claim_idempotency_key("k", "h")
    later = datetime.now(UTC) + timedelta(minutes=6)
    assert (await claim_idempotency_key("k", "h", now=later)).state == ClaimState.NEW
    assert (await claim_idempotency_key("k", "h", now=later)).state == ClaimState.IN_PROGRESS
    await release_idempotency_key("k")
    assert await IdempotencyRecord.all().count() == 0
    assert (await claim_idempotency_key("k", "h")).state == ClaimState.NEW


async def test_rows_stored_before_a_restart_are_processed_at_start(make_client, settings):
    # What a process that died after its 2xx leaves behind: a stored, unprocessed row.
    body = json.dumps(
        {
            "event_id": "left-behind",
            "order_id": "ext-restart",
            "status": "paid",
            "discord_user_id": str(BUYER),
            "product": "vip",
        }
    )
    await store_webhook_event("generic", "left-behind", "order.paid", body)
    client = await make_client(settings)
    await processed(client)
    assert (await WebhookEvent.get(event_id="left-behind")).status == InboxStatus.PROCESSED
    assert (await Order.get(external_id="ext-restart")).status == OrderStatus.PAID
    assert client.app[INBOX_WORKER].scheduled_retries == 0


async def test_worker_retries_then_parks_a_failing_event(db, settings, http):
    calls = []

    async def unavailable(event, context):
        calls.append(event.id)
        raise ProviderUnavailable("still down")

    row_id, _ = await store_webhook_event("generic", "flaky", "x", "{}")
    worker = InboxWorker(ProviderContext(settings, http), {"generic": unavailable}, max_attempts=3)
    await worker.start()
    try:
        await worker.idle()
        assert worker.scheduled_retries == 1
        for _ in range(2):
            await worker.resume()
            await worker.idle()
    finally:
        await worker.stop()
    row = await WebhookEvent.get(id=row_id)
    assert (row.status, row.attempts) == (InboxStatus.FAILED, 3)
    assert "still down" in row.error
    assert calls == [row_id] * 3
