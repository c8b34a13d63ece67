"""Several claimed inbox rows applied in one transaction: one commit (an fsync on SQLite)
for many webhooks, each row read by its processor once and outside any transaction.

The inbox worker (webhooks.inbox_worker) hands rows here first; a row that is not only
payment events, or that fails here, goes the one-row way (webhooks.processing).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.base import InboxStatus
from models.database import is_database_unavailable
from models.inbox.actions import finish_webhook_event
from models.inbox.batch_finish import MAX_ROWS, finish_processed_webhook_events
from models.inbox.queries import StoredEvent, load_webhook_events
from models.orders.lifecycle import apply_in_transaction
from models.orders.payment_event import PaymentEvent
from models.outbox.actions import is_postgres
from webhooks.processing import Outcome, Processor, ProviderContext, note_of

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
    async with _shared_transaction() as conn:
        for item in _taken_together(parsed):
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
    async with _shared_transaction() as conn:
        for item in _taken_together(parsed):
            taken += 1
            try:
                if await _apply_row(item, owner, lease_seconds, conn):
                    done.append(item.event.id)
            except Exception as exc:
                if is_database_unavailable(exc) and not _contended(exc):
                    raise  # nothing is committed: the worker takes every row alone
                alone.append(item.event.id)
    return done, alone, taken


@asynccontextmanager
async def _shared_transaction() -> AsyncIterator[BaseDBAsyncClient]:
    """The rows' transaction; on PostgreSQL a row waits at most TOGETHER_LOCK_TIMEOUT for a lock."""
    async with in_transaction() as conn:
        if is_postgres(conn):
            await conn.execute_script(f"SET LOCAL lock_timeout = '{TOGETHER_LOCK_TIMEOUT}'")
        yield conn


def _taken_together(parsed: Sequence[Parsed]) -> Iterator[Parsed]:
    """The leading rows one transaction takes, checked as each is reached: payment-only rows
    in arrival order (a row that is not stops it: it goes after the commit), the first always,
    later ones while TOGETHER_SECONDS have not passed."""
    started = time.perf_counter()
    for position, item in enumerate(parsed):
        if position and time.perf_counter() - started > TOGETHER_SECONDS:
            return
        if not item.together:
            return
        yield item


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
        notes.append(note_of(await apply_in_transaction(event, conn)))
    return "; ".join(notes)
