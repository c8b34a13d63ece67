"""The background queue that processes stored webhook events after they were answered."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from models.base import InboxStatus
from models.inbox.queries import unprocessed_event_ids
from webhooks.processing import Processor, ProviderContext, process_stored_event

log = logging.getLogger(__name__)


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
            try:
                status = await process_stored_event(
                    row_id, self.context, self.processors, max_attempts=self.max_attempts
                )
                if status == InboxStatus.RECEIVED:
                    self._schedule_retry(row_id)
                else:
                    self._failures.pop(row_id, None)
            except asyncio.CancelledError:
                raise
            except Exception:
                # The database itself failed while recording the outcome: keep the row for
                # the next resume rather than stopping the worker.
                log.exception("inbox row %d could not be processed or recorded", row_id)
                self._schedule_retry(row_id)
            finally:
                self._queued.discard(row_id)
                self._queue.task_done()

    def _schedule_retry(self, row_id: int) -> None:
        failures = self._failures.get(row_id, 0) + 1
        self._failures[row_id] = failures
        delay = min(self.retry_base_seconds * 2 ** min(failures - 1, 7), 600.0)
        loop = asyncio.get_running_loop()
        self._retries[row_id] = loop.call_later(delay, self.enqueue, row_id)
