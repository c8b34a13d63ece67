"""The process step: a stored inbox row, re-read by its provider module, handed to the models."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import aiohttp
from tortoise.transactions import in_transaction

from models.base import InboxStatus
from models.customers.topups import TopUpFact, credit_topup
from models.database import is_database_unavailable
from models.errors import NotFound, ShopError
from models.inbox.actions import (
    finish_webhook_event,
    record_processing_failure,
)
from models.inbox.queries import StoredEvent, load_webhook_event
from models.orders.clawbacks import apply_topup_fact
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import ApplyResult, PaymentEvent, PaymentStatus
from models.outbox.actions import queue_admin_alert
from models.subscriptions.actions import apply_subscription_fact
from models.subscriptions.state import SubscriptionFact
from settings import Settings
from webhooks.errors import EventIgnored, OrderNotYetKnown, ProviderUnavailable

if TYPE_CHECKING:
    from webhooks.together import Parsed

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
    return note_of(result)


def note_of(result: ApplyResult) -> str:
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
