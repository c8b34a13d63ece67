"""A job's handler runs in the worker's lane task, under the job timeout."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from cogs.delivery import cog
from cogs.delivery.cog import DeliveryWorker
from cogs.delivery.completions import Completions
from models.base import JobKind

SEEN: dict[str, list] = {}


def a_worker() -> DeliveryWorker:
    bot = SimpleNamespace(
        role=SimpleNamespace(job_kinds=()), settings=SimpleNamespace(job_max_attempts=5)
    )
    worker = DeliveryWorker(bot)  # type: ignore[arg-type]

    async def complete_each(job_ids: list[int], worker_id: str) -> set[int]:
        SEEN["complete"].extend(job_ids)
        return set(job_ids)

    worker.completions = Completions(worker.worker_id, complete_each)
    return worker


def a_job() -> SimpleNamespace:
    return SimpleNamespace(id=7, kind=JobKind.NOTIFY_ADMIN.value, payload={"a": 1}, attempts=1)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    seen: dict[str, list] = {"complete": [], "fail": []}
    monkeypatch.setattr("tests.cogs.delivery.test_job_timeout.SEEN", seen)

    async def fail(job_id: int, worker_id: str, message: str, **kwargs: object) -> None:
        seen["fail"].append((job_id, message, kwargs["permanent"]))

    monkeypatch.setattr(cog, "fail", fail)
    return seen


async def test_the_handler_runs_in_the_job_task_and_the_job_is_done(
    monkeypatch: pytest.MonkeyPatch, recorded: dict[str, list]
) -> None:
    tasks: list[asyncio.Task | None] = []

    async def handler(bot: object, payload: dict) -> str:
        tasks.append(asyncio.current_task())
        assert payload == {"a": 1, "job_id": 7}
        return "ok"

    monkeypatch.setitem(cog.HANDLERS, JobKind.NOTIFY_ADMIN, handler)
    await a_worker()._run_job(a_job())  # type: ignore[arg-type]
    assert tasks == [asyncio.current_task()]  # no task made per job
    assert recorded == {"complete": [7], "fail": []}


async def test_a_handler_past_the_timeout_is_cancelled_and_retried(
    monkeypatch: pytest.MonkeyPatch, recorded: dict[str, list]
) -> None:
    cancelled: list[bool] = []

    async def handler(bot: object, payload: dict) -> str:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
        return "too late"

    monkeypatch.setitem(cog.HANDLERS, JobKind.NOTIFY_ADMIN, handler)
    monkeypatch.setattr(cog, "JOB_TIMEOUT_SECONDS", 0.05)
    await a_worker()._run_job(a_job())  # type: ignore[arg-type]
    assert cancelled == [True]
    assert recorded["complete"] == []
    ((job_id, message, permanent),) = recorded["fail"]
    assert (job_id, message, permanent) == (7, "Discord did not answer in time", False)


async def test_a_stopped_job_gives_its_lease_back(
    monkeypatch: pytest.MonkeyPatch, recorded: dict[str, list]
) -> None:
    started = asyncio.Event()
    released: list[int] = []

    async def handler(bot: object, payload: dict) -> str:
        started.set()
        await asyncio.sleep(10)
        return "never"

    async def release_lease(job_id: int, worker_id: str) -> bool:
        released.append(job_id)
        return True

    monkeypatch.setitem(cog.HANDLERS, JobKind.NOTIFY_ADMIN, handler)
    monkeypatch.setattr(cog, "release_lease", release_lease)
    task = asyncio.create_task(a_worker()._run_job(a_job()))  # type: ignore[arg-type]
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert released == [7] and recorded == {"complete": [], "fail": []}
