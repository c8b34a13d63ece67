"""The expiry sweep: lapsed unpaid checkouts expire once; paid ones are left alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models import Order
from models.base import OrderSource, OrderStatus, PaymentMethod
from models.catalog.sync import sync_catalog
from models.orders.lifecycle import expire_overdue_orders
from models.orders.purchases import start_checkout
from models.stock.restock import add_stock
from settings import ProductConfig


async def test_sweep_expires_lapsed_checkouts_once(db: str, cipher) -> None:
    await sync_catalog([ProductConfig("k", "Key", "code", 500, "USD")])
    await add_stock("k", ["K-1", "K-2"], cipher)
    now = datetime.now(UTC)
    lapsed = await start_checkout(
        1 << 40,
        "k",
        payment_method=PaymentMethod.STRIPE,
        reference="a",
        expires_at=now - timedelta(minutes=1),
    )
    fresh = await start_checkout(
        1 << 40,
        "k",
        payment_method=PaymentMethod.STRIPE,
        reference="b",
        expires_at=now + timedelta(minutes=30),
    )
    assert await expire_overdue_orders(now) == [lapsed.id]
    assert await expire_overdue_orders(now) == []
    statuses = dict(await Order.all().values_list("id", "status"))
    assert statuses == {lapsed.id: OrderStatus.EXPIRED, fresh.id: OrderStatus.PENDING}
    assert (await Order.get(id=lapsed.id)).source == OrderSource.DISCORD
