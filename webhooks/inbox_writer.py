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

from models.database import is_database_unavailable
from models.inbox.actions import store_webhook_event
from models.inbox.batch_store import MAX_BATCH, NewEvent, store_webhook_events

log = logging.getLogger(__name__)

Stored = tuple[int, bool]  # (inbox row id, created)


class InboxWriter:
    """Stores events for the webhook routes of one process, many to a statement."""

    def __init__(self, max_batch: int = MAX_BATCH) -> None:
        self.max_batch = max_batch
        self._waiting: list[tuple[NewEvent, asyncio.Future[Stored]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.statements = 0  # for tests and benchmarks: how many batches were written
        self.largest_batch = 0

    async def store(self, event: NewEvent) -> Stored:
        """(row id, created) once the event's row is committed; raises what storing raised."""
        answer: asyncio.Future[Stored] = asyncio.get_running_loop().create_future()
        answer.add_done_callback(_retrieve)  # an answer nobody awaits any more logs no warning
        self._waiting.append((event, answer))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="inbox-group-commit")
        # A request that goes away (its client disconnected) does not cancel the batch.
        return await asyncio.shield(answer)

    async def settle(self) -> None:
        """Waits for the batches in flight (the app's cleanup)."""
        if self._flusher is not None:
            with contextlib.suppress(Exception):
                await self._flusher

    async def _flush(self) -> None:
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
            for (_, answer), result in zip(batch, results, strict=True):
                if not answer.done():
                    answer.set_result(result)


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
