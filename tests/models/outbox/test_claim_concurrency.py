"""Many workers, one queue (in one process and in two on PostgreSQL): no job runs twice."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from models.base import JobKind, JobStatus
from models.outbox.actions import claim, complete, enqueue
from models.outbox.tables import Job
from tests.conftest import postgres_url

ROOT = Path(__file__).resolve().parents[3]


async def test_workers_in_one_process_never_share_a_job(db) -> None:
    for i in range(60):
        await enqueue(JobKind.POST_FEED, {"order_id": i, "order_event_id": i, "kind": "pending"})
    seen: list[int] = []

    async def worker(name: str) -> None:
        while jobs := await claim(name, limit=3):
            for job in jobs:
                seen.append(job.id)
                assert await complete(job.id, name)

    await asyncio.gather(*(worker(f"w{i}") for i in range(6)))
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 60
    assert await Job.filter(status=JobStatus.DONE).count() == 60


WORKER_SCRIPT = """
import asyncio, json, sys
sys.path.insert(0, {root!r})
from models.database import open_database, close_database
from models.outbox.actions import claim, complete

async def main():
    await open_database({url!r}, migrate=False)
    done = []
    try:
        while True:
            jobs = await claim({name!r}, limit=2)
            if not jobs:
                break
            for job in jobs:
                done.append(job.id)
                await asyncio.sleep(0)
                assert await complete(job.id, {name!r})
    finally:
        await close_database()
    print(json.dumps(done))

asyncio.run(main())
"""


@pytest.mark.postgres
async def test_two_worker_processes_on_postgres_never_claim_a_job_twice(tmp_path) -> None:
    from models.database import close_database, open_database
    from tests.conftest import _reset_postgres

    url = postgres_url()
    await open_database(url)
    try:
        await _reset_postgres()
        for i in range(400):
            await enqueue(JobKind.NOTIFY_ADMIN, {"title": "t", "message": str(i)})
    finally:
        await close_database()
    procs = []
    for name in ("proc-a", "proc-b"):
        script = tmp_path / f"{name}.py"
        script.write_text(WORKER_SCRIPT.format(root=str(ROOT), url=url, name=name))
        procs.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                str(script),
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        )
    outputs = []
    for proc in procs:
        out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
        assert proc.returncode == 0, err.decode()
        outputs.append(json.loads(out.decode().strip().splitlines()[-1]))
    claimed = outputs[0] + outputs[1]
    assert len(claimed) == 400 and len(set(claimed)) == 400
    assert outputs[0] and outputs[1], "both processes should have taken part"
    await open_database(url)
    try:
        assert await Job.filter(status=JobStatus.DONE).count() == 400
    finally:
        await close_database()
