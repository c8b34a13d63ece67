"""The process step: a stored inbox row, re-read by its provider module, handed to the models."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
import asyncpg
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.base import InboxStatus
from models.customers.topups import TopUpFact, credit_topup
from models.database import is_database_unavailable
from models.errors import NotFound, ShopError
from models.inbox.actions import (
    finish_webhook_event,
    record_processing_failure,
)
from models.inbox.batch_finish import MAX_ROWS, finish_processed_webhook_events
from models.inbox.queries import StoredEvent, load_webhook_event, load_webhook_events
from models.orders.clawbacks import apply_topup_fact
from models.orders.lifecycle import apply_in_transaction, apply_payment_event
from models.orders.payment_event import ApplyResult, PaymentEvent, PaymentStatus
from models.outbox.actions import is_postgres, queue_admin_alert
from models.subscriptions.actions import apply_subscription_fact
from models.subscriptions.state import SubscriptionFact
from settings import Settings
from webhooks.errors import EventIgnored, OrderNotYetKnown, ProviderUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProviderContext:
    """What processors need besides the stored event: configuration and an HTTP client."""

    settings: Settings
    http: aiohttp.ClientSession


@dataclass(frozen=True)
class WalletTopUp:
    """A confirmed top-up payment: credit `amount` to the customer's wallet, once per reference."""

    discord_user_id: int
    amount: int
    currency: str
    reference: str
    note: str = ""
    # The provider's payment handle later refunds and disputes of this top-up name.
    payment_ref: str | None = None


@dataclass(frozen=True)
class TopUpChange:
    """A refund or dispute of a credited top-up (by its credit reference or payment handle)."""

    fact: TopUpFact
    reference: str | None = None
    payment_ref: str | None = None
    # Cumulative refunded amount in minor units; None = all of it.
    refund_amount: int | None = None


Outcome = PaymentEvent | WalletTopUp | TopUpChange | SubscriptionFact
# What a refund or dispute of a payment means for a top-up paid with it.
_TOPUP_FACTS = {
    PaymentStatus.REFUNDED: TopUpFact.REFUNDED,
    PaymentStatus.PARTIALLY_REFUNDED: TopUpFact.REFUNDED,
    PaymentStatus.DISPUTED: TopUpFact.DISPUTE_OPENED,
    PaymentStatus.DISPUTE_WON: TopUpFact.DISPUTE_WON,
    PaymentStatus.DISPUTE_LOST: TopUpFact.DISPUTE_LOST,
}
Processor = Callable[[StoredEvent, ProviderContext], Awaitable[list[Outcome]]]


async def apply_outcome(outcome: Outcome, context: ProviderContext) -> str:
    """Hands one outcome to the order core or the wallet; returns a short note for the log."""
    if isinstance(outcome, WalletTopUp):
        return await _credit_topup(outcome, context)
    if isinstance(outcome, TopUpChange):
        return await _change_topup(outcome)
    if isinstance(outcome, SubscriptionFact):
        return await _apply_subscription(outcome, context)
    try:
        result = await apply_payment_event(outcome)
    except NotFound:
        if outcome.order_id is None and outcome.external_id is None:
            return await _payment_handle_of_a_topup(outcome)
        raise
    return _note(result)


def _note(result: ApplyResult) -> str:
    if not result.applied:
        return f"order {result.order_number}: already recorded"
    return f"order {result.order_number}: {result.previous_status or 'new'} -> {result.status}"


async def _apply_subscription(fact: SubscriptionFact, context: ProviderContext) -> str:
    grace = timedelta(days=context.settings.stripe.grace_days)
    applied = await apply_subscription_fact(fact, grace)
    if applied is None:
        raise OrderNotYetKnown(f"no order is known for subscription {fact.subscription_id} yet")
    return applied.note()


