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


_SWEPT_ORDERS = {
    # `count` delivered orders whose access ended (long ago) and was swept.
    "sqlite": (
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?) "
        'INSERT INTO "order" (created_at, updated_at, number, source, external_id, '
        "product_name, quantity, amount, currency, status, payment_method, refunded_amount, "
        "needs_attention, attention_reason, details, product_id, access_until, "
        "access_swept_until) SELECT '2026-01-01 10:00:00+00:00', '2026-01-01 10:00:00+00:00', "
        "'SR-A' || n, 'generic', 'ended-' || n, 'VIP', 1, 1000, 'USD', 'delivered', "
        "'external', 0, 0, '', '{}', ?, '2026-02-01 10:00:00+00:00', "
        "'2026-02-01 10:00:00+00:00' FROM seq"
    ),
    "postgres": (
        'INSERT INTO "order" (created_at, updated_at, number, source, external_id, '
        "product_name, quantity, amount, currency, status, payment_method, refunded_amount, "
        "needs_attention, attention_reason, details, product_id, access_until, "
        "access_swept_until) SELECT now(), now(), 'SR-A' || n, 'generic', 'ended-' || n, "
        "'VIP', 1, 1000, 'USD', 'delivered', 'external', 0, false, '', '{}', $2, "
        "'2026-02-01 10:00:00+00:00', '2026-02-01 10:00:00+00:00' FROM generate_series(1, $1) n"
    ),
}


async def test_the_sweep_reads_only_unswept_ends_through_its_partial_index(catalog) -> None:
    """However many accesses ended and were swept before, the sweep reads an index range."""
    from models.catalog.tables import Product
    from models.orders.access import ended_sql
    from models.orders.entitlements import bound_time
    from tests.models.stock.test_stock_query_plans import engine_of, explain

    connection = Product._meta.db
    vip = await Product.get(key="vip")
    engine = engine_of(connection)
    await connection.execute_query(_SWEPT_ORDERS[engine], [5000, vip.id])
    await connection.execute_script("ANALYZE")
    postgres = engine == "postgres"
    plan = await explain(connection, ended_sql(postgres), [bound_time(clock.now(), postgres)])
    assert "idx_order_access_open" in plan, plan
    assert await sweep_ended_access() == []
