"""The REST pacer: global slots, route buckets from Discord's headers, invalid-request counts.

Time is a virtual clock that the pacer's own sleeps advance, so each schedule is exact and
the tests take no wall time; the emulator's fixed-window limiter judges the schedules.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import web
from disnake.http import HTTPClient, Route
from hypothesis import given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict

from demo.emulator.faults import Faults
from pacing import (
    MAX_WINDOW_MARGIN_SECONDS,
    GlobalPace,
    InvalidRequests,
    RestPacer,
    RouteBuckets,
)


class VirtualTime:
    """A monotonic clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


def headers(**values: str) -> CIMultiDict[str]:
    return CIMultiDict({k.replace("_", "-"): v for k, v in values.items()})


def messages(channel_id: int = 1) -> Route:
    return Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)


async def admitted_times(pace: GlobalPace, time: VirtualTime, count: int) -> list[float]:
    """When each of `count` concurrent requests was let go, in the order they went."""
    starts: list[float] = []

    async def one() -> None:
        await pace.admit()
        starts.append(time.now)

    await asyncio.gather(*(one() for _ in range(count)))
    return starts


async def test_a_quiet_bot_bursts_then_keeps_limit_per_window_plus_margin() -> None:
    time = VirtualTime()
    pace = GlobalPace(50, margin=0.04, clock=time.clock, sleep=time.sleep)

    starts = await admitted_times(pace, time, 160)

    assert starts[:50] == [1000.0] * 50  # nothing waited while the window had room
    gaps = [later - earlier for earlier, later in zip(starts, starts[50:], strict=False)]
    assert min(gaps) == pytest.approx(1.04)
    assert starts[-1] - starts[0] == pytest.approx(3 * 1.04)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(min_value=0.0, max_value=0.0399), min_size=300, max_size=300),
    st.integers(min_value=5, max_value=50),
)
def test_arrivals_late_by_less_than_the_margin_never_break_a_fixed_window(
    delays: list[float], limit: int
) -> None:
    """However each request is delayed on its way (up to the margin), Discord sees no 429."""
    time = VirtualTime()
    pace = GlobalPace(limit, margin=0.04, clock=time.clock, sleep=time.sleep)
    starts = asyncio.run(admitted_times(pace, time, len(delays)))
    arrivals = sorted(start + delay for start, delay in zip(starts, delays, strict=True))
    clock = iter(arrivals)
    discord = Faults(clock=lambda: next(clock))
    discord.global_limit, discord.route_limit = limit, (10**6, 1.0)

    verdicts = [
        discord.judge("GET", "/users/@me", {}, counts_globally=True).status for _ in arrivals
    ]

    assert 429 not in verdicts


async def test_the_same_schedule_without_the_margin_is_refused_when_late() -> None:
    """The margin is what absorbs lateness: at exactly the limit, one late request breaks it."""
    time = VirtualTime()
    pace = GlobalPace(10, margin=0.0, clock=time.clock, sleep=time.sleep)
    starts = await admitted_times(pace, time, 11)
    # The burst of ten reached Discord 10 ms late, the eleventh on time.
    arrivals = iter([start + 0.01 for start in starts[:10]] + [starts[10]])
    discord = Faults(clock=lambda: next(arrivals))
    discord.global_limit = 10

    verdicts = [discord.judge("GET", "/users/@me", {}, counts_globally=True) for _ in starts]

    assert [v.status for v in verdicts].count(429) == 1


async def test_a_global_429_stops_every_request_for_retry_after() -> None:
    time = VirtualTime()
    pacer = RestPacer(50, clock=time.clock, sleep=time.sleep)
    pacer.after_answer(
        messages(),
        429,
        headers(Retry_After="2", X_RateLimit_Global="true", X_RateLimit_Scope="global"),
    )

    await pacer.before_send(Route("GET", "/users/@me"))

    assert time.now == pytest.approx(1002.0)
    assert pacer.metrics().rate_limited == {"global": 1}


def test_each_global_429_in_spite_of_the_pace_widens_the_margin_up_to_a_cap() -> None:
    time = VirtualTime()
    pace = GlobalPace(50, margin=0.04, clock=time.clock, sleep=time.sleep)
    margins = []
    for _ in range(8):
        pace.block_for(0.1)
        margins.append(round(pace.margin, 4))

    assert margins[:3] == [0.07, 0.115, 0.1825]
    assert margins[-1] == MAX_WINDOW_MARGIN_SECONDS


async def test_interaction_routes_are_not_metered_by_the_global_pace() -> None:
    time = VirtualTime()
    pacer = RestPacer(1, clock=time.clock, sleep=time.sleep)
    await pacer.before_send(Route("GET", "/users/@me"))
    callback = Route(
        "POST",
        "/interactions/{interaction_id}/{interaction_token}/callback",
        interaction_id=1,
        interaction_token="t",
    )

    await pacer.before_send(callback, metered=False)
    assert time.now == 1000.0
    await pacer.before_send(Route("GET", "/users/@me"))
    assert time.now == pytest.approx(1001.04)


def test_an_exhausted_bucket_is_waited_out_with_the_margin() -> None:
    time = VirtualTime()
    buckets = RouteBuckets(margin=0.04, clock=time.clock)
    spent = headers(
        X_RateLimit_Bucket="abc", X_RateLimit_Remaining="0", X_RateLimit_Reset_After="0.7"
    )

    assert buckets.wait_for(messages()) == 0.0  # nothing known yet
    buckets.learn(messages(), 200, spent)

    assert buckets.wait_for(messages()) == pytest.approx(0.74)
    assert buckets.wait_for(messages(channel_id=2)) == 0.0  # another channel, another bucket
    time.now += 0.74
    assert buckets.wait_for(messages()) == 0.0


