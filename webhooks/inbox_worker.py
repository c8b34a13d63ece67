"""The background worker that processes stored webhook events after they were answered.

Any number of processes may run one against the same database: each claims due inbox rows
under a lease (models.inbox.actions), processes them one at a time in arrival order, and
looks for more when woken (a row stored by this process) and every few seconds otherwise
(rows stored by another process, retries that came due, rows of a worker that died).
The payment events of claimed rows are applied several to a transaction, each row in its own
savepoint and finished in it (webhooks.together.apply_together); a row that fails there, or
that is not only payment events, is processed alone in its own transactions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta

from models.base import InboxStatus
from models.database import is_database_unavailable
from models.inbox.actions import (
    claim_webhook_events,
    release_all_webhook_leases,
    release_own_webhook_leases,
    release_webhook_event,
    renew_webhook_lease,
    renew_webhook_leases,
    resume_webhook_events,
)
from models.inbox.queries import load_webhook_event, shared_database
from webhooks.health import WorkerBeat
from webhooks.processing import Processor, ProviderContext, process_stored_event
from webhooks.together import Parsed, apply_together, parse_stored_events

log = logging.getLogger(__name__)

# While the database is away, one claim is tried this often. Short, so the worker carries
# on within seconds of the database coming back.
DATABASE_RETRY_SECONDS = 1.0
# Rows claimed at once; each row's lease is renewed as it starts, so a slow batch keeps it.
CLAIM_BATCH = 10
# A claimed row's lease; renewed every third of it while the row is processed, so a slow
# provider call keeps it, and a dead worker's rows are free again within this time.
LEASE_SECONDS = 15.0
# How often an idle worker looks for rows stored elsewhere or come due.
RESCAN_SECONDS = 0.5
# How long stop() lets the row in hand finish before handing it back.
STOP_GRACE_SECONDS = 5.0
MAX_RETRY_SECONDS = 600.0


def worker_name() -> str:
    """host:pid:random, unique per worker, as the lease owner in the database."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[:64]


