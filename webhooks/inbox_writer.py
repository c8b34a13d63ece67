"""Group commit of the inbox: requests that arrive together share one INSERT and one commit.

A request hands its verified event to the writer and waits; the writer stores whatever is
waiting in one statement (models.inbox.batch_store) and answers each request only after that
statement committed, so a 2xx still means the row is durable. There is no timer: the first
request of a quiet moment is stored at once; those that arrive while a statement is in flight
(on SQLite, also while a processing transaction holds the one connection) go in the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable

from models.database import is_database_unavailable
from models.inbox.actions import store_webhook_event
from models.inbox.batch_store import MAX_BATCH, NewEvent, store_webhook_events

log = logging.getLogger(__name__)

Stored = tuple[int, bool]  # (inbox row id, created)
# At most one INFO line this often: how many events were stored since the last one (a line
# per request cost more than the rest of the answer at launch-day rates).
LOG_EVERY_SECONDS = 10.0


class InboxWriter:
    """Stores events for the webhook routes of one process, many to a statement."""

    def __init__(
        self, max_batch: int = MAX_BATCH, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_batch = max_batch
        self.clock = clock
        self._stored: Counter[tuple[str, bool]] = Counter()
        self._logged_at: float | None = None
        self._waiting: list[tuple[NewEvent, asyncio.Future[Stored]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._quiet = asyncio.Event()
        self._quiet.set()
        self.statements = 0  # for tests and benchmarks: how many batches were written
        self.largest_batch = 0

    async def store(self, event: NewEvent) -> Stored:
        """(row id, created) once the event's row is committed; raises what storing raised."""
        answer: asyncio.Future[Stored] = asyncio.get_running_loop().create_future()
        answer.add_done_callback(_retrieve)  # an answer nobody awaits any more logs no warning
        self._waiting.append((event, answer))
        self._quiet.clear()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="inbox-group-commit")
        # A request that goes away (its client disconnected) does not cancel the batch.
        return await asyncio.shield(answer)

    async def quiet(self, at_most: float) -> None:
        """Returns when no request waits for a statement, or after `at_most` seconds.

        The inbox worker calls it before each row: answering providers comes first, and
        `at_most` bounds how long a flood of requests can hold processing back.
        """
        if not self._quiet.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._quiet.wait(), at_most)

    async def settle(self) -> None:
        """Waits for the batches in flight (the app's cleanup)."""
        if self._flusher is not None:
            with contextlib.suppress(Exception):
                await self._flusher

    async def _flush(self) -> None:
        try:
            await self._flush_waiting()
        finally:
            if not self._waiting:
                self._quiet.set()

    async def _flush_waiting(self) -> None:
        while self._waiting:
            batch = self._waiting[: self.max_batch]
            del self._waiting[: self.max_batch]
            self.statements += 1
            self.largest_batch = max(self.largest_batch, len(batch))
            try:
                results = await store_webhook_events([event for event, _ in batch])
            except Exception as exc:
                if len(batch) == 1 or is_database_unavailable(exc):
                    _fail(batch, exc)
                else:
                    # One row the batch could not take must not fail the others: each alone.
                    log.warning(
                        "inbox batch of %d failed (%s); storing one by one", len(batch), exc
                    )
                    await _one_by_one(batch)
                continue
            for (event, answer), result in zip(batch, results, strict=True):
                self._stored[event.provider, result[1]] += 1
                if not answer.done():
                    answer.set_result(result)
            self._log_counts()

    def _log_counts(self) -> None:
        now = self.clock()
        if self._logged_at is not None and now - self._logged_at < LOG_EVERY_SECONDS:
            return
        self._logged_at = now
        for provider in sorted({p for p, _ in self._stored}):
            log.info(
                "stored %s event(s): %d new, %d duplicate(s) not processed again",
                provider,
                self._stored[provider, True],
                self._stored[provider, False],
            )
        self._stored.clear()


def _fail(batch: list[tuple[NewEvent, asyncio.Future[Stored]]], exc: Exception) -> None:
    for _, answer in batch:
        if not answer.done():
            answer.set_exception(exc)


async def _one_by_one(batch: list[tuple[NewEvent, asyncio.Future[Stored]]]) -> None:
    for event, answer in batch:
        try:
            result = await store_webhook_event(
                event.provider, event.event_id, event.event_type, event.raw_body
            )
        except Exception as exc:
            if not answer.done():
                answer.set_exception(exc)
            continue
        if not answer.done():
            answer.set_result(result)


def _retrieve(answer: asyncio.Future[Stored]) -> None:
    if not answer.cancelled():
        answer.exception()
