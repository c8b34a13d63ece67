"""Client-side pacing of every Discord REST request the bot makes, and its invalid-request count.

Discord allows a bot 50 requests per second globally (interaction and webhook-token routes
excepted) and a few per route bucket; every 401, 403 and 429 counts toward a ban after
10,000 in ten minutes (REFERENCE.md §4). disnake 2.12 (`disnake/http.py`) only reacts: it
learns of the global limit from a 429 and then stops new requests, but every request already
past that check is sent anyway, so many concurrent jobs draw a storm of global 429s. For route
buckets it holds its per-route lock until `X-RateLimit-Reset-After` once `Remaining` is 0, so
requests on one route wait instead of failing; but it keys buckets by its own route key, not
Discord's `X-RateLimit-Bucket`, and waits exactly the advertised reset with no margin.

`RestPacer.install(bot.http)` wraps `HTTPClient.request`, the choke point of every REST call,
and hands each attempt (disnake's own retries included) an aiohttp client middleware that
waits for an exhausted bucket to reset and for a global slot before sending, then reads the
answer's rate-limit headers and counts invalid requests. It lives beside bot.py, not in a
cog, because it serves every feature's requests, not only the delivery worker's.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from disnake.http import HTTPClient, Route

log = logging.getLogger(__name__)

GLOBAL_WINDOW_SECONDS = 1.0
# A request reaches Discord a little after the pacer let it go (event loop, connection pool,
# network), and not always equally late. Keeping `limit` requests per window plus this margin
# means that jitter never puts one request too many into a window as Discord counts it.
WINDOW_MARGIN_SECONDS = 0.04
# A global 429 in spite of the pace means requests arrived later than the margin allowed for
# (a loaded host, a slow network, another process on the same token): the margin grows.
MAX_WINDOW_MARGIN_SECONDS = 0.25
INVALID_WINDOW_SECONDS = 600.0
INVALID_BAN_THRESHOLD = 10_000  # per INVALID_WINDOW_SECONDS, per IP (REFERENCE.md §4)
INVALID_STATUSES = (401, 403, 429)
# Authorised by the token in the path; Discord does not count them toward the global limit.
UNMETERED_PATHS = ("/interactions/", "/webhooks/{webhook_id}/{webhook_token}")
_MAX_EXHAUSTED_BUCKETS = 4096

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[Any]]


class GlobalPace:
    """At most `limit` requests start within any `window` seconds (plus the margin).

    A sliding log of the last `limit` start times rather than a token bucket: a bucket that
    may burst `limit` requests and refills at `limit` per second lets through nearly twice
    the limit in one of Discord's fixed windows, while this never exceeds it and still lets a
    quiet bot send a burst at once. Waiters are served in arrival order.
    """

    def __init__(
        self,
        limit: int,
        *,
        window: float = GLOBAL_WINDOW_SECONDS,
        margin: float = WINDOW_MARGIN_SECONDS,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1 request per window")
        self.limit = limit
        self.window = window
        self.margin = margin
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque(maxlen=limit)
        self._blocked_until = 0.0
        self._turn = asyncio.Lock()

    def block_for(self, seconds: float) -> None:
        """After a global 429: nothing starts for `seconds` (Discord's retry_after).

        The margin grows by half (capped), so the same lateness does not cost another 429.
        """
        self._blocked_until = max(self._blocked_until, self._clock() + seconds)
        widened = min(self.margin * 1.5 + 0.01, MAX_WINDOW_MARGIN_SECONDS)
        if widened > self.margin:
            log.warning(
                "Discord answered a global 429 although requests were paced at %d/s; "
                "the pacing margin grows to %.0f ms",
                self.limit,
                widened * 1000,
            )
            self.margin = widened

    async def admit(self) -> None:
        """Returns when one more request may start; call it right before sending."""
        async with self._turn:
            while True:
                now = self._clock()
                ready = self._blocked_until
                if len(self._starts) == self.limit:
                    ready = max(ready, self._starts[0] + self.window + self.margin)
                if ready <= now:
                    self._starts.append(now)
                    return
                await self._sleep(ready - now)


@dataclass(frozen=True)
class BucketId:
    """A Discord rate-limit bucket: its hash plus the route's major parameters."""

    bucket: str
    major: tuple[Any, ...]


class RouteBuckets:
    """Per-route buckets as Discord's answers describe them; says how long to wait before one.

    Routes are mapped to Discord's `X-RateLimit-Bucket` hash as answers arrive, so two routes
    that share a bucket also share its exhaustion. Only exhausted buckets are kept.
    """

    def __init__(self, *, margin: float = WINDOW_MARGIN_SECONDS, clock: Clock = time.monotonic):
        self._margin = margin
        self._clock = clock
        self._hash_of: dict[tuple[str, str], str] = {}
        self._exhausted_until: dict[BucketId, float] = {}

    def wait_for(self, route: Route) -> float:
        """Seconds until the route's bucket has room again (0 when unknown or not exhausted)."""
        known = self._hash_of.get((route.method, route.path))
        if known is None:
            return 0.0
        until = self._exhausted_until.get(BucketId(known, _major(route)))
        return max(0.0, until - self._clock()) if until is not None else 0.0

    def learn(self, route: Route, status: int, headers: Mapping[str, str]) -> None:
        """Reads `X-RateLimit-*` from an answer (a route 429's `Retry-After` included)."""
        bucket = headers.get("X-RateLimit-Bucket")
        if not bucket:
            return
        self._hash_of[(route.method, route.path)] = bucket
        key = BucketId(bucket, _major(route))
        reset_after = _seconds(headers.get("X-RateLimit-Reset-After"))
        if status == 429:
            if headers.get("X-RateLimit-Global", "").lower() == "true":
                return  # the global limit, not this bucket, refused it
            if reset_after is None:
                reset_after = _seconds(headers.get("Retry-After"))
        elif headers.get("X-RateLimit-Remaining") != "0":
            self._exhausted_until.pop(key, None)
            return
        if reset_after is None:
            return
        if len(self._exhausted_until) >= _MAX_EXHAUSTED_BUCKETS:
            self._forget_reset_buckets()
        self._exhausted_until[key] = self._clock() + reset_after + self._margin

    def _forget_reset_buckets(self) -> None:
        now = self._clock()
        for key, until in list(self._exhausted_until.items()):
            if until <= now:
                del self._exhausted_until[key]


class InvalidRequests:
    """401, 403 and 429 answers in the last ten minutes (429s of scope `shared` do not count)."""

    def __init__(self, *, window: float = INVALID_WINDOW_SECONDS, clock: Clock = time.monotonic):
        self._window = window
        self._clock = clock
        self._seen: deque[tuple[float, int]] = deque()

    def record(self, status: int, scope: str | None) -> None:
        if status in INVALID_STATUSES and not (status == 429 and scope == "shared"):
            self._seen.append((self._clock(), status))

    def by_status(self) -> dict[int, int]:
        """Invalid answers in the window, by status."""
        horizon = self._clock() - self._window
        while self._seen and self._seen[0][0] <= horizon:
            self._seen.popleft()
        return dict(Counter(status for _, status in self._seen))


@dataclass(frozen=True)
class RestMetrics:
    """What /admin botstats shows about the bot's Discord requests."""

    pace_per_second: int | None  # None: not paced here (a REST proxy paces)
    requests_sent: int
    invalid_10m: dict[int, int]  # status -> count in the last ten minutes
    rate_limited: dict[str, int]  # 429s since start by scope: global, user, shared
    held_for_bucket: int = 0  # requests that waited for an exhausted route bucket to reset
    ban_threshold: int = INVALID_BAN_THRESHOLD

    @property
    def invalid_total_10m(self) -> int:
        return sum(self.invalid_10m.values())


class RestPacer:
    """Paces and counts every request of one disnake HTTPClient (see the module docstring)."""

    def __init__(
        self,
        per_second: int | None,
        *,
        margin: float = WINDOW_MARGIN_SECONDS,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.per_second = per_second or None
        self.global_pace = (
            GlobalPace(per_second, margin=margin, clock=clock, sleep=sleep) if per_second else None
        )
        self.buckets = RouteBuckets(margin=margin, clock=clock)
        self.invalid = InvalidRequests(clock=clock)
        self._sleep = sleep
        self._sent = 0
        self._held = 0
        self._rate_limited: Counter[str] = Counter()

    def install(self, http: HTTPClient) -> None:
        """Routes every request of `http` through this pacer.

        Only this instance's `request` is wrapped; disnake's retries inside it are separate
        aiohttp requests, each of which passes the middleware.
        """
        send = http.request

        async def request(route: Route, **kwargs: Any) -> Any:
            kwargs["middlewares"] = (*kwargs.get("middlewares", ()), self.middleware(route))
            return await send(route, **kwargs)

        http.request = request  # type: ignore[method-assign]

    def middleware(self, route: Route) -> aiohttp.ClientMiddlewareType:
        metered = not route.path.startswith(UNMETERED_PATHS)

        async def paced(
            request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
        ) -> aiohttp.ClientResponse:
            await self.before_send(route, metered=metered)
            response = await handler(request)
            retry_after = await _body_retry_after(response) if response.status == 429 else None
            self.after_answer(route, response.status, response.headers, retry_after)
            return response

        return paced

    async def before_send(self, route: Route, *, metered: bool = True) -> None:
        """Waits for the route's bucket to reset, then for a global slot."""
        if (wait := self.buckets.wait_for(route)) > 0:
            self._held += 1
            while wait > 0:
                await self._sleep(wait)
                wait = self.buckets.wait_for(route)
        if metered and self.global_pace is not None:
            await self.global_pace.admit()
        self._sent += 1

    def after_answer(
        self,
        route: Route,
        status: int,
        headers: Mapping[str, str],
        retry_after: float | None = None,
    ) -> None:
        """Learns from one answer; `retry_after` is a 429 body's (finer than the header's)."""
        scope = headers.get("X-RateLimit-Scope")
        self.invalid.record(status, scope)
        if status == 429:
            is_global = headers.get("X-RateLimit-Global", "").lower() == "true"
            self._rate_limited[scope or ("global" if is_global else "user")] += 1
            if retry_after is None:
                retry_after = _seconds(headers.get("Retry-After"))
            if is_global and retry_after and self.global_pace is not None:
                self.global_pace.block_for(retry_after)
        self.buckets.learn(route, status, headers)

    def metrics(self) -> RestMetrics:
        return RestMetrics(
            pace_per_second=self.per_second,
            requests_sent=self._sent,
            invalid_10m=self.invalid.by_status(),
            rate_limited=dict(self._rate_limited),
            held_for_bucket=self._held,
        )


async def _body_retry_after(response: aiohttp.ClientResponse) -> float | None:
    """`retry_after` from a 429's JSON body; aiohttp keeps the body for disnake to read."""
    try:
        data = await response.json(content_type=None)
    except (ValueError, aiohttp.ClientError):
        return None
    value = data.get("retry_after") if isinstance(data, dict) else None
    return _seconds(str(value)) if isinstance(value, int | float) else None


def _major(route: Route) -> tuple[Any, ...]:
    return (route.channel_id, route.guild_id, route.webhook_id, route.webhook_token)


def _seconds(value: str | None) -> float | None:
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds < 3600 else None
