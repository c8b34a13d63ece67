"""Many buyers, few codes: no code is given twice, no wallet overdrawn, one order per event."""

from __future__ import annotations

import asyncio
from collections import Counter

from models.base import OrderStatus, StockStatus
from models.customers.wallet import balance, credit, ledger_sum
from models.errors import InsufficientFunds, OutOfStock
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.purchases import purchase_with_wallet
from models.orders.tables import Order
from models.stock.queries import codes_for_order
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from tests.models.conftest import external

BUYERS = 200
CODES = 50


async def _distinct_codes(order_ids: list[int], cipher) -> list[str]:
    codes: list[str] = []
    for order_id in order_ids:
        codes.extend(await codes_for_order(order_id, cipher))
    return codes


async def test_200_wallet_purchases_for_50_codes(catalog, cipher) -> None:
    await add_stock("game-key", [f"CODE-{i:03}" for i in range(CODES)], cipher)
    for buyer in range(BUYERS):
        await credit(buyer + 1, 500, reference=f"topup-{buyer}")

    async def buy(buyer: int) -> str:
        try:
            await purchase_with_wallet(buyer + 1, "game-key", reference=f"click-{buyer}")
        except OutOfStock:
            return "out"
        return "bought"

    results = Counter(await asyncio.gather(*(buy(b) for b in range(BUYERS))))
    assert results == {"bought": CODES, "out": BUYERS - CODES}
    paid = await Order.filter(status=OrderStatus.PAID).values_list("id", flat=True)
    assert len(paid) == CODES and await Order.all().count() == CODES  # refused ones rolled back
    codes = await _distinct_codes(paid, cipher)
    assert len(codes) == CODES and len(set(codes)) == CODES
    assert await StockItem.filter(status=StockStatus.AVAILABLE).count() == 0
    charged = [await balance(b + 1) for b in range(BUYERS)]
    assert charged.count(0) == CODES and charged.count(500) == BUYERS - CODES
    for buyer in range(0, BUYERS, 7):
        assert await ledger_sum(buyer + 1) == await balance(buyer + 1)


async def test_200_paid_webhooks_for_50_codes(catalog, cipher) -> None:
    await add_stock("game-key", [f"CODE-{i:03}" for i in range(CODES)], cipher)
    events = [external(f"ext-{i}", PaymentStatus.PAID, f"evt-{i}") for i in range(BUYERS)]
    await asyncio.gather(*(apply_payment_event(e) for e in events))
    paid = await Order.filter(status=OrderStatus.PAID).values_list("id", flat=True)
    waiting = await Order.filter(status=OrderStatus.AWAITING_STOCK).count()
    assert len(paid) == CODES and waiting == BUYERS - CODES
    codes = await _distinct_codes(paid, cipher)
    assert len(codes) == CODES and len(set(codes)) == CODES
    # The same events again, concurrently: nothing changes.
    await asyncio.gather(*(apply_payment_event(e) for e in events))
    assert await Order.filter(status=OrderStatus.PAID).count() == CODES


async def test_concurrent_debits_never_overdraw(catalog, cipher) -> None:
    await add_stock("game-key", [f"K-{i}" for i in range(40)], cipher)
    await credit(42, 2000, reference="topup")  # enough for 4 of 40 attempts

    async def buy(i: int) -> bool:
        try:
            await purchase_with_wallet(42, "game-key", reference=f"c-{i}")
        except InsufficientFunds:
            return False
        return True

    results = await asyncio.gather(*(buy(i) for i in range(40)))
    assert results.count(True) == 4
    assert await balance(42) == 0 == await ledger_sum(42)


async def test_same_first_event_concurrently_creates_one_order(catalog, cipher) -> None:
    await add_stock("game-key", ["ONE", "TWO"], cipher)
    event = external("dup", PaymentStatus.PAID, "evt")
    results = await asyncio.gather(*(apply_payment_event(event) for _ in range(10)))
    assert len({r.order_id for r in results}) == 1
    assert sum(r.applied for r in results) == 1
    assert await StockItem.filter(status=StockStatus.RESERVED).count() == 1
