"""A buyer first seen with a paid order starts with its amount spent: the customer's INSERT
carries it (no UPDATE of the customer after), and settle() adds only what is still owed. On
both engines, against what the same orders count when the buyer already exists."""

from __future__ import annotations

import pytest

from models.customers import actions
from models.customers.actions import ensure_customer_spending
from models.customers.tables import Customer
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from tests.models.conftest import external
from tests.models.sql_log import sql_run


async def _customer_updates(event) -> list[str]:  # type: ignore[no-untyped-def]
    """The UPDATEs of "customer" that applying the event runs."""
    with sql_run() as sql:
        await apply_payment_event(event)
    return [s for s in sql if s.startswith('UPDATE "customer"')]


async def test_a_new_buyers_paid_order_is_counted_in_their_insert(catalog) -> None:
    paid = external("n1", PaymentStatus.PAID, "paid-n1", product_key="vip", discord_user_id=21)
    assert await _customer_updates(paid) == []
    assert (await Customer.get(discord_id=21)).total_spent == 500
    # Their next order adds to it, with an UPDATE (the buyer exists now).
    again = external("n2", PaymentStatus.PAID, "paid-n2", product_key="vip", discord_user_id=21)
    assert len(await _customer_updates(again)) == 1
    assert (await Customer.get(discord_id=21)).total_spent == 1000


async def test_an_existing_buyers_paid_order_adds_to_what_they_spent(catalog) -> None:
    await Customer.create(discord_id=22, total_spent=7)
    paid = external("e1", PaymentStatus.PAID, "paid-e1", product_key="vip", discord_user_id=22)
    assert len(await _customer_updates(paid)) == 1
    assert (await Customer.get(discord_id=22)).total_spent == 507


async def test_a_new_buyers_pending_order_counts_when_paid(catalog) -> None:
    first = external("p1", PaymentStatus.PENDING, "pending-p1", product_key="vip")
    await apply_payment_event(type(first)(**{**first.__dict__, "discord_user_id": 23}))
    assert (await Customer.get(discord_id=23)).total_spent == 0
    paid = external("p1", PaymentStatus.PAID, "paid-p1", product_key="vip", discord_user_id=23)
    await apply_payment_event(paid)
    assert (await Customer.get(discord_id=23)).total_spent == 500


@pytest.mark.parametrize("status", [PaymentStatus.PAID, PaymentStatus.REFUNDED])
async def test_a_new_buyer_counts_as_a_buyer_seen_before(catalog, status) -> None:
    await Customer.create(discord_id=25)
    for buyer, external_id in ((24, "new"), (25, "old")):
        event = external(external_id, status, f"x-{external_id}", discord_user_id=buyer)
        await apply_payment_event(event)
    new, old = await Customer.get(discord_id=24), await Customer.get(discord_id=25)
    assert new.total_spent == old.total_spent == 500


async def test_spending_is_counted_only_by_the_call_that_creates_the_buyer(db) -> None:
    made, counted = await ensure_customer_spending(31, 400)
    assert counted == 400 and made.total_spent == 400
    assert (await Customer.get(discord_id=31)).total_spent == 400
    found, counted = await ensure_customer_spending(31, 900)
    assert (found.id, counted, found.total_spent) == (made.id, 0, 400)
    assert (await Customer.get(discord_id=31)).total_spent == 400


async def test_a_buyer_created_by_another_transaction_first_counts_nothing(db, monkeypatch) -> None:
    # Another transaction inserts the buyer between this call's read and its INSERT.
    await Customer.create(discord_id=32, total_spent=5)

    async def not_seen_yet(discord_id, connection):  # type: ignore[no-untyped-def]
        return None

    monkeypatch.setattr(actions, "_customer_by_discord_id", not_seen_yet)
    found, counted = await ensure_customer_spending(32, 400)
    assert counted == 0 and found.total_spent == 5
    assert (await Customer.get(discord_id=32)).total_spent == 5
