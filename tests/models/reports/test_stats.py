"""/admin botstats numbers: shop revenue apart from orders only tracked (Refract, order API)."""

from __future__ import annotations

from datetime import UTC, datetime

from models.base import OrderSource
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.reports.stats import order_stats
from tests.models.conftest import external


async def test_refract_and_order_api_orders_are_tracked_apart_from_shop_revenue(catalog) -> None:
    sold = [("s1", OrderSource.GENERIC, 1000), ("s2", OrderSource.STRIPE, 500)]
    tracked = [("t1", OrderSource.REFRACT, 2500), ("t2", OrderSource.API, 700)]
    for external_id, source, amount in sold + tracked:
        await apply_payment_event(
            external(
                external_id,
                PaymentStatus.PAID,
                f"e-{external_id}",
                product_key="vip",
                amount=amount,
                source=source,
            )
        )
    stats = await order_stats(datetime.now(UTC))
    assert stats.revenue == {"USD": 1500}
    assert stats.tracked == {"USD": 3200}
    assert stats.tracked_orders == 2
    day = stats.windows["24h"]
    assert (day.revenue, day.tracked) == ({"USD": 1500}, {"USD": 3200})
    assert day.orders == 4 and day.paid_orders == 4


async def test_a_refunded_tracked_order_leaves_the_tracked_total(catalog) -> None:
    await apply_payment_event(
        external("t1", PaymentStatus.PAID, "e1", product_key="vip", source=OrderSource.REFRACT)
    )
    await apply_payment_event(
        external("t1", PaymentStatus.REFUNDED, "e2", product_key="vip", source=OrderSource.REFRACT)
    )
    stats = await order_stats(datetime.now(UTC))
    assert stats.revenue == {} and stats.tracked == {}
    assert stats.tracked_orders == 1
