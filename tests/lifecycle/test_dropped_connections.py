"""A dropped PostgreSQL connection never wedges a long-lived task: the next transaction works."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

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
