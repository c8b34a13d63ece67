"""ensure_customer's raw reads against the ORM (both engines)."""

from __future__ import annotations

from models.customers.actions import ensure_customer, set_wallet_currency, wallet_currency
from models.customers.tables import Customer


async def test_existing_customer_reads_as_the_orm_reads(db: str) -> None:
    made = await Customer.create(discord_id=2**62, balance=150, currency="EUR", total_spent=7)
    found = await ensure_customer(2**62)
    orm = await Customer.get(discord_id=2**62)
    assert found.id == made.id and found._saved_in_db
    for name in Customer._meta.fields_db_projection:
        assert getattr(found, name) == getattr(orm, name), name
        assert type(getattr(found, name)) is type(getattr(orm, name)), name
    assert await Customer.all().count() == 1


async def test_new_customer_once_in_the_wallet_currency(db: str) -> None:
    assert await wallet_currency() == "USD"
    await set_wallet_currency("idr")
    assert await wallet_currency() == "IDR"
    first = await ensure_customer(77)
    again = await ensure_customer(77)
    assert first.id == again.id and again.currency == "IDR"
    assert await Customer.filter(discord_id=77).count() == 1
