"""Customers: found or created by Discord id, safely under concurrency."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient

from models.bot_state import BotState
from models.customers.tables import Customer
from models.outbox.raw_sql import is_postgres, rows

# The shop's wallet currency (config shop.wallet_currency), stored at start by bot.launch so
# every process sharing the database opens wallets in the same currency.
_WALLET_CURRENCY = "wallet_currency"


async def set_wallet_currency(currency: str) -> None:
    """Wallets opened from now on are kept in `currency` (a 3-letter ISO code)."""
    await BotState.update_or_create(
        key=_WALLET_CURRENCY, defaults={"value": {"currency": currency.upper()}}
    )


async def wallet_currency(connection: BaseDBAsyncClient | None = None) -> str:
    """The currency new wallets are opened in: the stored one, USD when none is stored."""
    state = await BotState.filter(key=_WALLET_CURRENCY).using_db(connection).first()
    return str(state.value.get("currency", "USD")) if state else "USD"


_BY_DISCORD_ID_SQL = 'SELECT * FROM "customer" WHERE "discord_id" = ? LIMIT 1'


async def _customer_by_discord_id(
    discord_id: int, conn: BaseDBAsyncClient | None
) -> Customer | None:
    """Customer.filter(discord_id=...).first(), raw (read for every paid event)."""
    found = await rows(_BY_DISCORD_ID_SQL, [int(discord_id)], conn)
    return Customer._init_from_db(**found[0]) if found else None


async def ensure_customer(
    discord_id: int, connection: BaseDBAsyncClient | None = None, currency: str | None = None
) -> Customer:
    """The customer with this Discord id, created on first sight.

    INSERT ... ON CONFLICT DO NOTHING RETURNING instead of get_or_create: two first purchases
    at once must not abort each other's transaction; the one that did not insert reads the
    other's row.
    """
    customer, _ = await ensure_customer_spending(discord_id, 0, connection, currency)
    return customer


async def ensure_customer_spending(
    discord_id: int,
    spent: int,
    connection: BaseDBAsyncClient | None = None,
    currency: str | None = None,
) -> tuple[Customer, int]:
    """ensure_customer, a buyer created now starting with `spent` in total_spent (their first
    order's amount, in the INSERT instead of an UPDATE after it). Returns the customer and
    how much of `spent` was counted: `spent` when this call created them, else 0 (an existing
    buyer, or one another transaction created first: the caller adds it itself)."""
    existing = await _customer_by_discord_id(discord_id, connection)
    if existing is not None:
        return existing, 0
    conn = connection or Tortoise.get_connection("default")
    now = datetime.now(UTC)
    postgres = is_postgres(conn)
    stamp = now if postgres else str(now)  # the text Tortoise writes on SQLite
    # One statement for a new buyer: the wallet currency is read inside the INSERT (what
    # wallet_currency() answers) and the stored row comes back whole.
    if currency:
        sql, last = _INSERT_SQL["given"], currency
    else:
        sql, last = _INSERT_SQL["postgres" if postgres else "sqlite"], _WALLET_CURRENCY
    inserted = await rows(sql, [stamp, stamp, discord_id, last, spent], conn)
    if not inserted:
        return await Customer.filter(discord_id=discord_id).using_db(connection).get(), 0
    return Customer._init_from_db(**inserted[0]), spent


_INSERT_TEMPLATE = (
    'INSERT INTO "customer" ("created_at", "updated_at", "discord_id", "balance", '
    '"currency", "total_spent", "total_topped_up", "dms_closed") '
    "VALUES (?, ?, ?, 0, {currency}, ?, 0, FALSE) "
    'ON CONFLICT ("discord_id") DO NOTHING RETURNING *'
)
# The currency: the one given, or wallet_currency() as an expression on each engine (the
# stored currency, USD when none is stored).
_INSERT_SQL = {
    "given": _INSERT_TEMPLATE.format(currency="?"),
    "sqlite": _INSERT_TEMPLATE.format(
        currency='COALESCE((SELECT json_extract("value", \'$.currency\') FROM "bot_state" '
        "WHERE \"key\" = ?), 'USD')"
    ),
    "postgres": _INSERT_TEMPLATE.format(
        currency='COALESCE((SELECT "value"->>\'currency\' FROM "bot_state" '
        "WHERE \"key\" = ?), 'USD')"
    ),
}


async def set_dms_closed(discord_id: int, closed: bool) -> None:
    """Remembers that DMs to this customer fail (Discord 50007), so the worker stops trying."""
    customer = await ensure_customer(discord_id)
    await Customer.filter(id=customer.id).update(dms_closed=closed)


async def find_customer(discord_id: int) -> Customer | None:
    return await Customer.get_or_none(discord_id=discord_id)
