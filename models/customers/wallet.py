"""The wallet: an append-only ledger whose sum is the balance.

Every change appends a WalletTransaction and moves Customer.balance by the same amount in
one transaction. Credits carry a reference unique per kind, so a repeated provider callback
or a retried refund books once. Debits are conditional updates (`balance >= amount`), so
concurrent purchases can never overdraw. Only a clawback (a refunded or disputed top-up taken
back, book_clawback) may take the balance below zero: the shortfall is a recorded debt.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from models.base import WalletKind
from models.customers.actions import ensure_customer
from models.customers.tables import Customer, WalletTransaction
from models.errors import InsufficientFunds, InvalidInput, NotFound

log = logging.getLogger(__name__)

MAX_AMOUNT = 10**12


def _check_amount(amount: int) -> None:
    if not isinstance(amount, int) or amount <= 0 or amount > MAX_AMOUNT:
        raise InvalidInput("The amount must be a positive whole number of minor units.")


async def _book(
    customer: Customer,
    kind: WalletKind,
    delta: int,
    reference: str,
    connection: BaseDBAsyncClient,
    *,
    note: str = "",
    actor_id: int | None = None,
) -> WalletTransaction:
    balance = (
        await Customer.filter(id=customer.id).using_db(connection).values_list("balance", flat=True)
    )[0]
    return await WalletTransaction.create(
        customer_id=customer.id,
        kind=kind,
        amount=delta,
        currency=customer.currency,
        balance_after=balance,
        reference=reference,
        note=note[:255],
        actor_id=actor_id,
        using_db=connection,
    )


async def credit_customer(
    customer: Customer,
    amount: int,
    *,
    kind: WalletKind,
    reference: str,
    connection: BaseDBAsyncClient,
    note: str = "",
    actor_id: int | None = None,
) -> bool:
    """Credits inside the caller's transaction; False when this reference was booked before."""
    _check_amount(amount)
    if await WalletTransaction.filter(kind=kind, reference=reference).using_db(connection).exists():
        return False
    try:
        async with connection._in_transaction() as savepoint:
            updates: dict[str, object] = {"balance": F("balance") + amount}
            if kind is WalletKind.TOPUP:
                updates["total_topped_up"] = F("total_topped_up") + amount
            await Customer.filter(id=customer.id).using_db(savepoint).update(**updates)
            await _book(customer, kind, amount, reference, savepoint, note=note, actor_id=actor_id)
    except IntegrityError:
        return False  # the same reference booked concurrently: that one counts
    return True


async def credit(
    discord_id: int,
    amount: int,
    *,
    kind: WalletKind = WalletKind.TOPUP,
    reference: str,
    note: str = "",
    actor_id: int | None = None,
) -> bool:
    """Credits a wallet (top-up, refund); True when new, False for a repeated reference."""
    if kind not in (WalletKind.TOPUP, WalletKind.REFUND):
        raise InvalidInput("Only top-ups and refunds are credits; use adjust_balance.")
    async with in_transaction() as conn:
        customer = await ensure_customer(discord_id, conn)
        booked = await credit_customer(
            customer,
            amount,
            kind=kind,
            reference=reference,
            connection=conn,
            note=note,
            actor_id=actor_id,
        )
    if booked:
        log.info("wallet %s credited %s (%s)", customer.id, amount, kind.value)
    return booked


async def debit_customer(
    customer: Customer,
    amount: int,
    *,
    kind: WalletKind,
    reference: str,
    connection: BaseDBAsyncClient,
    note: str = "",
    actor_id: int | None = None,
) -> WalletTransaction:
    """Debits inside the caller's transaction; InsufficientFunds when the balance is short."""
    _check_amount(amount)
    taken = (
        await Customer.filter(id=customer.id, balance__gte=amount)
        .using_db(connection)
        .update(balance=F("balance") - amount)
    )
    if taken != 1:
        balance = await balance_of_customer(customer.id, connection)
        if balance < 0:
            raise InsufficientFunds(
                f"Your wallet owes {-balance} {customer.currency} minor units after a top-up "
                "was refunded or disputed. Top up to settle it before buying."
            )
        raise InsufficientFunds(
            f"Your wallet holds {balance} and this costs {amount} ({customer.currency} minor "
            "units). Top up first."
        )
    return await _book(customer, kind, -amount, reference, connection, note=note, actor_id=actor_id)


