"""The inbox's group commit: many rows in one statement, each created once, in order."""

from __future__ import annotations

import asyncio

import pytest

from models.base import InboxStatus
from models.inbox.actions import store_webhook_event
from models.inbox.batch_store import NewEvent, store_webhook_events
from models.inbox.queries import load_webhook_event, unprocessed_event_ids
from models.inbox.tables import WebhookEvent
from webhooks.inbox_writer import InboxWriter


async def test_a_batch_stores_each_row_as_the_orm_would(db) -> None:
    orm_id, _ = await store_webhook_event("stripe", "evt_orm", "charge", '{"a": 1}')
    events = [NewEvent("generic", f"e{n}", "order.paid", f'{{"n": {n}}}') for n in range(5)]
    results = await store_webhook_events(events)
    assert [created for _, created in results] == [True] * 5
    ids = [row_id for row_id, _ in results]
    assert ids == sorted(ids) and ids[0] > orm_id
    stored = await load_webhook_event(ids[2])
    assert stored is not None
    assert (stored.provider, stored.event_id, stored.event_type) == ("generic", "e2", "order.paid")
    assert stored.raw_body == '{"n": 2}' and stored.status is InboxStatus.RECEIVED
    assert stored.attempts == 0
    orm_row, batch_row = await WebhookEvent.get(id=orm_id), await WebhookEvent.get(id=ids[0])
    assert batch_row.signature_ok and batch_row.error == "" and batch_row.claimed_by is None
    assert batch_row.received_at >= orm_row.received_at  # same column type, comparable
    # Arrival order is kept: the worker claims oldest first.
    assert await unprocessed_event_ids() == [orm_id, *ids]


async def test_duplicates_in_the_batch_and_before_it_get_the_stored_id(db) -> None:
    earlier, _ = await store_webhook_event("generic", "seen", "x", "{}")
    results = await store_webhook_events(
        [
            NewEvent("generic", "new", "x", "{}"),
            NewEvent("generic", "seen", "x", "{}"),
            NewEvent("generic", "new", "x", '{"again": true}'),
            NewEvent("stripe", "new", "x", "{}"),  # another provider: its own event
        ]
    )
    (new_id, new_created), (seen_id, seen_created), (again_id, again_created), (s_id, s_new) = (
        results
    )
    assert new_created and not seen_created and not again_created and s_new
    assert seen_id == earlier and again_id == new_id and s_id != new_id
    assert await WebhookEvent.all().count() == 3
    assert (await WebhookEvent.get(id=new_id)).raw_body == "{}"  # the first one was kept


async def test_a_long_event_id_is_cut_as_the_single_store_cuts_it(db) -> None:
    long = "x" * 300
    [(row_id, created)] = await store_webhook_events([NewEvent("generic", long, "t" * 90, "{}")])
    assert created
    again = await store_webhook_event("generic", long, "t", "{}")
    assert again == (row_id, False)
    row = await WebhookEvent.get(id=row_id)
    assert len(row.event_id) == 191 and len(row.event_type) == 64


async def test_requests_waiting_together_share_a_statement(db) -> None:
    writer = InboxWriter()
    results = await asyncio.gather(
        *(writer.store(NewEvent("generic", f"g{n}", "x", "{}")) for n in range(40)),
        writer.store(NewEvent("generic", "g3", "x", "{}")),
    )
    assert [created for _, created in results] == [True] * 40 + [False]
    assert results[-1][0] == results[3][0]
    # All were waiting before the writer ran: one statement; a later request gets its own.
    assert writer.statements == 1 and writer.largest_batch == 41
    assert (await writer.store(NewEvent("generic", "late", "x", "{}")))[1]
    assert writer.statements == 2
    assert await WebhookEvent.all().count() == 41


async def test_a_batch_that_fails_is_stored_row_by_row(db, monkeypatch) -> None:
    import webhooks.inbox_writer as module

    async def broken(events):  # type: ignore[no-untyped-def]
        raise ValueError("the batch statement failed")

    monkeypatch.setattr(module, "store_webhook_events", broken)
    writer = InboxWriter()
    results = await asyncio.gather(
        *(writer.store(NewEvent("generic", f"h{n}", "x", "{}")) for n in range(3))
    )
    # The batch failed as a whole, then each row was stored alone.
    assert [created for _, created in results] == [True] * 3
    stored = await WebhookEvent.all().order_by("id").values_list("event_id", flat=True)
    assert stored == ["h0", "h1", "h2"]
    # A batch of one that fails is that request's answer (a 5xx: the sender retries).
    with pytest.raises(ValueError, match="batch statement failed"):
        await writer.store(NewEvent("generic", "alone", "x", "{}"))
    assert not await WebhookEvent.exists(event_id="alone")


async def test_quiet_waits_for_requests_waiting_to_be_stored_and_no_longer_than_asked(
    db, monkeypatch
) -> None:
    import webhooks.inbox_writer as module

    release = asyncio.Event()
    real = module.store_webhook_events

    async def held(events):  # type: ignore[no-untyped-def]
        await release.wait()
        return await real(events)

    monkeypatch.setattr(module, "store_webhook_events", held)
    writer = InboxWriter()
    await asyncio.wait_for(writer.quiet(at_most=30), 1)  # nothing waits: at once
    storing = asyncio.ensure_future(writer.store(NewEvent("generic", "q", "x", "{}")))
    await asyncio.sleep(0)
    quiet = asyncio.ensure_future(writer.quiet(at_most=30))
    await asyncio.sleep(0)
    assert not quiet.done()  # a request waits for its row: the worker holds back
    release.set()
    await asyncio.wait_for(quiet, 5)
    assert (await storing)[1]
    # Bounded: with a request held for ever, quiet() gives up after at_most.
    release.clear()
    stuck = asyncio.ensure_future(writer.store(NewEvent("generic", "r", "x", "{}")))
    await asyncio.sleep(0)
    await asyncio.wait_for(writer.quiet(at_most=0.01), 5)
    release.set()
    await stuck


async def test_the_writer_logs_counts_at_most_once_per_interval(db, caplog) -> None:
    now = [0.0]
    writer = InboxWriter(clock=lambda: now[0])
    caplog.set_level("INFO", logger="webhooks.inbox_writer")
    await writer.store(NewEvent("generic", "l1", "x", "{}"))  # the first batch: a line at once
    await writer.store(NewEvent("generic", "l2", "x", "{}"))
    await writer.store(NewEvent("generic", "l1", "x", "{}"))
    now[0] = 10.0
    await writer.store(NewEvent("stripe", "l3", "x", "{}"))
    lines = [r.getMessage() for r in caplog.records if r.name == "webhooks.inbox_writer"]
    assert lines == [
        "stored generic event(s): 1 new, 0 duplicate(s) not processed again",
        "stored generic event(s): 1 new, 1 duplicate(s) not processed again",
        "stored stripe event(s): 1 new, 0 duplicate(s) not processed again",
    ]
