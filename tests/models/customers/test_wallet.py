"""The wallet ledger: credits once per reference, debits never overdraw, balance = ledger."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.base import OrderStatus, WalletKind
from models.customers.tables import Customer, WalletTransaction
from models.customers.wallet import adjust_balance, balance, credit, ledger_sum, wallet_history
from models.errors import InsufficientFunds, InvalidInput, OutOfStock
from models.orders.actions import admin_process_order
from models.orders.purchases import purchase_with_wallet
from models.orders.tables import Order
from models.stock.restock import add_stock


async def test_repeated_credit_with_the_same_reference_books_once(db) -> None:
    assert await credit(7, 1000, reference="stripe:cs_1")
    assert not await credit(7, 1000, reference="stripe:cs_1")
    results = await asyncio.gather(*(credit(7, 1000, reference="midtrans:9") for _ in range(8)))
    assert results.count(True) == 1
    assert await balance(7) == 2000 == await ledger_sum(7)
    assert (await Customer.get(discord_id=7)).total_topped_up == 2000


async def test_bad_amounts_are_refused(db) -> None:
    for amount in (0, -5):
        with pytest.raises(InvalidInput):
            await credit(7, amount, reference=f"r{amount}")
    with pytest.raises(InvalidInput):
        await adjust_balance(7, 0, actor_id=1, reason="x", reference="a")


async def test_admin_adjustment_is_audited_and_cannot_overdraw(db) -> None:
    await credit(8, 300, reference="t")
    entry = await adjust_balance(8, -200, actor_id=99, reason="chargeback", reference="adj-1")
    assert (entry.actor_id, entry.amount, entry.balance_after, entry.note) == (
        99,
        -200,
        100,
        "chargeback",
    )
    with pytest.raises(InsufficientFunds):
        await adjust_balance(8, -101, actor_id=99, reason="too much", reference="adj-2")
    with pytest.raises(InvalidInput):
        await adjust_balance(8, 5, actor_id=99, reason="again", reference="adj-1")
    assert await balance(8) == 100 == await ledger_sum(8)


async def test_history_pages_newest_first(db) -> None:
    for i in range(12):
        await credit(9, 10 + i, reference=f"h{i}")
    first = await wallet_history(9, page=1, per_page=5)
    assert (first.pages, first.balance) == (3, sum(10 + i for i in range(12)))
    assert [e.amount for e in first.entries] == [21, 20, 19, 18, 17]
    assert [e.amount for e in (await wallet_history(9, page=3, per_page=5)).entries] == [11, 10]


async def test_purchase_refused_without_funds_or_stock_changes_nothing(catalog, cipher) -> None:
    await credit(10, 400, reference="t")
    await add_stock("game-key", ["W-1"], cipher)
    with pytest.raises(InsufficientFunds):
        await purchase_with_wallet(10, "game-key", reference="a")
    await credit(10, 5000, reference="t2")
    with pytest.raises(OutOfStock):
        await purchase_with_wallet(10, "game-key", quantity=2, reference="b")
    assert await Order.all().count() == 0
    assert await balance(10) == 5400 == await ledger_sum(10)


async def test_purchase_is_idempotent_and_admin_refund_returns_the_money_once(
    catalog, cipher
) -> None:
    await credit(11, 5000, reference="t")
    await add_stock("game-key", [f"P-{i}" for i in range(5)], cipher)
    order = await purchase_with_wallet(11, "game-key", package_quantity=5, reference="click")
    same = await purchase_with_wallet(11, "game-key", package_quantity=5, reference="click")
    assert same.id == order.id and order.amount == 2250 and order.status is OrderStatus.PAID
    assert await balance(11) == 2750
    await admin_process_order(order.number, "refund", actor_id=5, reference="i-1")
    await admin_process_order(order.number.lower(), "refund", actor_id=5, reference="i-1")
    assert await balance(11) == 5000 == await ledger_sum(11)
    refunds = await WalletTransaction.filter(kind=WalletKind.REFUND).count()
    assert refunds == 1


operation = st.one_of(
    st.tuples(st.just("credit"), st.integers(1, 500), st.integers(0, 5)),
    st.tuples(st.just("adjust"), st.integers(-600, 600).filter(bool), st.integers(0, 5)),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=12))
def test_balance_always_equals_the_ledger(db_runner: asyncio.Runner, ops) -> None:
    async def run() -> None:
        buyer = hash(tuple(ops)) % 10**9 + 10**10
        for op, amount, ref in ops:
            try:
                if op == "credit":
                    await credit(buyer, amount, reference=f"{buyer}:{ref}")
                else:
                    await adjust_balance(
                        buyer, amount, actor_id=1, reason="test", reference=f"{buyer}:{ref}"
                    )
            except (InsufficientFunds, InvalidInput):
                pass
            assert 0 <= await balance(buyer) == await ledger_sum(buyer)

    db_runner.run(run())
