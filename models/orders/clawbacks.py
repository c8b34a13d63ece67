"""A clawed-back top-up reaches the orders it paid for: revoked while disputed, alerts to admins.

Orders paid by the wallet after a top-up was credited were paid with its money. While that
top-up is disputed (or refunded into a debt) they stop entitling: the order core gets the
same dispute facts (opened / won / lost) for each of them, so their roles are revoked and
their codes marked revoked, and a dispute won restores them. Every fact is mirrored with a
stable reference, so replays and any order of events leave the same orders.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.base import WalletKind
from models.customers.tables import TopUp, WalletTransaction
from models.customers.topups import (
    Clawback,
    TopUpFact,
    find_topup,
    record_topup_fact,
    refunded_part,
)
from models.money import format_money
from models.orders.lifecycle import apply_in_transaction
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.tables import Order
from models.outbox.actions import queue_admin_alert
from models.outbox.feed import queue_topup_feed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClawbackResult:
    clawed: int
    clawed_before: int
    balance: int
    orders: tuple[str, ...]


async def apply_topup_fact(
    fact: TopUpFact,
    *,
    reference: str | None = None,
    payment_ref: str | None = None,
    refund_amount: int | None = None,
) -> ClawbackResult | None:
    """Records a provider's fact about a top-up; None when no top-up has that handle (yet)."""
    async with in_transaction() as conn:
        topup = await find_topup(conn, reference=reference, payment_ref=payment_ref)
        if topup is None:
            return None
        clawback = await record_topup_fact(topup, fact, conn, refund_amount=refund_amount)
        orders = await _mirror_on_orders(clawback, conn)
        if clawback.entry is not None:
            await _alert(clawback, orders, conn)
            kind = "topup_clawed_back" if clawback.entry.amount < 0 else "topup_given_back"
            await queue_topup_feed(topup.id, clawback.entry.id, kind, conn)
    log.info(
        "top-up %s: %s, clawed %s -> %s", topup.id, fact.value, clawback.clawed_before, topup.clawed
    )
    return ClawbackResult(
        topup.clawed, clawback.clawed_before, clawback.customer.balance, tuple(orders)
    )


async def _funded_orders(topup: TopUp, conn: BaseDBAsyncClient) -> list[Order]:
    """Wallet orders booked after this top-up's credit (its money paid for them)."""
    references = await (
        WalletTransaction.filter(
            customer_id=topup.customer_id,  # type: ignore[attr-defined]
            kind=WalletKind.PURCHASE,
            id__gt=topup.credit_entry_id,
        )
        .using_db(conn)
        .values_list("reference", flat=True)
    )
    ids = [int(r.split(":", 1)[1]) for r in references if r.startswith("order:")]
    return await Order.filter(id__in=ids).using_db(conn).order_by("id")


def _mirrored_facts(clawback: Clawback) -> list[tuple[PaymentStatus, str]]:
    """The dispute facts the funded orders get, each with the reference that keeps it once."""
    topup = clawback.topup
    facts = []
    if topup.dispute_opened:
        facts.append((PaymentStatus.DISPUTED, "dispute-opened"))
    if topup.dispute_won:
        facts.append((PaymentStatus.DISPUTE_WON, "dispute-won"))
    if topup.dispute_lost:
        facts.append((PaymentStatus.DISPUTE_LOST, "dispute-lost"))
    # A refund the wallet could not cover (it went into debt without this top-up's dispute
    # part) is final, like a dispute lost. The balance without this top-up's clawback does
    # not depend on its facts, so the test gives the same answer in any order of events.
    balance_without_clawback = clawback.customer.balance + topup.clawed
    if refunded_part(topup) and balance_without_clawback - refunded_part(topup) < 0:
        facts.append((PaymentStatus.DISPUTE_LOST, "refund-shortfall"))
    return facts


async def _mirror_on_orders(clawback: Clawback, conn: BaseDBAsyncClient) -> list[str]:
    """Applies the mirrored facts to each funded order; the numbers of the orders changed."""
    facts = _mirrored_facts(clawback)
    changed = []
    for order in await _funded_orders(clawback.topup, conn) if facts else []:
        for status, name in facts:
            result = await apply_in_transaction(
                PaymentEvent(
                    source=order.source,
                    order_id=order.id,
                    status=status,
                    cause="wallet:topup",
                    reference=f"topup:{clawback.topup.id}:{name}",
                    note="the top-up that paid for it was refunded or disputed",
                ),
                conn,
            )
            if result.changed and order.number not in changed:
                changed.append(order.number)
    return changed


async def _alert(clawback: Clawback, orders: list[str], conn: BaseDBAsyncClient) -> None:
    topup, customer = clawback.topup, clawback.customer
    money = lambda amount: format_money(amount, topup.currency)  # noqa: E731
    taken = topup.clawed > clawback.clawed_before
    lines = [
        f"Customer <@{customer.discord_id}>: top-up of {money(topup.amount)}.",
        f"Taken back now {money(topup.clawed)} (was {money(clawback.clawed_before)}).",
        f"Wallet balance {money(customer.balance)}"
        + (" — a debt; they cannot buy until it is settled." if customer.balance < 0 else "."),
    ]
    if orders:
        verb = "revoked" if taken else "restored"
        lines.append(f"Orders {verb}: {', '.join(orders)}.")
    await queue_admin_alert(
        "Top-up clawed back" if taken else "Top-up given back",
        lines,
        dedupe_key=f"clawback:{clawback.entry.reference if clawback.entry else topup.id}",
        connection=conn,
    )
