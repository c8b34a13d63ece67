"""The kept DM channel ids: bounded, least recently used dropped, one open per buyer at a time."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from cogs.delivery.dm_channels import DMChannelIds, DMChannels, dm_channels


class FakeHTTP:
    """Answers start_private_message like Discord: one stable channel id per user."""

    def __init__(self, *, delay: float = 0.0, fail: Exception | None = None) -> None:
        self.asked: list[int] = []
        self.delay = delay
        self.fail = fail

    async def start_private_message(self, user_id: int) -> dict[str, Any]:
        self.asked.append(user_id)
        await asyncio.sleep(self.delay)
        if self.fail is not None:
            raise self.fail
        return {"id": str(user_id * 10), "type": 1}


class FakeBot:
    def __init__(self, http: FakeHTTP) -> None:
        self.http = http


def test_the_least_recently_used_buyer_is_dropped_beyond_capacity() -> None:
    ids = DMChannelIds(capacity=3)
    for user in (1, 2, 3):
        ids.put(user, user * 10)
    assert ids.get(1) == 10  # 1 is now the most recently used
    ids.put(4, 40)
    assert len(ids) == 3
    assert ids.get(2) is None
    assert [ids.get(u) for u in (1, 3, 4)] == [10, 30, 40]


def test_forget_only_drops_the_channel_that_was_found_unknown() -> None:
    ids = DMChannelIds()
    ids.put(1, 10)
    ids.forget(1, 99)  # a job holding an older id does not drop the reopened one
    assert ids.get(1) == 10
    ids.forget(1, 10)
    assert ids.get(1) is None


def test_a_cache_without_room_is_refused() -> None:
    with pytest.raises(ValueError, match="room for one buyer"):
        DMChannelIds(capacity=0)


async def test_a_kept_channel_is_not_opened_again() -> None:
    http = FakeHTTP()
    channels = DMChannels(FakeBot(http), capacity=2)  # type: ignore[arg-type]
    assert await channels.channel_id(7) == 70
    assert await channels.channel_id(7) == 70
    assert http.asked == [7]
    channels.forget(7, 70)
    assert await channels.channel_id(7) == 70
    assert http.asked == [7, 7]


async def test_concurrent_asks_for_one_buyer_share_one_open() -> None:
    http = FakeHTTP(delay=0.01)
    channels = DMChannels(FakeBot(http))  # type: ignore[arg-type]
    got = await asyncio.gather(*(channels.channel_id(5) for _ in range(4)), channels.channel_id(6))
    assert got == [50, 50, 50, 50, 60]
    assert sorted(http.asked) == [5, 6]
    assert channels.opened == 2


async def test_a_failed_open_reaches_every_asker_and_keeps_nothing() -> None:
    http = FakeHTTP(delay=0.01, fail=RuntimeError("Discord said no"))
    channels = DMChannels(FakeBot(http))  # type: ignore[arg-type]
    results = await asyncio.gather(
        channels.channel_id(5), channels.channel_id(5), return_exceptions=True
    )
    assert [str(r) for r in results] == ["Discord said no", "Discord said no"]
    assert len(channels.ids) == 0
    http.fail = None
    assert await channels.channel_id(5) == 50


async def test_a_cancelled_asker_does_not_cancel_the_open_another_waits_for() -> None:
    http = FakeHTTP(delay=0.05)
    channels = DMChannels(FakeBot(http))  # type: ignore[arg-type]
    first = asyncio.ensure_future(channels.channel_id(5))
    await asyncio.sleep(0)
    second = asyncio.ensure_future(channels.channel_id(5))
    await asyncio.sleep(0.01)
    first.cancel()
    assert await second == 50
    assert http.asked == [5]


def test_each_bot_has_its_own_cache() -> None:
    one, two = FakeBot(FakeHTTP()), FakeBot(FakeHTTP())
    assert dm_channels(one) is dm_channels(one)  # type: ignore[arg-type]
    assert dm_channels(one) is not dm_channels(two)  # type: ignore[arg-type]
