"""The background queue that processes stored webhook events after they were answered."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping

from models.base import InboxStatus
from models.database import is_database_unavailable
from models.inbox.queries import unprocessed_event_ids
from webhooks.health import WorkerBeat
from webhooks.processing import Processor, ProviderContext, process_stored_event

log = logging.getLogger(__name__)

# While the database is away, one row is tried this often; the rest wait their turn. Short,
# so the worker carries on within seconds of the database coming back.
DATABASE_RETRY_SECONDS = 1.0


class InboxWorker:
    """Processes inbox rows one at a time, in arrival order, retrying failures with backoff.

    Rows left unprocessed by an earlier run (a crash after the 2xx) are picked up by
    `start()`; a row is never queued twice while it waits or runs.
    """

    def __init__(
        self,
        context: ProviderContext,
        processors: Mapping[str, Processor],
        *,
        max_attempts: int = 6,
        retry_base_seconds: float = 5.0,
    ) -> None:
        self.context = context
        self.processors = processors
        self.max_attempts = max_attempts
        self.retry_base_seconds = retry_base_seconds
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self._queued: set[int] = set()
        self._retries: dict[int, asyncio.TimerHandle] = {}
        self._failures: dict[int, int] = {}
        self._task: asyncio.Task | None = None
        self._running: int | None = None  # the row being processed
        self.last_progress = time.monotonic()  # a row finished, or the queue was empty

    def beat(self) -> WorkerBeat:
        """For /health: when a row last finished, and whether rows wait or run now."""
        if self._running is None and self._queue.empty():
            self.last_progress = time.monotonic()  # nothing to do is not being stuck
        busy = self._running is not None or not self._queue.empty()
        return WorkerBeat(last_progress=self.last_progress, busy=busy)

    def enqueue(self, row_id: int) -> None:
        """Queues a stored row for processing (no-op when it is already queued)."""
        if row_id in self._queued:
            return
        scheduled = self._retries.pop(row_id, None)
        if scheduled is not None:
            scheduled.cancel()
        self._queued.add(row_id)
        self._queue.put_nowait(row_id)

    async def resume(self) -> int:
        """Queues every row still marked received now, retries included; returns how many."""
        ids = await unprocessed_event_ids()
        for row_id in ids:
            self.enqueue(row_id)
        return len(ids)

    async def start(self) -> None:
        if self._task is not None:
            return
        found = await self.resume()
        if found:
            log.info("resuming %d webhook event(s) stored but not processed", found)
        self._task = asyncio.create_task(self._run(), name="webhook-inbox")

    async def idle(self) -> None:
        """Returns once everything queued so far is processed (later retries not included)."""
        await self._queue.join()

    @property
    def scheduled_retries(self) -> int:
        return len(self._retries)

    async def stop(self) -> None:
        for handle in self._retries.values():
            handle.cancel()
        self._retries.clear()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            row_id = await self._queue.get()
            self._running = row_id
            pause = 0.0
            try:
                status = await process_stored_event(
                    row_id, self.context, self.processors, max_attempts=self.max_attempts
                )
                if status == InboxStatus.RECEIVED:
                    self._schedule_retry(row_id)
                else:
                    self._failures.pop(row_id, None)
                self.last_progress = time.monotonic()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if is_database_unavailable(exc):
                    # Not the event's fault: no attempt counted, tried again shortly.
                    log.warning(
                        "inbox row %d: database unavailable (%s); retrying in %.0f s",
                        row_id,
                        type(exc).__name__,
                        DATABASE_RETRY_SECONDS,
                    )
                    self._schedule_retry(row_id, delay=DATABASE_RETRY_SECONDS)
                    pause = DATABASE_RETRY_SECONDS
                else:
                    # The outcome could not be recorded: keep the row for a retry rather
                    # than stopping the worker.
                    log.exception("inbox row %d could not be processed or recorded", row_id)
                    self._schedule_retry(row_id)
            finally:
                self._running = None
                self._queued.discard(row_id)
                self._queue.task_done()
            if pause:
                await asyncio.sleep(pause)

    def _schedule_retry(self, row_id: int, *, delay: float | None = None) -> None:
        if delay is None:
            failures = self._failures.get(row_id, 0) + 1
            self._failures[row_id] = failures
            delay = min(self.retry_base_seconds * 2 ** min(failures - 1, 7), 600.0)
        loop = asyncio.get_running_loop()
        self._retries[row_id] = loop.call_later(delay, self.enqueue, row_id)
