"""Rows applied together take a savepoint each only when one of them fails (both engines):
the usual batch is one transaction with none; a failing row makes it roll back whole and the
rows go again one savepoint each, every other row applied once."""

from __future__ import annotations

import json

import pytest
from tortoise.backends.base.client import NestedTransactionContext

import webhooks.together as together
from models.base import InboxStatus
from models.catalog.sync import sync_catalog
from models.customers.tables import Customer
from models.inbox.actions import claim_webhook_events, store_webhook_event
from models.inbox.tables import WebhookEvent
from models.orders.tables import Order, OrderEvent
from models.outbox.tables import Job
from tests.webhooks.helpers import generic_paid
from webhooks.app import PROCESSORS
from webhooks.processing import ProviderContext
from webhooks.together import apply_together, parse_stored_events


@pytest.fixture(autouse=True)
def unhurried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(together, "TOGETHER_SECONDS", 60.0)


@pytest.fixture
def savepoints(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry for each savepoint taken."""
    taken: list[int] = []
    real = NestedTransactionContext.__aenter__

    async def counting(self):  # type: ignore[no-untyped-def]
        taken.append(1)
        return await real(self)

    monkeypatch.setattr(NestedTransactionContext, "__aenter__", counting)
    return taken


async def _parsed(settings, http, bodies: list[str]):  # type: ignore[no-untyped-def]
    ids = [
        (await store_webhook_event("generic", f"row-{n}", "paid", body))[0]
        for n, body in enumerate(bodies)
    ]
    assert await claim_webhook_events("me", limit=10, lease_seconds=30) == ids
    return ids, await parse_stored_events(ids, ProviderContext(settings, http), PROCESSORS)


async def test_rows_that_all_apply_take_no_savepoint(db, settings, http, savepoints) -> None:
    await sync_catalog(settings.products)
    ids, parsed = await _parsed(settings, http, [generic_paid(n) for n in range(4)])

    assert await apply_together(parsed, "me", lease_seconds=30) == (ids, [], 4)
    assert savepoints == []
    statuses = await WebhookEvent.all().values_list("status", flat=True)
    assert set(statuses) == {InboxStatus.PROCESSED}
    assert await Order.all().count() == await OrderEvent.all().count() == 4
    assert await Job.all().count() == 8  # a role and a receipt each
    # Each row finished with its own order's note (one UPDATE for all of them).
    for row in await WebhookEvent.all():
        order = await Order.get(external_id=json.loads(row.raw_body)["order_id"])
        assert row.error == f"order {order.number}: new -> paid"
        assert row.claimed_by is None and row.processed_at is not None


async def test_a_failing_row_rolls_the_others_back_and_they_go_again(
    db, settings, http, savepoints
) -> None:
    await sync_catalog(settings.products)
    bodies = [
        generic_paid(0),
        generic_paid(1),
        generic_paid(2, product="no-such-product"),
        generic_paid(3),
    ]
    ids, parsed = await _parsed(settings, http, bodies)

    assert await apply_together(parsed, "me", lease_seconds=30) == (
        [ids[0], ids[1], ids[3]],
        [ids[2]],
        4,
    )
    assert len(savepoints) == 4  # the second pass: one a row
    externals = await Order.all().order_by("id").values_list("external_id", flat=True)
    assert externals == ["ext-0", "ext-1", "ext-3"]
    assert await OrderEvent.all().count() == 3  # each applied once
    assert await Job.all().count() == 6
    assert await Customer.filter(discord_id=10**17 + 2).count() == 0
    buyers = await Customer.filter(discord_id__in=[10**17 + n for n in (0, 1, 3)])
    assert sorted(c.total_spent for c in buyers) == [1000, 1000, 1000]
    assert (await WebhookEvent.get(id=ids[2])).status == InboxStatus.RECEIVED  # for alone


async def test_a_lost_lease_rolls_the_others_back_and_they_go_again(
    db, settings, http, savepoints
) -> None:
    await sync_catalog(settings.products)
    ids, parsed = await _parsed(settings, http, [generic_paid(n) for n in range(3)])
    await WebhookEvent.filter(id=ids[1]).update(claimed_by="other")  # taken over meanwhile

    assert await apply_together(parsed, "me", lease_seconds=30) == ([ids[0], ids[2]], [], 3)
    assert len(savepoints) == 3
    externals = await Order.all().order_by("id").values_list("external_id", flat=True)
    assert externals == ["ext-0", "ext-2"]
    assert await OrderEvent.all().count() == 2
    row = await WebhookEvent.get(id=ids[1])
    assert (row.status, row.claimed_by) == (InboxStatus.RECEIVED, "other")
