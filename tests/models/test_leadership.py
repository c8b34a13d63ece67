"""Starting processes take turns: the start lock serialises migrations and catalog sync."""

from __future__ import annotations

import asyncio

import pytest

from models.database_checks import DatabaseUnusable
from models.leadership import lock_key, one_start_at_a_time
from tests.conftest import postgres_url


def test_lock_keys_are_stable_31_bit_numbers() -> None:
    assert lock_key("expiry-sweep") == lock_key("expiry-sweep")
    assert lock_key("expiry-sweep") != lock_key("role-reconciliation")
    assert all(0 <= lock_key(name) < 2**31 for name in ("a", "start", "x" * 300))


async def test_on_sqlite_nothing_is_waited_for(tmp_path) -> None:
    async with one_start_at_a_time(f"sqlite://{tmp_path}/x.sqlite3"):
        async with one_start_at_a_time(f"sqlite://{tmp_path}/x.sqlite3"):
            pass


@pytest.mark.postgres
async def test_two_starts_take_turns() -> None:
    url = postgres_url()
    order: list[str] = []
    first_inside = asyncio.Event()

    async def start(name: str, hold: float) -> None:
        async with one_start_at_a_time(url):
            order.append(f"{name} in")
            first_inside.set()
            await asyncio.sleep(hold)
            order.append(f"{name} out")

    first = asyncio.create_task(start("first", 0.3))
    await first_inside.wait()
    await asyncio.gather(first, start("second", 0))
    assert order == ["first in", "first out", "second in", "second out"]


@pytest.mark.postgres
async def test_a_start_stuck_past_the_wait_is_one_line() -> None:
    url = postgres_url()
    async with one_start_at_a_time(url):
        with pytest.raises(DatabaseUnusable, match="another Stockroom process has been starting"):
            async with one_start_at_a_time(url, within=0.3):
                pass
    async with one_start_at_a_time(url, within=1):  # freed when the first left
        pass
