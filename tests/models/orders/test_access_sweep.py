"""The access sweep (models.orders.access): one revoke_role job per ended access, never two."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import clock
from models.base import JobKind
from models.orders.access import sweep_ended_access
from models.orders.tables import Order
from models.outbox.tables import Job
from tests.models.orders.test_entitlements import BUYER, VIP_ROLE, paid


@pytest.fixture(autouse=True)
def real_clock():
    yield
    clock.reset()


async def revocations() -> list[dict]:
    return [j.payload for j in await Job.filter(kind=JobKind.REVOKE_ROLE).order_by("id")]


async def test_an_ended_access_is_revoked_once_and_again_after_it_is_extended(catalog) -> None:
    order = await paid("vip", "s1")
    end = clock.now() + timedelta(days=1)
    await Order.filter(id=order.id).update(access_until=end)
    assert await sweep_ended_access() == []  # not ended yet

    clock.advance(timedelta(days=1, seconds=1))
    assert await sweep_ended_access() == [order.id]
    assert await sweep_ended_access() == []  # once per end
    [job] = await revocations()
    assert (job["order_id"], job["discord_id"], job["role_id"]) == (order.id, BUYER, VIP_ROLE)

    # Extended (say, a late subscription payment), then ended again: swept at the new end.
    await Order.filter(id=order.id).update(access_until=clock.now() + timedelta(hours=1))
    assert await sweep_ended_access() == []
    clock.advance(timedelta(hours=2))
    assert await sweep_ended_access() == [order.id]
    assert len(await revocations()) == 2


async def test_orders_for_ever_and_refunded_orders_are_not_swept(catalog) -> None:
    await paid("vip", "s2")  # no access_until: for ever
    clock.advance(timedelta(days=3650))
    assert await sweep_ended_access() == []
