"""Top-ups and their clawback: what a refunded or disputed top-up takes back from the wallet.

A credited top-up keeps the facts its provider reports (refunds, a dispute opened, won or
lost). Facts only accumulate, and the amount clawed back is a pure function of them:

    clawed = amount          if refunded in full, or the dispute is open or lost
           = min(refund, amount)  otherwise (a dispute won gives back all but refunds)

so duplicates and any order of events end with the same ledger. The ledger books the
difference between that and what was clawed so far (kind `clawback`), into debt if it must.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tortoise.backends.base.client import BaseDBAsyncClient

from models.base import WalletKind
from models.customers.actions import ensure_customer
from models.customers.tables import Customer, TopUp, WalletTransaction
from models.customers.wallet import book_clawback, credit_customer
from models.errors import InvalidInput
from models.money import format_money
from models.outbox.feed import queue_topup_feed


class TopUpFact(StrEnum):
    """What a provider may say about a top-up after it was credited."""

    REFUNDED = "refunded"  # with the cumulative refunded amount, or all of it
    DISPUTE_OPENED = "dispute_opened"
    DISPUTE_WON = "dispute_won"
    DISPUTE_LOST = "dispute_lost"


@dataclass(frozen=True)
class Clawback:
    """A top-up after a fact: what is clawed now, before, and the customer's balance."""

    topup: TopUp
    customer: Customer
    clawed_before: int
    # The ledger row booked for this fact (None when nothing more was due).
    entry: WalletTransaction | None = None

    @property
    def changed(self) -> bool:
        return self.topup.clawed != self.clawed_before


def in_dispute(topup: TopUp) -> bool:
    """A dispute open, or closed lost (won alone gives the money back)."""
    return topup.dispute_lost or (topup.dispute_opened and not topup.dispute_won)


def refunded_part(topup: TopUp) -> int:
    if topup.refunded_in_full:
        return topup.amount
    return min(topup.refund_amount, topup.amount)


def clawback_due(topup: TopUp) -> int:
    """The module docstring's rule: how much of this top-up the wallet must give back."""
    return topup.amount if in_dispute(topup) else refunded_part(topup)


async def credit_topup(
    discord_id: int,
    amount: int,
    *,
    reference: str,
    connection: BaseDBAsyncClient,
    payment_ref: str | None = None,
    note: str = "",
) -> bool:
    """Credits a top-up once (False when this reference was credited before) and keeps it."""
    customer = await ensure_customer(discord_id, connection)
    if not await credit_customer(
        customer,
        amount,
        kind=WalletKind.TOPUP,
        reference=reference,
        connection=connection,
        note=note,
    ):
        return False
    entry = (
        await WalletTransaction.filter(kind=WalletKind.TOPUP, reference=reference)
        .using_db(connection)
        .get()
    )
    topup = await TopUp.create(
        customer_id=customer.id,
        reference=reference,
        payment_ref=payment_ref,
        amount=amount,
        currency=customer.currency,
        credit_entry_id=entry.id,
        using_db=connection,
    )
    await queue_topup_feed(topup.id, entry.id, "topup", connection)
    return True


async def find_topup(
    connection: BaseDBAsyncClient, *, reference: str | None = None, payment_ref: str | None = None
) -> TopUp | None:
    """The top-up (row locked on PostgreSQL) by its credit reference or payment handle."""
    if reference is None and payment_ref is None:
        raise InvalidInput("name the top-up by its reference or payment handle")
    query = (
        TopUp.filter(reference=reference) if reference else TopUp.filter(payment_ref=payment_ref)
    )
    return await query.select_for_update().using_db(connection).first()


def _record(topup: TopUp, fact: TopUpFact, refund_amount: int | None) -> dict[str, object]:
    """The columns this fact sets (only ever towards "more happened")."""
    if fact is TopUpFact.REFUNDED:
        if refund_amount is None or refund_amount >= topup.amount:
            return {"refunded_in_full": True}
        return {"refund_amount": max(topup.refund_amount, refund_amount)}
    return {fact.value: True}


async def record_topup_fact(
    topup: TopUp,
    fact: TopUpFact,
    connection: BaseDBAsyncClient,
    *,
    refund_amount: int | None = None,
) -> Clawback:
    """Records a fact and books the clawback it makes due (a debit, or a give-back)."""
    before = topup.clawed
    updates = _record(topup, fact, refund_amount)
    for name, value in updates.items():
        setattr(topup, name, value)
    due = clawback_due(topup)
    customer = await Customer.filter(id=topup.customer_id).using_db(connection).get()  # type: ignore[attr-defined]
    entry = None
    if due != before:
        taken_back = (
            await WalletTransaction.filter(
                kind=WalletKind.CLAWBACK, reference__startswith=f"topup:{topup.id}:"
            )
            .using_db(connection)
            .count()
        )
        money = format_money(topup.amount, topup.currency)
        entry = await book_clawback(
            customer,
            before - due,
            reference=f"topup:{topup.id}:{taken_back + 1}",
            connection=connection,
            note=(f"top-up of {money} " + ("taken back" if due > before else "given back"))[:255],
        )
        updates["clawed"] = due
        topup.clawed = due
    await TopUp.filter(id=topup.id).using_db(connection).update(**updates)
    customer = await Customer.filter(id=topup.customer_id).using_db(connection).get()  # type: ignore[attr-defined]
    return Clawback(topup, customer, before, entry)


async def purchase_hold(customer: Customer, connection: BaseDBAsyncClient | None = None) -> str:
    """Why this customer may not buy now ("" when they may): a debt, or an open dispute."""
    balance = (
        await Customer.filter(id=customer.id).using_db(connection).values_list("balance", flat=True)
    )
    if balance and balance[0] < 0:
        owed = format_money(-balance[0], customer.currency)
        return (
            f"Your wallet owes {owed} after a top-up was refunded or disputed. "
            "Top up to settle it before buying."
        )
    disputed = TopUp.filter(
        customer_id=customer.id, dispute_opened=True, dispute_won=False, dispute_lost=False
    )
    if await disputed.using_db(connection).exists():
        return (
            "A top-up of yours is disputed with your bank; buying is on hold until the "
            "dispute is settled. A shop admin can tell you more."
        )
    return ""