async def _credit_topup(outcome: WalletTopUp, context: ProviderContext) -> str:
    wallet_currency = context.settings.wallet_currency
    if outcome.currency.upper() != wallet_currency:
        raise EventIgnored(
            f"top-up paid in {outcome.currency}, wallets are kept in {wallet_currency}: "
            "credit it by hand"
        )
    async with in_transaction() as conn:
        credited = await credit_topup(
            outcome.discord_user_id,
            outcome.amount,
            reference=outcome.reference,
            payment_ref=outcome.payment_ref,
            note=outcome.note,
            connection=conn,
        )
    return "wallet credited" if credited else "top-up already credited"


async def _change_topup(outcome: TopUpChange) -> str:
    result = await apply_topup_fact(
        outcome.fact,
        reference=outcome.reference,
        payment_ref=outcome.payment_ref,
        refund_amount=outcome.refund_amount,
    )
    if result is None:
        raise OrderNotYetKnown("no top-up carries this payment yet")
    return f"top-up {outcome.fact.value}: clawed {result.clawed_before} -> {result.clawed}"


async def _payment_handle_of_a_topup(event: PaymentEvent) -> str:
    """A refund or dispute naming only a payment handle no order has: perhaps a top-up's."""
    fact = _TOPUP_FACTS.get(event.status)
    if fact is None or event.payment_ref is None:
        raise OrderNotYetKnown("no order carries this payment handle yet")
    full = event.status is PaymentStatus.REFUNDED
    change = TopUpChange(
        fact, payment_ref=event.payment_ref, refund_amount=None if full else event.refund_amount
    )
    try:
        return await _change_topup(change)
    except OrderNotYetKnown:
        raise OrderNotYetKnown("no order or top-up carries this payment handle yet") from None


async def process_stored_event(
    row_id: int,
    context: ProviderContext,
    processors: Mapping[str, Processor],
    *,
    max_attempts: int,
    parsed: Parsed | None = None,
) -> InboxStatus:
    """Processes one inbox row and records how it went; returns the row's new status.

    `parsed`: the row as its processor read it already (parse_stored_events), not read again.

    A processor raising ProviderUnavailable or an unexpected error counts a failed attempt
    (the row stays `received` for a retry until `max_attempts`, then is `failed`); EventIgnored
    and domain refusals (ShopError: unknown order, product, ...) finish it as `ignored`.
    """
    event = await load_webhook_event(row_id)
    if event is None or event.status != InboxStatus.RECEIVED:
        return InboxStatus.PROCESSED if event is None else event.status
    processor = processors.get(event.provider)
    final_attempt = event.attempts + 1 >= max_attempts
    try:
        if processor is None:
            raise EventIgnored(f"no processor for provider {event.provider!r}")
        if parsed is not None and parsed.event.id == row_id:
            outcomes = parsed.result()
        else:
            outcomes = await processor(event, context)
        notes = [await apply_outcome(o, context) for o in outcomes]
    except EventIgnored as exc:
        await finish_webhook_event(row_id, InboxStatus.IGNORED, str(exc))
        log.info("%s event row %d ignored: %s", event.provider, row_id, exc)
        return InboxStatus.IGNORED
    except ProviderUnavailable as exc:
        return await _failed(row_id, event, f"provider unavailable: {exc.detail}", final_attempt)
    except OrderNotYetKnown as exc:
        return await _failed(row_id, event, str(exc), final_attempt)
    except ShopError as exc:
        await finish_webhook_event(row_id, InboxStatus.IGNORED, exc.message)
        log.info("%s event row %d refused by the shop: %s", event.provider, row_id, exc.message)
        return InboxStatus.IGNORED
    except Exception as exc:
        if is_database_unavailable(exc):
            raise  # not the event's fault: the inbox worker retries it, no attempt counted
        log.exception("processing %s event row %d failed", event.provider, row_id)
        return await _failed(row_id, event, f"{type(exc).__name__}: {exc}", final_attempt)
    await finish_webhook_event(row_id, InboxStatus.PROCESSED, "; ".join(notes))
    return InboxStatus.PROCESSED


