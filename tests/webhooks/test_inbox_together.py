"""Claimed rows applied several to a transaction (webhooks.together.apply_together)."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

import webhooks.inbox_worker as inbox_worker
import webhooks.together as together
from models.base import InboxStatus, OrderStatus
from models.catalog.sync import sync_catalog
from models.customers.actions import ensure_customer
from models.customers.tables import Customer
from models.inbox.actions import claim_webhook_events, store_webhook_event
from models.inbox.tables import WebhookEvent
from models.orders.tables import Order, OrderEvent
from tests.webhooks.helpers import generic_paid
from webhooks.app import PROCESSORS
from webhooks.errors import ProviderUnavailable
from webhooks.inbox_worker import InboxWorker
from webhooks.processing import ProviderContext
from webhooks.together import apply_together, parse_stored_events


@pytest.fixture(autouse=True)
def unhurried(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shared transaction keeps taking rows however slow the machine is: what these tests
    count must not depend on a row finishing within TOGETHER_SECONDS."""
    monkeypatch.setattr(together, "TOGETHER_SECONDS", 60.0)


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The rows each shared transaction processed."""
    batches: list[list[int]] = []
    real = inbox_worker.apply_together

    async def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        done, alone, taken = await real(*args, **kwargs)
        batches.append(done)
        return done, alone, taken

    monkeypatch.setattr(inbox_worker, "apply_together", recording)
    return batches


async def _run(settings, http, processors=PROCESSORS) -> None:  # type: ignore[no-untyped-def]
    worker = InboxWorker(ProviderContext(settings, http), processors)
    await worker.start()
    try:
        await worker.idle()
    finally:
        await worker.stop()


async def test_paid_rows_share_a_transaction_and_each_is_applied_once(
    db, settings, http, shared
) -> None:
    await sync_catalog(settings.products)
    for number in range(6):
        await store_webhook_event("generic", f"evt-{number}", "paid", generic_paid(number))
    await store_webhook_event("generic", "evt-again", "paid", generic_paid(2))  # a replay

    await _run(settings, http)

    assert max(len(done) for done in shared) > 1
    assert set(await WebhookEvent.all().values_list("status", flat=True)) == {InboxStatus.PROCESSED}
    assert await Order.filter(status=OrderStatus.PAID).count() == 6
    assert await OrderEvent.all().count() == 6
    replay = await WebhookEvent.get(event_id="evt-again")
    assert "already recorded" in replay.error


async def test_a_row_that_fails_in_the_shared_transaction_fails_alone(
    db, settings, http, shared
) -> None:
    await sync_catalog(settings.products)
    await store_webhook_event("generic", "evt-0", "paid", generic_paid(0))
    await store_webhook_event(
        "generic", "evt-1", "paid", generic_paid(1, product="no-such-product")
    )
    await store_webhook_event("generic", "evt-2", "paid", generic_paid(2))

    await _run(settings, http)

    rows = {row.event_id: row for row in await WebhookEvent.all()}
    assert rows["evt-0"].status == rows["evt-2"].status == InboxStatus.PROCESSED
    assert rows["evt-1"].status == InboxStatus.IGNORED  # refused by the shop, as alone
    assert "no-such-product" in rows["evt-1"].error
    assert sorted(await Order.all().values_list("external_id", flat=True)) == ["ext-0", "ext-2"]
    assert await Customer.filter(discord_id=10**17 + 1).count() == 0


async def test_a_processor_is_asked_once_per_attempt(db, settings, http, shared) -> None:
    """A row its processor could not read goes alone with that reading: one attempt counted,
    the provider not called again for it."""
    calls: list[str] = []

    async def flaky(event, context):  # type: ignore[no-untyped-def]
        calls.append(event.event_id)
        if event.event_id == "evt-1":
            raise ProviderUnavailable("down")
        return []

    for number in range(3):
        await store_webhook_event("generic", f"evt-{number}", "x", "{}")

    await _run(settings, http, {"generic": flaky})

    assert calls == ["evt-0", "evt-1", "evt-2"]
    rows = {row.event_id: row for row in await WebhookEvent.all()}
    assert (rows["evt-1"].status, rows["evt-1"].attempts) == (InboxStatus.RECEIVED, 1)
    assert rows["evt-0"].status == rows["evt-2"].status == InboxStatus.PROCESSED


async def test_a_row_whose_lease_was_lost_is_left_alone(db, settings, http) -> None:
    await sync_catalog(settings.products)
    kept, _ = await store_webhook_event("generic", "evt-0", "paid", generic_paid(0))
    lost, _ = await store_webhook_event("generic", "evt-1", "paid", generic_paid(1))
    assert await claim_webhook_events("me", limit=10, lease_seconds=30) == [kept, lost]
    parsed = await parse_stored_events([kept, lost], ProviderContext(settings, http), PROCESSORS)
    await WebhookEvent.filter(id=lost).update(claimed_by="other")  # taken over meanwhile

    assert await apply_together(parsed, "me", lease_seconds=30) == ([kept], [], 2)
    assert await Order.all().values_list("external_id", flat=True) == ["ext-0"]
    row = await WebhookEvent.get(id=lost)
    assert (row.status, row.claimed_by) == (InboxStatus.RECEIVED, "other")


async def test_a_row_waiting_for_a_lock_goes_alone_on_postgres(db, settings, http) -> None:
    """Another transaction holds the buyer's row: that row gives up after the lock timeout
    and goes alone; the others in the shared transaction are kept."""
    if not db.startswith("postgres"):
        pytest.skip("row locks are PostgreSQL's")
    await sync_catalog(settings.products)
    await ensure_customer(10**17 + 1)
    first, _ = await store_webhook_event("generic", "evt-0", "paid", generic_paid(0))
    blocked, _ = await store_webhook_event("generic", "evt-1", "paid", generic_paid(1))
    await claim_webhook_events("me", limit=10, lease_seconds=30)
    parsed = await parse_stored_events(
        [first, blocked], ProviderContext(settings, http), PROCESSORS
    )
    locked, release = asyncio.Event(), asyncio.Event()

    async def hold_the_buyer() -> None:
        async with in_transaction() as conn:
            await Customer.filter(discord_id=10**17 + 1).select_for_update().using_db(conn).get()
            locked.set()
            await release.wait()

    holder = asyncio.create_task(hold_the_buyer())
    await locked.wait()
    try:
        assert await apply_together(parsed, "me", lease_seconds=30) == ([first], [blocked], 2)
    finally:
        release.set()
        await holder
    assert await Order.all().values_list("external_id", flat=True) == ["ext-0"]
    assert (await WebhookEvent.get(id=blocked)).status == InboxStatus.RECEIVED


async def test_a_shared_transaction_stops_taking_rows_after_its_time(
    db, settings, http, monkeypatch
) -> None:
    """Past TOGETHER_SECONDS the transaction commits what it has: the first row is always
    taken, the rest wait for the next transaction."""
    monkeypatch.setattr(together, "TOGETHER_SECONDS", 0.0)
    await sync_catalog(settings.products)
    rows = [
        (await store_webhook_event("generic", f"evt-{n}", "paid", generic_paid(n)))[0]
        for n in range(3)
    ]
    await claim_webhook_events("me", limit=10, lease_seconds=30)
    parsed = await parse_stored_events(rows, ProviderContext(settings, http), PROCESSORS)

    assert await apply_together(parsed, "me", lease_seconds=30) == ([rows[0]], [], 1)
    assert await Order.all().values_list("external_id", flat=True) == ["ext-0"]