class InboxWorker:
    """Claims and processes inbox rows, retrying failures with backoff, until stopped."""

    def __init__(
        self,
        context: ProviderContext,
        processors: Mapping[str, Processor],
        *,
        max_attempts: int = 6,
        retry_base_seconds: float = 5.0,
        lease_seconds: float = LEASE_SECONDS,
        rescan_seconds: float = RESCAN_SECONDS,
        owner: str | None = None,
        yield_to: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.context = context
        self.processors = processors
        self.max_attempts = max_attempts
        self.retry_base_seconds = retry_base_seconds
        self.lease_seconds = lease_seconds
        self.rescan_seconds = rescan_seconds
        self.owner = owner or worker_name()
        # Awaited before each row: the webhook routes' group commit, so that requests
        # waiting for their row to be stored go first (webhooks.inbox_writer.quiet).
        self.yield_to = yield_to
        self.stop_grace = STOP_GRACE_SECONDS
        self._wake = asyncio.Event()
        self._wakes = 0  # counts wake() calls; idle() waits for a pass begun after its own
        self._quiet_after = -1  # the wake count before the last claim that found nothing
        self._idle_waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._retries: dict[int, asyncio.TimerHandle] = {}
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._running: int | None = None  # the row being processed
        self.last_progress = time.monotonic()  # a row finished, or nothing was due

    def beat(self) -> WorkerBeat:
        """For /health: when a row last finished (or none was due), and whether one runs."""
        return WorkerBeat(last_progress=self.last_progress, busy=self._running is not None)

    def wake(self) -> None:
        """Look for due rows now, without waiting for the next re-scan."""
        self._wakes += 1
        self._wake.set()

    def enqueue(self, row_id: int) -> None:
        """A row was just stored here: claim it (and whatever else is due) at once."""
        self.wake()

    async def resume(self) -> int:
        """Ends every retry wait and looks for rows now; returns how many rows wait to run."""
        for handle in self._retries.values():
            handle.cancel()
        self._retries.clear()
        waiting = await resume_webhook_events()
        self.wake()
        return waiting

    async def start(self) -> None:
        if self._task is not None:
            return
        self._stopping = False
        if not shared_database():
            # SQLite serves one process: a row still leased is one a killed run left.
            taken = await release_all_webhook_leases()
            if taken:
                log.info("took back %d webhook event(s) a stopped run was processing", taken)
        self._task = asyncio.create_task(self._run(), name="webhook-inbox")
        self._task.add_done_callback(_log_crash)
        log.info("inbox worker %s started", self.owner)

    async def idle(self) -> None:
        """Returns once a look for due rows begun after this call found none (every row
        stored so far is processed; retries waiting out their backoff are not included)."""
        if self._task is None or self._task.done():
            return
        self.wake()
        waiter = asyncio.get_running_loop().create_future()
        self._idle_waiters.append((self._wakes, waiter))
        await waiter

    @property
    def scheduled_retries(self) -> int:
        """Rows this worker handed back to wait out a backoff that has not ended yet."""
        return len(self._retries)

    async def stop(self) -> None:
        """Stops claiming; the row in hand may finish briefly, the rest are handed back."""
        self._stopping = True
        self._wake.set()
        for handle in self._retries.values():
            handle.cancel()
        self._retries.clear()
        task, self._task = self._task, None
        if task is not None and not task.done():
            done, _ = await asyncio.wait({task}, timeout=self.stop_grace)
            if not done:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self._settle_idle_waiters(force=True)
        with contextlib.suppress(Exception):
            freed = await release_own_webhook_leases(self.owner)
            if freed:
                log.info("inbox worker %s handed back %d row(s)", self.owner, freed)

    async def _run(self) -> None:
        while not self._stopping:
            began = self._wakes
            self._wake.clear()
            try:
                ids = await claim_webhook_events(
                    self.owner, limit=CLAIM_BATCH, lease_seconds=self.lease_seconds
                )
            except Exception as exc:
                self._claim_failed(exc)
                await self._sleep(DATABASE_RETRY_SECONDS)
                continue
            if ids:
                await self._run_batch(ids)
                continue
            self.last_progress = time.monotonic()
            self._quiet_after = began
            self._settle_idle_waiters()
            await self._sleep(self.rescan_seconds)
        log.info("inbox worker %s stopped", self.owner)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    def _claim_failed(self, exc: Exception) -> None:
        if is_database_unavailable(exc):
            log.warning(
                "inbox: database unavailable (%s); looking again in %.0f s",
                type(exc).__name__,
                DATABASE_RETRY_SECONDS,
            )
        else:
            log.exception("inbox: could not claim rows; looking again shortly")

    def _settle_idle_waiters(self, *, force: bool = False) -> None:
        waiting = []
        for target, waiter in self._idle_waiters:
            if force or self._quiet_after >= target:
                if not waiter.done():
                    waiter.set_result(None)
            else:
                waiting.append((target, waiter))
        self._idle_waiters = waiting

    async def _run_batch(self, ids: list[int]) -> None:
        """Payment events of several rows share a transaction (apply_together); a row that
        cannot (an error, a top-up, a subscription) is processed alone, as before."""
        if self.yield_to is not None:
            await self.yield_to()  # before the rows are read: requests first
        try:
            async with self._leases_kept(ids):  # a processor may call its provider
                parsed = await parse_stored_events(ids, self.context, self.processors)
        except asyncio.CancelledError:
            await asyncio.shield(self._hand_back(ids))
            raise
        except Exception:
            log.exception("inbox: could not read claimed rows; processing them one by one")
            await self._run_alone(ids)
            return
        first = True
        while parsed:
            if self._stopping:
                await self._hand_back([item.event.id for item in parsed])
                return
            if self.yield_to is not None and not first:
                await self.yield_to()
            first = False
            self._running = parsed[0].event.id
            try:
                done, alone, taken = await apply_together(
                    parsed, self.owner, lease_seconds=self.lease_seconds
                )
            except asyncio.CancelledError:
                await asyncio.shield(self._hand_back([item.event.id for item in parsed]))
                raise
            except Exception as exc:
                # Nothing of this transaction was committed: each row goes alone, where a
                # database outage or a fault is handled as for any row.
                if not is_database_unavailable(exc):
                    log.exception("inbox: a shared transaction failed; rows go one by one")
                await self._run_alone(
                    [item.event.id for item in parsed], {item.event.id: item for item in parsed}
                )
                return
            finally:
                self._running = None
            for row_id in done:
                self._forget_retry(row_id)
            if done:
                self.last_progress = time.monotonic()
            readings = {item.event.id: item for item in parsed[:taken]}
            parsed = parsed[taken:]
            await self._run_alone(alone, readings)

    async def _run_alone(
        self, ids: list[int], readings: Mapping[int, Parsed] | None = None
    ) -> None:
        for position, row_id in enumerate(ids):
            if self._stopping:
                await self._hand_back(ids[position:])
                return
            if self.yield_to is not None:
                await self.yield_to()
            self._running = row_id
            try:
                await self._run_row(row_id, (readings or {}).get(row_id))
            except asyncio.CancelledError:
                await asyncio.shield(self._hand_back(ids[position:]))
                raise
            finally:
                self._running = None

    async def _hand_back(self, ids: list[int]) -> None:
        for row_id in ids:
            with contextlib.suppress(Exception):
                await release_webhook_event(row_id, self.owner)

    async def _run_row(self, row_id: int, parsed: Parsed | None = None) -> None:
        try:
            if not await renew_webhook_lease(row_id, self.owner, lease_seconds=self.lease_seconds):
                return  # finished or taken over since the claim
            async with self._lease_kept(row_id):
                status = await process_stored_event(
                    row_id,
                    self.context,
                    self.processors,
                    max_attempts=self.max_attempts,
                    parsed=parsed,
                )
            if status == InboxStatus.RECEIVED:
                await self._retry_later(row_id)
            else:
                self._forget_retry(row_id)
            self.last_progress = time.monotonic()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if is_database_unavailable(exc):
                # Not the event's fault: no attempt counted, tried again shortly (the claim
                # takes back rows still leased to this worker).
                log.warning(
                    "inbox row %d: database unavailable (%s); retrying in %.0f s",
                    row_id,
                    type(exc).__name__,
                    DATABASE_RETRY_SECONDS,
                )
                await self._sleep(DATABASE_RETRY_SECONDS)
                return
            # The outcome could not be recorded: keep the row for a retry rather than
            # stopping the worker.
            log.exception("inbox row %d could not be processed or recorded", row_id)
            with contextlib.suppress(Exception):
                await self._retry_later(row_id)

    @contextlib.asynccontextmanager
    async def _lease_kept(self, row_id: int) -> AsyncIterator[None]:
        """Renews the row's lease every third of it while the body runs."""

        async def renew() -> None:
            await renew_webhook_lease(row_id, self.owner, lease_seconds=self.lease_seconds)

        async with self._renewing(renew, f"inbox-lease-{row_id}"):
            yield

    @contextlib.asynccontextmanager
    async def _leases_kept(self, row_ids: list[int]) -> AsyncIterator[None]:
        """The same for the claimed rows while they are read (one statement a renewal)."""

        async def renew() -> None:
            await renew_webhook_leases(row_ids, self.owner, lease_seconds=self.lease_seconds)

        async with self._renewing(renew, f"inbox-leases-{row_ids[0]}"):
            yield

    @contextlib.asynccontextmanager
    async def _renewing(
        self, renew: Callable[[], Awaitable[None]], name: str
    ) -> AsyncIterator[None]:
        async def renew_forever() -> None:
            while True:
                await asyncio.sleep(self.lease_seconds / 3)
                with contextlib.suppress(Exception):  # a blip: the next renewal may land
                    await renew()

        renewer = asyncio.create_task(renew_forever(), name=name)
        try:
            yield
        finally:
            renewer.cancel()
            await asyncio.gather(renewer, return_exceptions=True)

    async def _retry_later(self, row_id: int) -> None:
        """Hands the row back with a backoff by its attempts, and wakes when it is due."""
        event = await load_webhook_event(row_id)
        attempts = max(event.attempts if event is not None else 1, 1)
        delay = min(self.retry_base_seconds * 2 ** min(attempts - 1, 7), MAX_RETRY_SECONDS)
        retry_at = datetime.now(UTC) + timedelta(seconds=delay)
        await release_webhook_event(row_id, self.owner, retry_at=retry_at)
        self._forget_retry(row_id)
        loop = asyncio.get_running_loop()
        self._retries[row_id] = loop.call_later(delay, self._retry_due, row_id)

    def _retry_due(self, row_id: int) -> None:
        self._retries.pop(row_id, None)
        self.wake()

    def _forget_retry(self, row_id: int) -> None:
        handle = self._retries.pop(row_id, None)
        if handle is not None:
            handle.cancel()


def _log_crash(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the inbox worker stopped", exc_info=task.exception())
