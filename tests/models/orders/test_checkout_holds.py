"""Drop-safe checkouts: a card checkout holds its codes; refusals, expiry and payment."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from models.base import OrderSource, OrderStatus, PaymentMethod, StockStatus
from models.customers.wallet import credit
from models.errors import OutOfStock
from models.orders.lifecycle import apply_payment_event, expire_overdue_orders
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.purchases import purchase_with_wallet, start_checkout
from models.orders.tables import Order
from models.stock.queries import codes_for_order
from models.stock.restock import add_stock
from models.stock.tables import StockItem

BUYERS = 200
CODES = 50
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


async def _checkout(buyer: int, expires_at: datetime = NOW + timedelta(minutes=30), **kw):
    return await start_checkout(
        buyer + 1,
        "game-key",
        payment_method=PaymentMethod.STRIPE,
        reference=f"click-{buyer}",
        expires_at=expires_at,
        **kw,
    )


async def test_200_card_checkouts_for_50_codes_hold_exactly_50(catalog, cipher) -> None:
    await add_stock("game-key", [f"CODE-{i:03}" for i in range(CODES)], cipher)

    async def start(buyer: int) -> str:
        try:
            await _checkout(buyer)
        except OutOfStock:
            return "refused"
        return "held"

    results = Counter(await asyncio.gather(*(start(b) for b in range(BUYERS))))
    assert results == {"held": CODES, "refused": BUYERS - CODES}
    assert await Order.all().count() == CODES  # a refusal writes nothing
    held = await StockItem.filter(status=StockStatus.RESERVED).values_list("order_id", flat=True)
    assert len(held) == CODES and len(set(held)) == CODES
    assert await StockItem.filter(status=StockStatus.AVAILABLE).count() == 0
    # Expiry (clock injected) gives every code back.
    assert len(await expire_overdue_orders(NOW + timedelta(hours=1))) == CODES
    assert await StockItem.filter(status=StockStatus.AVAILABLE).count() == CODES
    assert await StockItem.filter(order_id__not_isnull=True).count() == 0


async def test_short_stock_says_how_many_are_left(catalog, cipher) -> None:
    await add_stock("game-key", ["A-1", "A-2", "A-3"], cipher)
    with pytest.raises(OutOfStock, match=r"Only 3 .* left"):
        await _checkout(1, quantity=5)
    assert await Order.all().count() == 0
    assert await StockItem.filter(status=StockStatus.AVAILABLE).count() == 3


async def test_held_codes_are_not_sold_by_wallet_and_paid_delivers_them(catalog, cipher) -> None:
    await add_stock("game-key", ["ONLY-1"], cipher)
    order = await _checkout(1)
    await credit(99, 10_000, reference="topup")
    with pytest.raises(OutOfStock):
        await purchase_with_wallet(99, "game-key", reference="w")
    with pytest.raises(OutOfStock, match="sold out"):
        await _checkout(2)
    # A second event on the open checkout (a double click) keeps the hold.
    again = await _checkout(1)
    assert again.id == order.id
    assert await StockItem.filter(order_id=order.id, status=StockStatus.RESERVED).count() == 1
    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.DISCORD,
            order_id=order.id,
            status=PaymentStatus.PAID,
            cause="stripe:paid",
            reference="evt-paid",
        )
    )
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    assert await codes_for_order(order.id, cipher) == ["ONLY-1"]


@pytest.mark.parametrize("status", [PaymentStatus.EXPIRED, PaymentStatus.FAILED])
async def test_provider_expiry_or_failure_releases_the_hold(catalog, cipher, status) -> None:
    await add_stock("game-key", ["ONLY-1"], cipher)
    order = await _checkout(1)
    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.DISCORD,
            order_id=order.id,
            status=status,
            cause="provider",
            reference="evt-end",
        )
    )
    assert await StockItem.filter(status=StockStatus.AVAILABLE).count() == 1
    second = await _checkout(2)
    assert await StockItem.filter(order_id=second.id, status=StockStatus.RESERVED).count() == 1


async def test_a_double_click_racing_itself_makes_one_order_and_one_hold(catalog, cipher) -> None:
    await add_stock("game-key", [f"CODE-{i:03}" for i in range(5)], cipher)
    orders = await asyncio.gather(*(_checkout(7) for _ in range(5)))
    assert len({order.id for order in orders}) == 1
    assert await Order.all().count() == 1
    assert await StockItem.filter(status=StockStatus.RESERVED).count() == 1