def test_routes_sharing_a_bucket_hash_share_its_exhaustion() -> None:
    time = VirtualTime()
    buckets = RouteBuckets(margin=0.0, clock=time.clock)
    edit = Route(
        "PATCH", "/channels/{channel_id}/messages/{message_id}", channel_id=1, message_id=9
    )
    buckets.learn(edit, 200, headers(X_RateLimit_Bucket="shared", X_RateLimit_Remaining="3"))
    spent = headers(
        X_RateLimit_Bucket="shared", X_RateLimit_Remaining="0", X_RateLimit_Reset_After="1.5"
    )

    buckets.learn(messages(), 200, spent)

    assert buckets.wait_for(edit) == pytest.approx(1.5)


def test_route_429_marks_the_bucket_and_a_later_answer_with_room_clears_it() -> None:
    time = VirtualTime()
    buckets = RouteBuckets(margin=0.0, clock=time.clock)
    buckets.learn(messages(), 429, headers(X_RateLimit_Bucket="abc", Retry_After="3"))
    assert buckets.wait_for(messages()) == pytest.approx(3.0)

    buckets.learn(messages(), 200, headers(X_RateLimit_Bucket="abc", X_RateLimit_Remaining="4"))

    assert buckets.wait_for(messages()) == 0.0


def test_a_global_429_does_not_mark_the_route_bucket() -> None:
    time = VirtualTime()
    buckets = RouteBuckets(clock=time.clock)
    refused = headers(
        X_RateLimit_Bucket="abc",
        X_RateLimit_Remaining="0",
        X_RateLimit_Reset_After="1",
        X_RateLimit_Global="true",
    )

    buckets.learn(messages(), 429, refused)

    assert buckets.wait_for(messages()) == 0.0


def test_nonsense_reset_headers_are_ignored() -> None:
    time = VirtualTime()
    buckets = RouteBuckets(clock=time.clock)
    for value in ("soon", "-1", "1e9", ""):
        buckets.learn(
            messages(),
            200,
            headers(
                X_RateLimit_Bucket="abc", X_RateLimit_Remaining="0", X_RateLimit_Reset_After=value
            ),
        )
        assert buckets.wait_for(messages()) == 0.0


def test_invalid_requests_are_401_403_and_429_except_shared_for_ten_minutes() -> None:
    time = VirtualTime()
    invalid = InvalidRequests(clock=time.clock)
    for status, scope in ((401, None), (403, None), (403, None), (429, "user"), (429, "global")):
        invalid.record(status, scope)
    invalid.record(429, "shared")  # Discord does not count these
    invalid.record(404, None)
    invalid.record(200, None)
    assert invalid.by_status() == {401: 1, 403: 2, 429: 2}

    time.now += 599.0
    invalid.record(403, None)
    time.now += 1.0
    assert invalid.by_status() == {403: 1}


async def test_metrics_count_requests_sent_and_429s_by_scope() -> None:
    time = VirtualTime()
    pacer = RestPacer(0, clock=time.clock, sleep=time.sleep)  # 0: a proxy paces
    for _ in range(3):
        await pacer.before_send(messages())
    pacer.after_answer(messages(), 429, headers(X_RateLimit_Scope="user", Retry_After="1"))
    pacer.after_answer(messages(), 429, headers(X_RateLimit_Scope="shared", Retry_After="1"))
    pacer.after_answer(messages(), 403, headers())

    metrics = pacer.metrics()

    assert metrics.pace_per_second is None and time.now == 1000.0
    assert metrics.requests_sent == 3
    assert metrics.rate_limited == {"user": 1, "shared": 1}
    assert metrics.invalid_10m == {429: 1, 403: 1} and metrics.invalid_total_10m == 2


def test_a_pace_below_one_request_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        GlobalPace(0)


def _json(data: object, status: int = 200, **extra: str) -> web.Response:
    headers = {"Content-Type": "application/json", "Via": "1.1 google", **extra}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=headers)


async def test_installed_on_disnake_a_global_429_holds_requests_for_the_body_retry_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through a real disnake HTTPClient and socket: the body's 0.05 s, not the header's 1 s."""
    refusals = [1]

    async def users_me(_: web.Request) -> web.Response:
        return _json({"id": "1", "username": "stockroom"})

    async def gateway(_: web.Request) -> web.Response:
        if refusals and refusals.pop():
            body = {"message": "You are being rate limited.", "retry_after": 0.05, "global": True}
            limited = {"Retry-After": "1", "X-RateLimit-Global": "true"}
            return _json(body, 429, **limited, **{"X-RateLimit-Scope": "global"})
        return _json({"url": "wss://gateway.example"})

    app = web.Application()
    app.router.add_get("/api/v10/users/@me", users_me)
    app.router.add_get("/api/v10/gateway", gateway)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    monkeypatch.setattr(Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    time = VirtualTime()
    pacer = RestPacer(50, clock=time.clock, sleep=time.sleep)
    http = HTTPClient(loop=asyncio.get_running_loop())
    pacer.install(http)
    try:
        await http.static_login("token")
        answer = await http.request(Route("GET", "/gateway"))
    finally:
        await http.close()
        await runner.cleanup()

    assert answer == {"url": "wss://gateway.example"}  # disnake still read the 429's body
    assert time.now == pytest.approx(1000.05)  # disnake's retry waited the body's retry_after
    metrics = pacer.metrics()
    assert (metrics.requests_sent, metrics.rate_limited, metrics.invalid_10m) == (
        3,
        {"global": 1},
        {429: 1},
    )