async def book_clawback(
    customer: Customer,
    delta: int,
    *,
    reference: str,
    connection: BaseDBAsyncClient,
    note: str = "",
) -> WalletTransaction:
    """Takes back (delta < 0) or gives back (delta > 0) top-up money, even into debt.

    Unconditional on purpose: a chargeback takes the money whatever the balance, and the
    shortfall stays on the ledger. Callers serialise per top-up (models.customers.topups).
    """
    if not isinstance(delta, int) or delta == 0 or abs(delta) > MAX_AMOUNT:
        raise InvalidInput("A clawback moves a non-zero whole number of minor units.")
    await Customer.filter(id=customer.id).using_db(connection).update(balance=F("balance") + delta)
    return await _book(customer, WalletKind.CLAWBACK, delta, reference, connection, note=note)


async def balance_of_customer(customer_id: int, connection: BaseDBAsyncClient | None = None) -> int:
    rows = (
        await Customer.filter(id=customer_id).using_db(connection).values_list("balance", flat=True)
    )
    return rows[0] if rows else 0


async def balance(discord_id: int) -> int:
    """The wallet balance in minor units (0 for someone who never had a wallet)."""
    rows = await Customer.filter(discord_id=discord_id).values_list("balance", flat=True)
    return rows[0] if rows else 0


async def wallet_state(discord_id: int, default_currency: str) -> tuple[int, str]:
    """(balance, currency) of a wallet; a wallet not opened yet is empty, in the shop's."""
    customer = await Customer.get_or_none(discord_id=discord_id)
    if customer is None:
        return 0, default_currency
    return customer.balance, customer.currency


async def ledger_sum(discord_id: int) -> int:
    """The sum of the ledger: always equal to balance()."""
    rows = (
        await WalletTransaction.filter(customer__discord_id=discord_id)
        .annotate(total=Sum("amount"))
        .group_by("customer_id")
        .values("total")
    )
    return int(rows[0]["total"] or 0) if rows else 0


async def adjust_balance(
    discord_id: int, amount: int, *, actor_id: int, reason: str, reference: str
) -> WalletTransaction:
    """An admin's correction (positive or negative), audited with who and why."""
    if amount == 0:
        raise InvalidInput("An adjustment of 0 changes nothing.")
    if not reason.strip():
        raise InvalidInput("Say why the wallet is adjusted; it goes in the audit trail.")
    async with in_transaction() as conn:
        customer = await ensure_customer(discord_id, conn)
        if (
            await WalletTransaction.filter(kind=WalletKind.ADJUSTMENT, reference=reference)
            .using_db(conn)
            .exists()
        ):
            raise InvalidInput("This adjustment was already made.")
        if amount > 0:
            _check_amount(amount)
            await (
                Customer.filter(id=customer.id).using_db(conn).update(balance=F("balance") + amount)
            )
            entry = await _book(
                customer,
                WalletKind.ADJUSTMENT,
                amount,
                reference,
                conn,
                note=reason,
                actor_id=actor_id,
            )
        else:
            entry = await debit_customer(
                customer,
                -amount,
                kind=WalletKind.ADJUSTMENT,
                reference=reference,
                connection=conn,
                note=reason,
                actor_id=actor_id,
            )
    log.info("wallet %s adjusted by %s by admin %s", customer.id, amount, actor_id)
    return entry


@dataclass(frozen=True)
class WalletPage:
    balance: int
    currency: str
    entries: list[WalletTransaction]
    page: int
    pages: int


async def wallet_history(discord_id: int, page: int = 1, per_page: int = 10) -> WalletPage:
    """One page of a customer's ledger, newest first."""
    if page < 1 or not 1 <= per_page <= 50:
        raise InvalidInput("Page numbers start at 1; at most 50 entries a page.")
    customer = await Customer.get_or_none(discord_id=discord_id)
    if customer is None:
        return WalletPage(0, "USD", [], 1, 1)
    query = WalletTransaction.filter(customer_id=customer.id)
    total = await query.count()
    pages = max(1, -(-total // per_page))
    if page > pages:
        raise NotFound(f"There are only {pages} page(s).")
    entries = await query.order_by("-id").offset((page - 1) * per_page).limit(per_page)
    return WalletPage(customer.balance, customer.currency, entries, page, pages)
