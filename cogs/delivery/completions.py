"""Recording the worker's finished jobs done: jobs that finish together share one statement.

Every deliver_codes and grant_role job ends with its own "done" write, an autocommitted
statement: on SQLite each commit is an fsync. Jobs of several lanes finish a moment apart, so
a completion waits for no timer: the first starts a write at the loop's next turn, the ones
finishing meanwhile (or while that write runs) go into the next write, one statement for all.
Each job still learns whether its own lease held, exactly as complete() answered it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from models.outbox.actions import complete_each

Write = Callable[[list[int], str], Awaitable[set[int]]]


class Completions:
    """complete(job_id) for one worker, batched: True when the job was still leased to it."""

    def __init__(self, worker_id: str, write: Write = complete_each) -> None:
        self.worker_id = worker_id
        self._write = write
        self._waiting: dict[int, asyncio.Future[bool]] = {}
        self._writer: asyncio.Task[None] | None = None
        self.statements = 0  # writes issued, for tests and benchmarks

    async def complete(self, job_id: int) -> bool:
        """Marks the job done; raises what the write raised (the caller may try again)."""
        future = self._waiting.get(job_id)
        if future is None:
            future = self._waiting[job_id] = asyncio.get_running_loop().create_future()
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_all(), name="job-completions")
        return await future

    async def _write_all(self) -> None:
        batch: dict[int, asyncio.Future[bool]] = {}
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, {}
                self.statements += 1
                try:
                    done = await self._write(list(batch), self.worker_id)
                except Exception as exc:
                    for future in batch.values():
                        if not future.done():
                            future.set_exception(exc)
                else:
                    for job_id, future in batch.items():
                        if not future.done():
                            future.set_result(job_id in done)
                batch = {}
        finally:
            # Cancelled mid-write (the loop closing): nobody is left waiting on a lost write.
            for future in [*batch.values(), *self._waiting.values()]:
                if not future.done():
                    future.cancel()
            self._waiting = {}
            self._writer = None
