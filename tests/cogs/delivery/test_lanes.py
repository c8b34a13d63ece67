"""The worker's job lanes without Discord: order within a lane, lanes side by side, and a
stop or a cancel that hands back every job not finished before it returns."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from cogs.delivery.lanes import JobLanes


def job(job_id: int, lane: str) -> SimpleNamespace:
    return SimpleNamespace(id=job_id, lane=lane)


class Recorder:
    def __init__(self, hold: float = 0.0) -> None:
        self.hold = hold
        self.started: list[int] = []
        self.finished: list[int] = []
        self.handed_back: list[int] = []
        self.gate = asyncio.Event()

    async def run(self, job: SimpleNamespace) -> None:
        self.started.append(job.id)
        try:
            await self.gate.wait()
        except asyncio.CancelledError:
            await asyncio.sleep(0.02 * job.id)  # it hands itself back (a database write)
            self.handed_back.append(job.id)
            raise
        self.finished.append(job.id)

    async def release(self, jobs: list[SimpleNamespace]) -> None:
        await asyncio.sleep(0.01)
        self.handed_back.extend(j.id for j in jobs)


def lanes_for(recorder: Recorder) -> JobLanes:
    return JobLanes(recorder.run, recorder.release, lambda j: j.lane)  # type: ignore[arg-type]


async def test_a_lanes_jobs_run_in_turn_and_lanes_side_by_side() -> None:
    recorder = Recorder()
    lanes = lanes_for(recorder)
    lanes.add([job(1, "a"), job(2, "b"), job(3, "a")])
    await asyncio.sleep(0.01)
    assert recorder.started == [1, 2] and lanes.held == 3
    lanes.add([job(4, "a"), job(5, "c")])  # claimed later: 4 joins a's queue
    await asyncio.sleep(0.01)
    assert recorder.started == [1, 2, 5]
    recorder.gate.set()
    await lanes.drain()
    assert recorder.finished.index(1) < recorder.finished.index(3) < recorder.finished.index(4)
    assert sorted(recorder.finished) == [1, 2, 3, 4, 5] and lanes.held == 0


async def test_a_stop_lets_running_jobs_finish_and_hands_back_the_queued() -> None:
    recorder = Recorder()
    lanes = lanes_for(recorder)
    lanes.add([job(1, "a"), job(2, "a"), job(3, "b")])
    await asyncio.sleep(0.01)
    lanes.stop()
    recorder.gate.set()
    await lanes.drain()
    assert sorted(recorder.finished) == [1, 3]
    assert recorder.handed_back == [2]


async def test_a_cancelled_drain_returns_only_once_every_lane_handed_back_its_jobs() -> None:
    recorder = Recorder()
    lanes = lanes_for(recorder)
    lanes.add([job(n, f"lane-{n % 4}") for n in range(1, 13)])  # 4 running, 8 queued
    drain = asyncio.create_task(lanes.drain())
    await asyncio.sleep(0.01)
    drain.cancel()
    try:
        await drain
    except asyncio.CancelledError:
        pass
    # Nothing is left leased to a worker that goes away: every job was handed back by now.
    assert sorted(recorder.handed_back) == list(range(1, 13))
    assert recorder.finished == [] and lanes.held == 0
