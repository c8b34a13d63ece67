"""A dropped PostgreSQL connection never wedges a long-lived task: the next transaction works."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
from tortoise import Tortoise

from models.base import JobKind
from models.database import close_database, open_database
from models.outbox.actions import claim, enqueue
from models.outbox.tables import Job
from tests.lifecycle.conftest import terminate_backends_blocking

pytestmark = pytest.mark.postgres


@pytest.fixture
async def scratch_db(scratch_postgres: str) -> AsyncIterator[str]:
    await open_database(scratch_postgres)
    try:
        yield scratch_postgres
    finally:
        await close_database()


async def test_a_failed_begin_does_not_leave_the_task_on_a_dead_connection(scratch_db) -> None:
    await enqueue(JobKind.NOTIFY_ADMIN, {"title": "t", "message": "m"})
    assert await claim("warm-up", limit=0) == []  # the pool holds a connection now
    terminate_backends_blocking(scratch_db)
    # This task's next transaction gets the dead pooled connection: its BEGIN fails.
    with pytest.raises(Exception):  # noqa: B017 - asyncpg's or Tortoise's, either is right
        await claim("worker", limit=1)
    await asyncio.sleep(0.2)
    # The same task (same context) carries on: a worker loop must not need a restart.
    jobs = await claim("worker", limit=1)
    assert [job.kind for job in jobs] == [JobKind.NOTIFY_ADMIN]
    assert await Job.filter(lease_owner="worker").count() == 1


async def test_a_connection_lost_while_it_is_handed_back_does_not_wedge_the_task(
    scratch_db,
) -> None:
    """The server ends the connection just as the transaction hands it back to the pool:
    asyncpg's release (its RESET) raises. Tortoise unbinds the task's transaction only after
    that release, so the task kept the dead connection for every later query, for ever
    (seen in the database-outage test: "could not claim jobs ... connection has been
    released back to the pool", 13 times in a row until the test gave up)."""
    await enqueue(JobKind.NOTIFY_ADMIN, {"title": "t", "message": "m"})
    pool = Tortoise.get_connection("default")._pool
    failures = 0

    async def reset_fails(connection) -> None:
        nonlocal failures
        if failures < 12:  # more than the pool holds: no slot may be lost either
            failures += 1
            raise asyncpg.exceptions.AdminShutdownError(
                "terminating connection due to administrator command"
            )

    pool._reset = reset_fails
    for _ in range(12):  # the transaction itself was settled: its outcome is what counts
        assert await asyncio.wait_for(claim("worker", limit=0), 5) == []
    # The same task (same context) carries on: a worker loop must not need a restart.
    jobs = await asyncio.wait_for(claim("worker", limit=1), 5)
    assert [job.kind for job in jobs] == [JobKind.NOTIFY_ADMIN]
    assert await Job.filter(lease_owner="worker").count() == 1
    assert failures == 12
