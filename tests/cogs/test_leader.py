"""Leader election: one process leads each duty; the lock moves when its holder's session dies."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from cogs.leader import EXPIRY_SWEEP, ROLE_RECONCILIATION, Leadership
from tests.conftest import postgres_url


async def _admin() -> asyncpg.Connection:
    return await asyncpg.connect(postgres_url().replace("postgres://", "postgresql://", 1))


async def _wait_gone(admin: asyncpg.Connection, pid: int) -> None:
    """Returns once the backend `pid` has exited (it does so a moment after its signal)."""
    query = "SELECT count(*) FROM pg_stat_activity WHERE pid = $1"
    for _ in range(100):
        if not await admin.fetchval(query, pid):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"backend {pid} still there")


async def _terminate(pid: int) -> None:
    """pg_terminate_backend(pid), as when the server or a network fault ends a session."""
    admin = await _admin()
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        await _wait_gone(admin, pid)
    finally:
        await admin.close()


def _session_pid(contender: Leadership) -> int:
    connection = contender.locks._connection
    assert connection is not None
    return connection.get_server_pid()


async def test_on_sqlite_the_one_process_always_leads(tmp_path) -> None:
    alone = Leadership(f"sqlite://{tmp_path}/stockroom.sqlite3")
    assert await alone.leads(EXPIRY_SWEEP) and await alone.leads(ROLE_RECONCILIATION)
    await alone.close()


@pytest.mark.postgres
async def test_two_contenders_one_leader_and_the_lock_moves_when_it_closes() -> None:
    first, second = Leadership(postgres_url()), Leadership(postgres_url())
    try:
        assert await first.leads(EXPIRY_SWEEP)
        assert not await second.leads(EXPIRY_SWEEP)
        assert await first.leads(EXPIRY_SWEEP)  # asked again, it still leads
        assert not await second.leads(EXPIRY_SWEEP)
        # Duties are elected apart: the second may lead another one.
        assert await second.leads(ROLE_RECONCILIATION)
        assert not await first.leads(ROLE_RECONCILIATION)

        await first.close()  # a graceful stop frees its locks at once
        assert await second.leads(EXPIRY_SWEEP)
        assert second.held == {EXPIRY_SWEEP, ROLE_RECONCILIATION}
    finally:
        await first.close()
        await second.close()


@pytest.mark.postgres
async def test_a_leader_whose_session_dies_stops_leading_and_another_takes_over() -> None:
    leader, standby = Leadership(postgres_url()), Leadership(postgres_url())
    try:
        assert await leader.leads(EXPIRY_SWEEP)
        assert not await standby.leads(EXPIRY_SWEEP)
        await _terminate(_session_pid(leader))  # the leader's session ends (its process died)
        assert await standby.leads(EXPIRY_SWEEP)  # the freed lock moves on the next ask
        assert not await leader.leads(EXPIRY_SWEEP)  # the old leader knows it lost
        assert leader.held == frozenset()
        assert not await leader.leads(EXPIRY_SWEEP)  # reconnected, it finds the lock taken
    finally:
        await leader.close()
        await standby.close()


@pytest.mark.postgres
async def test_the_leaders_connection_closed_hands_the_duty_over() -> None:
    leader, standby = Leadership(postgres_url()), Leadership(postgres_url())
    try:
        assert await leader.leads(EXPIRY_SWEEP)
        assert not await standby.leads(EXPIRY_SWEEP)
        pid = _session_pid(leader)
        leader.locks._connection.terminate()  # the socket closes, as when a process is killed
        admin = await _admin()
        try:
            await _wait_gone(admin, pid)
        finally:
            await admin.close()
        assert await standby.leads(EXPIRY_SWEEP)
        assert not await leader.leads(EXPIRY_SWEEP)
    finally:
        await leader.close()
        await standby.close()
