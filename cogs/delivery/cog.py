"""The delivery worker: runs the outbox's jobs against Discord from start-up until close.

Jobs are claimed under a lease (models.outbox.actions), run, then completed, retried with backoff,
or parked with an admin alert after settings.job_max_attempts (at once for failures only a
person can fix). Jobs touching one member's roles, or one order, run one after another;
different members and orders run side by side. A restart picks up whatever was pending;
a job this process was stopped in the middle of is handed back at once, and a job of a
process that died is claimable again when its lease expires. Feed jobs are the feed poster's
(cogs.delivery.feed), run beside the job loop: it posts them up to ten to a message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from disnake.ext import commands

from cogs.delivery.access_reminders import remind_access
from cogs.delivery.codes import deliver_codes
from cogs.delivery.completions import Completions
from cogs.delivery.feed import FeedPoster
from cogs.delivery.lanes import JobLanes
from cogs.delivery.notices import notify_admin, update_storefront
from cogs.delivery.outcomes import JobParked, JobRetry, as_job_outcome
from cogs.delivery.receipts import notify_buyer
from cogs.delivery.redaction import install_log_redaction
from cogs.delivery.restock_notices import notify_restock
from cogs.delivery.roles import grant_role, revoke_role
from models.base import JobKind
from models.database import is_database_unavailable
from models.orders.delivery import release_lease, release_own_leases
from models.outbox.actions import claim, fail
from models.outbox.tables import Job

if TYPE_CHECKING:
    from bot import Stockroom

log = logging.getLogger(__name__)

JobHandler = Callable[["Stockroom", dict[str, Any]], Awaitable[str]]
HANDLERS: dict[JobKind, JobHandler] = {
    JobKind.DELIVER_CODES: deliver_codes,
    JobKind.GRANT_ROLE: grant_role,
    JobKind.REVOKE_ROLE: revoke_role,
    JobKind.NOTIFY_ADMIN: notify_admin,
    JobKind.UPDATE_STOREFRONT: update_storefront,
    JobKind.NOTIFY_BUYER: notify_buyer,
    JobKind.NOTIFY_RESTOCK: notify_restock,
    JobKind.REMIND_ACCESS: remind_access,
}
# Feed jobs are the FeedPoster's: it sends them several to a message.
WORKER_KINDS = tuple(kind for kind in JobKind if kind is not JobKind.POST_FEED)
BATCH_SIZE = 10  # jobs a claim takes at most
# Jobs in hand at once (running or waiting in their lane): the worker claims again whenever
# a batch's worth of room is free, without waiting for the jobs it has to finish.
MAX_IN_FLIGHT = 2 * BATCH_SIZE
LEASE_SECONDS = 90.0
# A job taking longer is treated as a timeout and retried; kept well inside the lease.
JOB_TIMEOUT_SECONDS = 60.0
# Poll fast while work keeps coming, slower when the queue has been quiet for a while.
BUSY_POLL_SECONDS = 0.25
IDLE_POLL_SECONDS = 0.5
BUSY_WINDOW_SECONDS = 10.0
STOP_GRACE_SECONDS = 5.0
# After the database refused a claim (e.g. it is restarting), wait this long before the next.
CLAIM_RETRY_SECONDS = 5.0
# How long a job's outcome is retried while the database is away: well inside the lease.
RECORD_RETRY_SECONDS = LEASE_SECONDS / 2
T = TypeVar("T")


def lane_of(job: Job) -> tuple[str, int]:
    """Jobs in one lane run in order: a member's role changes, or one order's messages."""
    if job.kind in (JobKind.GRANT_ROLE, JobKind.REVOKE_ROLE):
        return ("member", int(job.payload.get("discord_id", 0)))
    order_id = job.order_id  # type: ignore[attr-defined]
    if order_id is not None:
        return ("order", order_id)
    return ("job", job.id)


class DeliveryWorker(commands.Cog):
    """Owns the worker task; `wake()` makes it look for jobs at once."""

    def __init__(self, bot: Stockroom) -> None:
        self.bot = bot
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._started = False  # past READY, claiming jobs
        # How long close() lets running jobs finish before handing them back.
        self.stop_grace = STOP_GRACE_SECONDS
        # time.monotonic() of the last claim that answered (jobs or none), for /health.
        self.last_progress = time.monotonic()
        self._claim_failures = 0
        self._orphans_possible = False  # a database fault may have left jobs leased to us
        self.lanes = JobLanes(self._run_job_recorded, self._hand_back, lane_of)
        self.completions = Completions(self.worker_id)  # jobs finished together: one write
        self.feed = FeedPoster(bot, f"{self.worker_id}/feed")
        self._feed_task: asyncio.Task[None] | None = None
        # The job kinds this process runs (its --role's; () is every kind); feed jobs go to
        # the FeedPoster, which runs only where the role takes them.
        role_kinds = bot.role.job_kinds or tuple(JobKind)
        self.kinds = tuple(kind for kind in WORKER_KINDS if kind in role_kinds)
        self.posts_feed = JobKind.POST_FEED in role_kinds

    async def cog_load(self) -> None:
        install_log_redaction()
        self._task = asyncio.create_task(self._run(), name="delivery-worker")
        self._task.add_done_callback(_log_crash)
        if self.posts_feed:
            self._feed_task = asyncio.create_task(self.feed.run(), name="feed-poster")
            self._feed_task.add_done_callback(_log_crash)
        self.bot.on_close(self.stop)

    def cog_unload(self) -> None:
        for task in (self._task, self._feed_task):
            if task is not None:
                task.cancel()

    @property
    def claiming(self) -> bool:
        """Past READY and not stopping: `last_progress` means something."""
        return self._started and not self._stopping

    def wake(self) -> None:
        """Called by cogs that just queued jobs, so they run without waiting for the poll."""
        self._wake.set()
        self.feed.wake()

    async def stop(self) -> None:
        """Stops claiming; lets running jobs finish briefly, then hands the rest back."""
        self._stopping = True
        self._wake.set()
        self.lanes.stop()
        self.feed.stop()
        tasks = {task for task in (self._task, self._feed_task) if task and not task.done()}
        if not tasks:
            return
        done: set = set()
        if self._started:  # else it is only waiting for READY: nothing to finish
            done, _ = await asyncio.wait(tasks, timeout=self.stop_grace)
        for task in tasks - done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        self._started = True
        log.info("delivery worker %s started", self.worker_id)
        loop = asyncio.get_running_loop()
        last_work = -BUSY_WINDOW_SECONDS
        while not self._stopping:
            if self.lanes.held > MAX_IN_FLIGHT - BATCH_SIZE:
                await self.lanes.until_freed()
                continue
            self._wake.clear()
            try:
                if not self.lanes.held:
                    await self._take_back_orphans()
                jobs = await claim(
                    self.worker_id,
                    limit=min(BATCH_SIZE, MAX_IN_FLIGHT - self.lanes.held),
                    lease_seconds=LEASE_SECONDS,
                    kinds=self.kinds,
                )
            except Exception as exc:
                self._claim_failed(exc)
                self._orphans_possible = True
                jobs, pause = [], CLAIM_RETRY_SECONDS
            else:
                self._claim_answered()
                recent = loop.time() - last_work < BUSY_WINDOW_SECONDS
                pause = BUSY_POLL_SECONDS if recent else IDLE_POLL_SECONDS
            if jobs:
                last_work = loop.time()
                self.lanes.add(jobs)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), pause)
        await self.lanes.drain()  # running jobs finish; the lanes hand back the rest
        log.info("delivery worker %s stopped", self.worker_id)

    async def _take_back_orphans(self) -> None:
        """With no job in hand, any job still leased to this worker is an orphan."""
        if not self._orphans_possible:
            return
        freed = await release_own_leases(self.worker_id)
        self._orphans_possible = False
        if freed:
            log.info("took back %d job(s) left leased to this worker by a database fault", freed)

    def _claim_failed(self, exc: Exception) -> None:
        # The first failure in a row with its traceback, then one line each (every 5 s).
        self._claim_failures += 1
        if self._claim_failures == 1 and not is_database_unavailable(exc):
            log.exception("could not claim jobs; trying again in %s s", CLAIM_RETRY_SECONDS)
        else:
            log.warning(
                "could not claim jobs (%s: %s, %d time(s) in a row); trying again in %s s",
                type(exc).__name__,
                str(exc)[:200],
                self._claim_failures,
                CLAIM_RETRY_SECONDS,
            )

    def _claim_answered(self) -> None:
        if self._claim_failures:
            log.info("claiming jobs again after %d failed attempt(s)", self._claim_failures)
        self._claim_failures = 0
        self.last_progress = time.monotonic()

    async def _run_job_recorded(self, job: Job) -> None:
        try:
            await self._run_job(job)
        except Exception:
            # Recording the outcome failed (database away): the job is handed back once
            # the database answers again (or its lease runs out), so nothing is lost.
            self._orphans_possible = True
            log.exception("job %s: could not record its outcome", job.id)

    async def _hand_back(self, jobs: list[Job]) -> None:
        """Jobs claimed but not started when the worker stops go back to the queue."""
        for job in jobs:
            try:
                await release_lease(job.id, self.worker_id)
            except Exception:
                self._orphans_possible = True  # its lease runs out instead
                log.exception("job %s: could not hand it back", job.id)

    async def _run_job(self, job: Job) -> None:
        kind = JobKind(job.kind)
        handler = HANDLERS.get(kind)
        max_attempts = self.bot.settings.job_max_attempts
        try:
            if handler is None:
                raise JobParked(f"no handler for job kind {kind.value}")
            # Handlers see the job's id beside its payload: deliver_codes keys its DM nonce on it.
            payload = {**job.payload, "job_id": job.id}
            # In this task, not wait_for's own one per job: the same timeout and cancellation.
            async with asyncio.timeout(JOB_TIMEOUT_SECONDS):
                note = await handler(self.bot, payload)
        except asyncio.CancelledError:
            await asyncio.shield(release_lease(job.id, self.worker_id))
            raise
        except Exception as exc:
            outcome = exc if isinstance(exc, JobRetry | JobParked) else as_job_outcome(exc)
            if outcome is None:
                log.exception("job %s (%s) failed unexpectedly", job.id, kind.value)
                outcome = JobRetry(f"unexpected {type(exc).__name__}: {str(exc)[:300]}")
            await self._record_failure(job, kind, outcome, max_attempts)
            return
        if await self._recorded(lambda: self.completions.complete(job.id)):
            log.info("job %s (%s) done: %s", job.id, kind.value, note)
        else:
            log.warning("job %s (%s) finished after its lease was lost: %s", job.id, kind, note)

    async def _recorded(self, write: Callable[[], Awaitable[T]]) -> T:
        """Writes a job's outcome, again every second while the database is away (within the
        lease): a job that ran must neither wait out its lease nor run twice for a blip."""
        deadline = time.monotonic() + RECORD_RETRY_SECONDS
        while True:
            try:
                return await write()
            except Exception as exc:
                if not is_database_unavailable(exc) or time.monotonic() > deadline:
                    raise
                log.warning("could not record a job outcome (%s); retrying", type(exc).__name__)
            await asyncio.sleep(1.0)

    async def _record_failure(
        self, job: Job, kind: JobKind, outcome: JobRetry | JobParked, max_attempts: int
    ) -> None:
        permanent = isinstance(outcome, JobParked)
        retry_in = outcome.retry_in if isinstance(outcome, JobRetry) else None
        status = await self._recorded(
            lambda: fail(
                job.id,
                self.worker_id,
                outcome.message,
                max_attempts=max_attempts,
                permanent=permanent,
                retry_in=retry_in,
            )
        )
        log.warning(
            "job %s (%s) attempt %s failed (%s): %s",
            job.id,
            kind.value,
            job.attempts,
            status.value if status is not None else "lease lost",
            outcome.message,
        )
        self._wake.set()  # a parked job queued an admin alert


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("%s stopped", task.get_name(), exc_info=task.exception())
