"""Customers: found or created by Discord id, safely under concurrency."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from models.bot_state import BotState
from models.customers.tables import Customer

# The shop's wallet currency (config shop.wallet_currency), stored at start by bot.launch so
# every process sharing the database opens wallets in the same currency.
_WALLET_CURRENCY = "wallet_currency"


async def set_wallet_currency(currency: str) -> None:
    """Wallets opened from now on are kept in `currency` (a 3-letter ISO code)."""
    await BotState.update_or_create(
        key=_WALLET_CURRENCY, defaults={"value": {"currency": currency.upper()}}
    )


async def wallet_currency(connection: BaseDBAsyncClient | None = None) -> str:
    row = await BotState.filter(key=_WALLET_CURRENCY).using_db(connection).first()
    return str(row.value.get("currency", "USD")) if row else "USD"


async def ensure_customer(
    discord_id: int, connection: BaseDBAsyncClient | None = None, currency: str | None = None
) -> Customer:
    """The customer with this Discord id, created on first sight.

    INSERT ... ON CONFLICT DO NOTHING (INSERT OR IGNORE on SQLite) instead of get_or_create:
    two first purchases at once must not abort each other's transaction.
    """
    existing = await Customer.filter(discord_id=discord_id).using_db(connection).first()
    if existing is not None:
        return existing
    await Customer.bulk_create(
        [Customer(discord_id=discord_id, currency=currency or await wallet_currency(connection))],
        ignore_conflicts=True,
        using_db=connection,
    )
    return await Customer.filter(discord_id=discord_id).using_db(connection).get()


async def set_dms_closed(discord_id: int, closed: bool) -> None:
    """Remembers that DMs to this customer fail (Discord 50007), so the worker stops trying."""
    customer = await ensure_customer(discord_id)
    await Customer.filter(id=customer.id).update(dms_closed=closed)


async def find_customer(discord_id: int) -> Customer | None:
    return await Customer.get_or_none(discord_id=discord_id)
