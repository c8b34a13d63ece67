"""ensure_customer's one-statement INSERT (currency read inside it, row back by RETURNING *)
against the ORM's row and against wallet_currency(), on both engines."""

from __future__ import annotations

import pytest
from tortoise.transactions import in_transaction

from models.bot_state import BotState
from models.customers.actions import ensure_customer, set_wallet_currency, wallet_currency
from models.customers.tables import Customer
from models.outbox.raw_sql import rows


async def _stored(discord_id: int) -> dict:
    (row,) = await rows('SELECT * FROM "customer" WHERE "discord_id" = ?', [discord_id])
    return row


def _same_model(raw: Customer, orm: Customer) -> None:
    assert raw._saved_in_db
    for name in Customer._meta.fields_db_projection:
        if name in ("id", "discord_id", "created_at", "updated_at"):
            continue
        assert getattr(raw, name) == getattr(orm, name), name
        assert type(getattr(raw, name)) is type(getattr(orm, name)), name
    for name in ("created_at", "updated_at"):
        assert type(getattr(raw, name)) is type(getattr(orm, name)), name
        assert getattr(raw, name).tzinfo is not None


@pytest.mark.parametrize("stored", [None, "eur", {}])
async def test_new_customer_is_the_row_the_orm_writes(db: str, stored) -> None:
    if stored == {}:
        await BotState.create(key="wallet_currency", value={})  # no currency: USD
    elif stored is not None:
        await set_wallet_currency(stored)
    expected = await wallet_currency()
    async with in_transaction() as conn:
        raw = await ensure_customer(501, conn)
    orm = await Customer.create(discord_id=502, currency=expected)
    assert raw.currency == expected == ("EUR" if stored == "eur" else "USD")
    _same_model(raw, orm)
    # The model handed back is the stored row, read as the ORM reads it.
    again = await Customer.get(discord_id=501)
    for name in Customer._meta.fields_db_projection:
        assert getattr(raw, name) == getattr(again, name), name
    # The stored text is the ORM's, timestamps aside.
    stored_raw, stored_orm = await _stored(501), await _stored(502)
    for column in stored_raw:
        if column not in ("id", "discord_id", "created_at", "updated_at"):
            assert stored_raw[column] == stored_orm[column], column
            assert type(stored_raw[column]) is type(stored_orm[column]), column
    for column in ("created_at", "updated_at"):
        assert type(stored_raw[column]) is type(stored_orm[column]), column


async def test_given_currency_wins_over_the_stored_one(db: str) -> None:
    await set_wallet_currency("idr")
    made = await ensure_customer(601, currency="JPY")
    assert made.currency == "JPY"
    assert (await Customer.get(discord_id=601)).currency == "JPY"


async def test_second_sight_in_one_transaction_reads_the_first(db: str) -> None:
    async with in_transaction() as conn:
        first = await ensure_customer(701, conn)
        second = await ensure_customer(701, conn)
    assert first.id == second.id
    assert await Customer.filter(discord_id=701).count() == 1
