"""The feed poster: queued feed embeds go to the orders channel, up to ten in one message.

The delivery worker runs it beside its job loop. Each round claims the post_feed jobs that
queued up (oldest first), renders them, packs them into messages of at most ten embeds and
6000 characters, and sends the messages one after another; a job is completed only once the
message carrying it was sent. A message Discord refused or did not answer fails all its
jobs together (retried with one backoff), and the later messages of the round wait for
them, so the feed keeps its order. A message's jobs carry its nonce from before the first
try (models.outbox.feed), so a retry after a lost answer or a crash finds the message
Discord already made instead of posting the embeds twice. After a round that sent
something the poster waits FEED_INTERVAL_SECONDS, so embeds arriving meanwhile share the
next message (Discord allows a channel about five messages in five seconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import disnake
from disnake.http import Route

from cogs._embeds import TOTAL_MAX
from cogs.delivery.feed_embeds import EMBEDS_PER_MESSAGE, feed_embed, topup_embed
from cogs.delivery.notices import text_channel
from cogs.delivery.outcomes import JobParked, JobRetry, as_job_outcome
from models.base import JobKind
from models.database import is_database_unavailable
from models.orders.delivery import release_own_leases
from models.orders.feed_entries import (
    FeedEntry,
    FeedRequest,
    feed_entries,
    feed_entry,
    topup_feed_entry,
)
from models.outbox.actions import backoff_seconds, claim, complete_many
from models.outbox.feed import (
    FEED_MESSAGE_KEY,
    earliest_waiting_feed_job,
    fail_feed_jobs,
    hold_back,
    mark_message,
)
from models.outbox.tables import Job

if TYPE_CHECKING:
    from bot import Stockroom

log = logging.getLogger(__name__)

FEED_ROUND_JOBS = 50  # five full messages a round at most
FEED_INTERVAL_SECONDS = 1.0
IDLE_POLL_SECONDS = 0.5
RETRY_PAUSE_SECONDS = 5.0
LEASE_SECONDS = 90.0
NONCE_MAX = 25


def message_nonce(first_job_id: int) -> str:
    nonce = f"feed-{first_job_id}"
    if len(nonce) > NONCE_MAX:
        raise ValueError(f"job id {first_job_id} makes a nonce longer than {NONCE_MAX}")
    return nonce


@dataclass
class FeedMessage:
    """The jobs one message carries, their embeds in job order, and its nonce."""

    nonce: str
    marked: bool  # the jobs already carry this nonce (a retry)
    jobs: list[Job] = field(default_factory=list)
    embeds: list[disnake.Embed] = field(default_factory=list)
    # The embeds' characters, kept as they are added: len(embed) walks every field, and
    # summing them again for each candidate made packing a round quadratic in its embeds.
    size: int = 0

    def fits(self, embed: disnake.Embed, length: int | None = None) -> bool:
        """Room for `embed` (its len() passed as `length` when already known)."""
        if length is None:
            length = len(embed)
        return len(self.embeds) < EMBEDS_PER_MESSAGE and self.size + length <= TOTAL_MAX

    def add(self, jobs: Sequence[Job], embed: disnake.Embed, length: int | None = None) -> None:
        self.jobs.extend(jobs)
        self.embeds.append(embed)
        self.size += len(embed) if length is None else length


Item = tuple[Sequence[Job], disnake.Embed]  # one embed and the job(s) it tells of


def plan_messages(items: Sequence[Item]) -> list[FeedMessage]:
    """Packs embeds (in job order) into messages; jobs sent in one before stay together.

    The jobs of one embed carry the same nonce or none (fold_jobs folds no others).
    """
    messages: list[FeedMessage] = []
    marked: dict[str, FeedMessage] = {}
    fresh: FeedMessage | None = None
    for jobs, embed in items:
        job = jobs[0]
        length = len(embed)  # once per embed: it walks every field
        nonce = job.payload.get(FEED_MESSAGE_KEY)
        if isinstance(nonce, str) and nonce:
            message = marked.get(nonce)
            if message is None:
                message = marked[nonce] = FeedMessage(nonce, marked=True)
                messages.append(message)
                fresh = None
            if message.fits(embed, length):
                message.add(jobs, embed, length)
                continue
        if fresh is None or not fresh.fits(embed, length):
            fresh = FeedMessage(message_nonce(job.id), marked=False)
            messages.append(fresh)
        fresh.add(jobs, embed, length)
    return messages


# An order's entries that wait in one round and are posted as one embed, by kind: the later
# entry shows the order as it ended up, and its title names both. A paid order's "Payment
# completed" and "Delivered" come a moment apart; folded, a burst needs half the messages.
FOLDS = frozenset({("completed", "delivered")})


def fold_jobs(jobs: Sequence[Job]) -> list[list[Job]]:
    """The round's jobs (oldest first) grouped into embeds, each group in the place of its
    newest job. A job folds into its order's next job in the round when FOLDS pairs their
    kinds and both carry the same message nonce (none, or the same message's)."""
    groups: dict[int, list[Job]] = {}  # by the position of the group's newest job
    latest: dict[int, int] = {}  # order id -> the position of its latest group
    for position, job in enumerate(jobs):
        order_id = job.payload.get("order_id") if "topup_id" not in job.payload else None
        before = latest.get(order_id) if isinstance(order_id, int) else None
        group = [job]
        if before is not None and _folds(groups[before][-1], job):
            group = [*groups.pop(before), job]
        groups[position] = group
        if isinstance(order_id, int):
            latest[order_id] = position
    return list(groups.values())


def _folds(earlier: Job, later: Job) -> bool:
    kinds = (str(earlier.payload.get("kind", "")), str(later.payload.get("kind", "")))
    same_message = earlier.payload.get(FEED_MESSAGE_KEY) == later.payload.get(FEED_MESSAGE_KEY)
    return kinds in FOLDS and same_message


async def send_feed_message(bot: Stockroom, channel_id: int, message: FeedMessage) -> int:
    """Posts the message with its nonce enforced; returns its id (the old one on a repeat)."""
    payload = {
        "embeds": [embed.to_dict() for embed in message.embeds],
        "nonce": message.nonce,
        "enforce_nonce": True,
        "allowed_mentions": disnake.AllowedMentions.none().to_dict(),
    }
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
    data = await bot.http.request(route, json=payload)
    return int(data["id"])


Entries = dict[int, FeedEntry | None]


def feed_request(job: Job) -> FeedRequest:
    """What an order's feed job is about; raises on a payload nothing can show."""
    payload = job.payload
    event_id = payload.get("order_event_id")
    return FeedRequest(
        int(payload["order_id"]),
        int(event_id) if event_id is not None else None,
        str(payload.get("kind", "")),
    )


async def read_entries(jobs: Sequence[Job]) -> Entries:
    """The entries of a round's order jobs read together (two statements), by job id.

    A job whose payload cannot be read is left out: render() reads it alone and fails it.
    """
    requests: dict[int, FeedRequest] = {}
    for job in jobs:
        if "topup_id" in job.payload:
            continue
        with contextlib.suppress(KeyError, TypeError, ValueError):
            requests[job.id] = feed_request(job)
    entries = await feed_entries(list(requests.values()))
    return dict(zip(requests, entries, strict=True))


async def render(
    job: Job, known: dict[int, FeedEntry | None] | None = None, earlier: Sequence[str] = ()
) -> disnake.Embed | None:
    """The job's embed, or None when what it was about no longer exists.

    `known` holds entries read before for the round (read_entries); others are read here.
    `earlier` are the kinds of the order's entries folded into this one (fold_jobs).
    """
    payload = job.payload
    if "topup_id" in payload:
        topup = await topup_feed_entry(payload)
        return topup_embed(topup) if topup is not None else None
    if known is not None and job.id in known:
        entry = known[job.id]
    else:
        entry = await feed_entry(
            int(payload["order_id"]), payload.get("order_event_id"), str(payload.get("kind", ""))
        )
    return feed_embed(entry, earlier) if entry is not None else None


class FeedPoster:
    """Runs feed rounds until stopped; `wake()` makes an idle poster look at once."""

    def __init__(self, bot: Stockroom, worker_id: str) -> None:
        self.bot = bot
        self.worker_id = worker_id
        self.interval = FEED_INTERVAL_SECONDS
        self.stopping = False
        self._wake = asyncio.Event()
        self._orphans_possible = False
        self._failures = 0

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self.stopping = True
        self._wake.set()

    async def run(self) -> None:
        await self.bot.wait_until_ready()
        while not self.stopping:
            self._wake.clear()
            try:
                if self._orphans_possible:
                    await release_own_leases(self.worker_id)
                    self._orphans_possible = False
                handled = await self.round()
                self._failures = 0
            except Exception:
                self._failures += 1
                self._orphans_possible = True
                if self._failures == 1:
                    log.exception("feed round failed; trying again in %s s", RETRY_PAUSE_SECONDS)
                await self._pause(RETRY_PAUSE_SECONDS, wakeable=False)
                continue
            if handled >= FEED_ROUND_JOBS:
                continue  # a full round: more are waiting already, and a pause only adds a tail
            if handled:
                await self._pause(self.interval, wakeable=False)
            else:
                await self._pause(IDLE_POLL_SECONDS, wakeable=True)

    async def _pause(self, seconds: float, *, wakeable: bool) -> None:
        """Sleeps; a stop always ends it, a wake only when `wakeable`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not self.stopping:
            left = deadline - loop.time()
            if left <= 0:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), left)
            if wakeable or self.stopping:
                return
            self._wake.clear()

    async def round(self) -> int:
        """One round: claims, renders, packs and sends; returns how many jobs it handled."""
        jobs = await claim(
            self.worker_id,
            limit=FEED_ROUND_JOBS,
            lease_seconds=LEASE_SECONDS,
            kinds=(JobKind.POST_FEED,),
        )
        if not jobs:
            return 0
        jobs.sort(key=lambda job: job.id)
        jobs = await self._behind_older_retries(jobs)
        if not jobs:
            return 0
        try:
            await self._post(jobs)
        except asyncio.CancelledError:
            await asyncio.shield(self._hand_back(jobs))
            raise
        return len(jobs)

    async def _behind_older_retries(self, jobs: list[Job]) -> list[Job]:
        """Jobs newer than a feed job waiting out a backoff wait for it (the feed's order)."""
        older = await earliest_waiting_feed_job(jobs[-1].id)
        if older is None:
            return jobs
        later = [job.id for job in jobs if job.id > older.id]
        await hold_back(later, self.worker_id, older.next_attempt_at)
        return [job for job in jobs if job.id < older.id]

    async def _hand_back(self, jobs: list[Job]) -> None:
        await hold_back([job.id for job in jobs], self.worker_id, datetime.now(UTC))

    async def _post(self, jobs: list[Job]) -> None:
        channel_id = self.bot.settings.discord.orders_channel_id
        if not channel_id:
            await complete_many([job.id for job in jobs], self.worker_id)
            log.info("%d feed embed(s) skipped: ORDERS_CHANNEL_ID is not set", len(jobs))
            return
        try:
            channel = await text_channel(self.bot, channel_id, "ORDERS_CHANNEL_ID")
        except JobParked as exc:
            await self._failed(jobs, exc, [])
            return
        messages = plan_messages(await self._rendered(jobs))
        for index, message in enumerate(messages):
            if self.stopping:
                await self._hand_back([job for m in messages[index:] for job in m.jobs])
                return
            if not message.marked:
                await mark_message(message.jobs, message.nonce)
            try:
                await send_feed_message(self.bot, channel.id, message)  # type: ignore[attr-defined]
            except Exception as exc:
                later = [job for m in messages[index + 1 :] for job in m.jobs]
                await self._failed(message.jobs, exc, later)
                return
            await complete_many([job.id for job in message.jobs], self.worker_id)
            log.info("feed message %s posted with %d embed(s)", message.nonce, len(message.jobs))

    async def _rendered(self, jobs: list[Job]) -> list[Item]:
        """The jobs' embeds; a job with nothing to show is done, one that cannot be shown parked."""
        items: list[Item] = []
        try:
            known = await read_entries(jobs)
        except Exception as exc:
            if is_database_unavailable(exc):
                raise  # the whole round is tried again
            log.exception("feed entries of %d job(s) could not be read together", len(jobs))
            known = {}  # each is read alone below, and one that cannot be shown is parked
        for group in fold_jobs(jobs):
            job, earlier = group[-1], [str(j.payload.get("kind", "")) for j in group[:-1]]
            try:
                embed = await render(job, known, earlier)
            except Exception as exc:
                if is_database_unavailable(exc):
                    raise  # the whole round is tried again
                # A payload nothing can show (a bug, or an edited row): parked, not retried.
                log.exception("feed job %s cannot be shown", job.id)
                problem = f"{type(exc).__name__}: {str(exc)[:200]}"
                await self._failed(group, JobParked(f"feed job cannot be shown: {problem}"), [])
                continue
            if embed is None:  # the order is gone: nothing to tell
                await complete_many([j.id for j in group], self.worker_id)
            else:
                items.append((group, embed))
        return items

    async def _failed(self, jobs: list[Job], exc: Exception, later: list[Job]) -> None:
        """Fails a message's jobs together (one backoff for all); later ones wait for them."""
        outcome = exc if isinstance(exc, JobRetry | JobParked) else as_job_outcome(exc)
        if outcome is None:
            log.exception("feed message failed unexpectedly")
            outcome = JobRetry(f"unexpected {type(exc).__name__}: {str(exc)[:300]}")
        permanent = isinstance(outcome, JobParked)
        attempts = max(job.attempts for job in jobs)
        delay = getattr(outcome, "retry_in", None) or backoff_seconds(attempts)
        await fail_feed_jobs(
            jobs,
            self.worker_id,
            outcome.message,
            max_attempts=self.bot.settings.job_max_attempts,
            permanent=permanent,
            retry_in=delay,
        )
        if later:
            await hold_back([job.id for job in later], self.worker_id, _after(delay))
        log.warning(
            "feed message of %d embed(s) failed (%s); %d later one(s) wait",
            len(jobs),
            outcome.message,
            len(later),
        )


def _after(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)
