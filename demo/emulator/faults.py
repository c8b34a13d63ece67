"""Rate limits (global 50/s and per route) and injected faults: 429s, 5xx answers, delays."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

GLOBAL_LIMIT = 50  # requests per second per bot (topics/rate-limits)
_MAJOR = ("channel_id", "guild_id", "webhook_id", "webhook_token", "interaction_id")


@dataclass
class _Injected:
    kind: str  # "429", "5xx" or "delay"
    method: str | None
    template: str | None
    count: int | None
    retry_after: float = 0.0
    is_global: bool = False
    scope: str = "user"
    status: int = 500
    seconds: float = 0.0

    def applies(self, method: str, template: str) -> bool:
        return (self.method in (None, method)) and (self.template in (None, template))


@dataclass
class Verdict:
    """What the middleware does with one request: wait, refuse, or serve with these headers."""

    delay: float = 0.0
    status: int | None = None
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


class Faults:
    """Keeps the rate-limit windows and the faults a test injected."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.global_limit = GLOBAL_LIMIT
        self.global_window = 1.0  # seconds; tests may shorten it to hit the limit quickly
        self.route_limit = (50, 1.0)  # (requests, seconds) per bucket; Discord varies per route
        self._global_hits: list[float] = []  # admission times in the current window
        self._bucket_hits: dict[str, list[float]] = {}
        self._injected: list[_Injected] = []

    # -- what tests call ---------------------------------------------------------------

    def rate_limit(
        self,
        method: str,
        template: str,
        *,
        retry_after: float = 0.05,
        count: int = 1,
        scope: str = "user",
    ) -> None:
        """The next `count` requests to the route answer 429 (scope user, or shared)."""
        self._injected.append(_Injected("429", method, template, count, retry_after, scope=scope))

    def global_rate_limit(self, *, retry_after: float = 0.05, count: int = 1) -> None:
        """The next `count` requests to any bot route answer a global 429."""
        self._injected.append(_Injected("429", None, None, count, retry_after, is_global=True))

    def server_error(
        self, method: str, template: str, *, status: int = 500, count: int | None = 1
    ) -> None:
        """The next `count` requests (None: all) to the route answer `status`."""
        self._injected.append(_Injected("5xx", method, template, count, status=status))

    def delay(
        self, method: str, template: str, seconds: float, *, count: int | None = None
    ) -> None:
        """Requests to the route are answered after `seconds` (None count: every one)."""
        self._injected.append(_Injected("delay", method, template, count, seconds=seconds))

    def clear(self) -> None:
        self._injected.clear()

    # -- what the server calls ---------------------------------------------------------

    def _take(self, kind: str, method: str, template: str) -> _Injected | None:
        for fault in self._injected:
            if fault.kind == kind and fault.applies(method, template):
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._injected.remove(fault)
                return fault
        return None

    @staticmethod
    def bucket_key(template: str, params: dict[str, str]) -> str:
        major = ":".join(params.get(name, "") for name in _MAJOR)
        return f"{template}|{major}"

    def _window(self, hits: list[float], window: float, now: float) -> None:
        """Fixed windows, like Discord's buckets: the count resets `window` after it began."""
        if hits and now >= hits[0] + window:
            hits.clear()

    def judge(
        self, method: str, template: str, params: dict[str, str], *, counts_globally: bool
    ) -> Verdict:
        verdict = Verdict()
        delay = self._take("delay", method, template)
        if delay is not None:
            verdict.delay = delay.seconds
        now = self._clock()
        injected = self._take("429", method, template)
        if injected is not None and injected.is_global and not counts_globally:
            self._injected.insert(0, injected)  # interaction routes are outside the global limit
            injected = None
        if injected is not None:
            return self._too_many(
                verdict, injected.retry_after, injected.is_global, template, injected.scope
            )
        if counts_globally:
            self._window(self._global_hits, self.global_window, now)
            if len(self._global_hits) >= self.global_limit:
                retry = self._global_hits[0] + self.global_window - now
                return self._too_many(verdict, max(retry, 0.001), True, template)
            self._global_hits.append(now)
        limit, window = self.route_limit
        key = self.bucket_key(template, params)
        hits = self._bucket_hits.setdefault(key, [])
        self._window(hits, window, now)
        if len(hits) >= limit:
            retry = hits[0] + window - now
            return self._too_many(verdict, max(retry, 0.001), False, template)
        hits.append(now)
        reset_after = (hits[0] + window - now) if hits else window
        verdict.headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(limit - len(hits)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": hashlib.sha1(template.encode()).hexdigest()[:16],
        }
        error = self._take("5xx", method, template)
        if error is not None:
            verdict.status = error.status
            verdict.body = {"message": f"{error.status}: Server Error", "code": 0}
        return verdict

    def _too_many(
        self,
        verdict: Verdict,
        retry_after: float,
        is_global: bool,
        template: str,
        scope: str = "user",
    ) -> Verdict:
        verdict.status = 429
        verdict.body = {
            "message": "You are being rate limited.",
            "retry_after": round(retry_after, 3),
            "global": is_global,
        }
        verdict.headers = {
            "Retry-After": str(max(1, round(retry_after))),
            "X-RateLimit-Limit": str(self.global_limit if is_global else self.route_limit[0]),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": hashlib.sha1(template.encode()).hexdigest()[:16],
            "X-RateLimit-Scope": "global" if is_global else scope,
        }
        if is_global:
            verdict.headers["X-RateLimit-Global"] = "true"
        return verdict