async def _failed(row_id: int, event: StoredEvent, error: str, final: bool) -> InboxStatus:
    attempts = await record_processing_failure(row_id, error, final=final)
    if final:
        # A row that gave up is never silent: the admins hear what failed and why.
        await queue_admin_alert(
            "Webhook event failed",
            [
                f"A {event.provider} event ({event.event_type}) failed {attempts} time(s) "
                "and will not be retried.",
                f"Error: {error[:1000]}",
                f"Inbox row {row_id}; the provider's event id is {event.event_id[:191]}.",
            ],
            dedupe_key=f"inbox-failed:{row_id}",
        )
    log.warning(
        "%s event row %d failed (attempt %d%s): %s",
        event.provider,
        row_id,
        attempts,
        ", giving up" if final else ", will retry",
        error,
    )
    return InboxStatus.FAILED if final else InboxStatus.RECEIVED


# -- several rows in one transaction --------------------------------------------------------

# How long one transaction keeps taking rows: each commit is an fsync (SQLite runs with
# synchronous=FULL), so rows share it, but on SQLite the transaction holds the one connection
# the webhook routes store through, so it is kept short.
TOGETHER_SECONDS = 0.01
# On PostgreSQL several workers' shared transactions may want the same rows (a buyer's
# customer row) in opposite orders: a row that waits longer than this for a lock is rolled
# back and goes alone, instead of holding up the transaction (or a deadlock for ~1 s).
TOGETHER_LOCK_TIMEOUT = "50ms"


@dataclass(frozen=True)
class Parsed:
    """A claimed row read by its processor once: its outcomes, or the error that raised."""

    event: StoredEvent
    outcomes: tuple[Outcome, ...] = ()
    error: Exception | None = None
    has_processor: bool = True

    @property
    def together(self) -> bool:
        """Only payment events: applied with other rows' (errors, top-ups, subscriptions go
        the one-row way, process_stored_event, with this reading)."""
        return (
            self.has_processor
            and self.error is None
            and all(type(o) is PaymentEvent for o in self.outcomes)
        )

    def result(self) -> list[Outcome]:
        if self.error is not None:
            raise self.error
        return list(self.outcomes)


async def parse_stored_events(
    row_ids: Sequence[int], context: ProviderContext, processors: Mapping[str, Processor]
) -> list[Parsed]:
    """The rows still received, each read by its processor once, outside any transaction (a
    processor may call its provider); what it raised is kept for process_stored_event."""
    parsed = []
    for event in await load_webhook_events(list(row_ids)):
        if event.status != InboxStatus.RECEIVED:
            continue
        processor = processors.get(event.provider)
        if processor is None:
            parsed.append(Parsed(event, has_processor=False))
            continue
        try:
            parsed.append(Parsed(event, tuple(await processor(event, context))))
        except Exception as exc:
            parsed.append(Parsed(event, error=exc))
    return parsed


async def apply_together(
    parsed: Sequence[Parsed], owner: str, *, lease_seconds: float
) -> tuple[list[int], list[int], int]:
    """Applies parsed rows in one transaction, for at most TOGETHER_SECONDS: one commit for
    several rows.

    Stops before a row that is not only payment events (rows keep their arrival order), or
    returns it alone when it comes first. A row whose lease was lost is skipped; a row that
    raises (refused, unknown order, a concurrent writer) is rolled back alone and returned for
    the one-row way, which retries and records it as before. Returns (processed ids, ids for
    the one-row way, rows taken).

    The rows are first applied without a savepoint each (two statements a row fewer) and
    finished in one statement; when one of them raises or lost its lease, that transaction
    is rolled back whole and the rows are applied again each in its own savepoint with its
    own finish (_apply_each), which keeps the others.
    """
    if parsed and not parsed[0].together:
        return [], [parsed[0].event.id], 1
    try:
        return await _apply_all(parsed, owner, lease_seconds)
    except _OneRowFailed:
        return await _apply_each(parsed, owner, lease_seconds)


class _OneRowFailed(Exception):
    """A row raised or lost its lease in a transaction without savepoints: it is rolled
    back whole and the rows are applied again one savepoint each."""


