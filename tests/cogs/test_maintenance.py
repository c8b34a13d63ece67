"""The expiry sweep runs in the process that leads it, and moves when that one stops."""

from __future__ import annotations

import asyncio

import pytest

from cogs.leader import Leadership
from cogs.maintenance import Maintenance
from tests.conftest import postgres_url


class _Bot:
    """What the cog uses of the bot: its cogs by name and the close hooks."""

    def __init__(self, leadership: Leadership) -> None:
        self.leadership = leadership
        self.closers: list = []

    def get_cog(self, name: str):
        return self.leadership if name == "Leadership" else None

    def on_close(self, closer) -> None:
        self.closers.append(closer)


class _CountingSweep(Maintenance):
    def __init__(self, bot: _Bot) -> None:
        super().__init__(bot, interval=0.02)  # type: ignore[arg-type]
        self.sweeps = 0

    async def sweep(self) -> list[int]:
        self.sweeps += 1
        return []


async def _run_both(first: _CountingSweep, second: _CountingSweep, seconds: float) -> None:
    await first.cog_load()
    await second.cog_load()
    await asyncio.sleep(seconds)


async def test_on_sqlite_the_one_process_sweeps(tmp_path) -> None:
    alone = _CountingSweep(_Bot(Leadership(f"sqlite://{tmp_path}/x.sqlite3")))
    await alone.cog_load()
    try:
        await asyncio.sleep(0.2)
    finally:
        await alone.stop()
    assert alone.sweeps >= 3


@pytest.mark.postgres
async def test_two_processes_one_sweeper_and_the_sweep_moves_when_it_stops() -> None:
    leaders = [Leadership(postgres_url()), Leadership(postgres_url())]
    first, second = (_CountingSweep(_Bot(leader)) for leader in leaders)
    try:
        await _run_both(first, second, 0.4)
        assert sorted([first.sweeps > 0, second.sweeps > 0]) == [False, True]
        sweeping, waiting = (first, second) if first.sweeps else (second, first)
        assert waiting.sweeps == 0

        # The sweeping process stops: its lock goes with its session; the other takes over.
        await sweeping.stop()
        await sweeping.bot.leadership.close()
        before = waiting.sweeps
        await asyncio.sleep(0.3)
        assert waiting.sweeps > before
    finally:
        await first.stop()
        await second.stop()
        for leader in leaders:
            await leader.close()