async def _apply_all(
    parsed: Sequence[Parsed], owner: str, lease_seconds: float
) -> tuple[list[int], list[int], int]:
    """apply_together with no savepoint: every row taken is processed, or _OneRowFailed."""
    notes: list[tuple[int, str]] = []
    started = time.perf_counter()
    async with in_transaction() as conn:
        if is_postgres(conn):
            await conn.execute_script(f"SET LOCAL lock_timeout = '{TOGETHER_LOCK_TIMEOUT}'")
        for item in parsed:
            if notes and time.perf_counter() - started > TOGETHER_SECONDS:
                break
            if not item.together:
                break  # rows keep their arrival order: this one after the commit
            try:
                notes.append((item.event.id, await _applied_note(item, conn)))
            except Exception as exc:
                if is_database_unavailable(exc) and not _contended(exc):
                    raise  # nothing is committed: the worker takes every row alone
                raise _OneRowFailed from exc
            if len(notes) == MAX_ROWS:
                break
        # Every row's finish in one statement, still conditional on its lease.
        if await finish_processed_webhook_events(notes, owner, conn) != len(notes):
            raise _OneRowFailed  # a lease was lost: which one, the savepoints will tell
    done = [row_id for row_id, _ in notes]
    return done, [], len(done)


async def _apply_each(
    parsed: Sequence[Parsed], owner: str, lease_seconds: float
) -> tuple[list[int], list[int], int]:
    """apply_together with each row in its own savepoint (see there)."""
    done: list[int] = []
    alone: list[int] = []
    taken = 0
    started = time.perf_counter()
    async with in_transaction() as conn:
        if is_postgres(conn):
            await conn.execute_script(f"SET LOCAL lock_timeout = '{TOGETHER_LOCK_TIMEOUT}'")
        for item in parsed:
            if taken and time.perf_counter() - started > TOGETHER_SECONDS:
                break
            if not item.together:
                break  # rows keep their arrival order: this one after the commit
            taken += 1
            try:
                if await _apply_row(item, owner, lease_seconds, conn):
                    done.append(item.event.id)
            except Exception as exc:
                if is_database_unavailable(exc) and not _contended(exc):
                    raise  # nothing is committed: the worker takes every row alone
                alone.append(item.event.id)
    return done, alone, taken


def _contended(exc: BaseException) -> bool:
    """A PostgreSQL lock wait given up (lock_timeout) or a deadlock or serialization failure:
    the row's savepoint is rolled back and the row goes alone; the others are kept."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(
            seen,
            asyncpg.exceptions.LockNotAvailableError | asyncpg.exceptions.TransactionRollbackError,
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class _LeaseLost(Exception):
    """The row was finished or taken over since the claim: its savepoint is rolled back."""


async def _apply_row(
    item: Parsed, owner: str, lease_seconds: float, conn: BaseDBAsyncClient
) -> bool:
    """The row's payment events and its finish, in a savepoint; False when its lease was
    lost (nothing of it kept). The finish is conditional on the lease, so no renewal first."""
    try:
        async with conn._in_transaction() as savepoint:
            if not await _apply_events(item, owner, savepoint):
                raise _LeaseLost
    except _LeaseLost:
        return False
    return True


async def _apply_events(item: Parsed, owner: str, conn: BaseDBAsyncClient) -> bool:
    """The row's payment events and its finish on `conn`; False when its lease was lost
    (the caller rolls back what the events wrote)."""
    return await finish_webhook_event(
        item.event.id,
        InboxStatus.PROCESSED,
        await _applied_note(item, conn),
        connection=conn,
        owner=owner,
    )


async def _applied_note(item: Parsed, conn: BaseDBAsyncClient) -> str:
    """Applies the row's payment events on `conn`; the note its finish keeps."""
    notes = []
    for event in item.outcomes:
        assert isinstance(event, PaymentEvent)  # Parsed.together
        notes.append(_note(await apply_in_transaction(event, conn)))
    return "; ".join(notes)
