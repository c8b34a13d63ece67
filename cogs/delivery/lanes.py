"""The delivery worker's jobs in hand, run in lanes: a lane's jobs one after another, lanes
side by side.

The worker hands jobs over as it claims them and claims more while others still run (up to
cog.MAX_IN_FLIGHT in hand). Claiming a batch only once the previous one had finished left
the pacer idle at every batch's end (the last jobs of a batch waiting for the global limit,
then the claim and the outcomes written): under Discord's 50/s limit a launch day's new
buyers were served at about 15 orders/s with the limit a fifth unused. A job claimed for a
lane that is running joins its queue, so a member's role changes and an order's messages
still run in the order they were claimed.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.outbox.tables import Job

RunJob = Callable[["Job"], Awaitable[None]]
Release = Callable[[list["Job"]], Awaitable[None]]
LaneOf = Callable[["Job"], Hashable]


class JobLanes:
    """Runs each job handed over in its lane; `stop()` makes lanes hand back what they have
    not started (`release`), and `drain()` waits for every lane to end."""

    def __init__(self, run_job: RunJob, release: Release, lane_of: LaneOf) -> None:
        self._run_job = run_job
        self._release = release
        self._lane_of = lane_of
        self._lanes: dict[Hashable, deque[Job]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._freed = asyncio.Event()
        self.stopping = False

    @property
    def held(self) -> int:
        """Jobs in hand: running, or waiting in their lane."""
        return sum(len(queue) for queue in self._lanes.values())

    def add(self, jobs: Iterable[Job]) -> None:
        for job in jobs:
            lane = self._lane_of(job)
            queue = self._lanes.get(lane)
            if queue is not None:
                queue.append(job)  # its lane is running: the job waits its turn
                continue
            self._lanes[lane] = queue = deque([job])
            task = asyncio.create_task(self._run_lane(lane, queue), name=f"jobs-{lane}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def until_freed(self) -> None:
        """Returns once a job in hand ended (or on stop)."""
        self._freed.clear()
        await self._freed.wait()

    def stop(self) -> None:
        self.stopping = True
        self._freed.set()

    async def drain(self) -> None:
        """Waits for every lane; cancelled, it cancels them and still waits for each to hand
        back what it held (asyncio.gather would return at the first lane cancelled, and the
        others would hand back their jobs after the database was closed)."""
        try:
            while self._tasks:
                await asyncio.wait(set(self._tasks))
        except asyncio.CancelledError:
            for task in self._tasks:
                task.cancel()
            while self._tasks:
                await asyncio.wait(set(self._tasks))
            raise

    async def _run_lane(self, lane: Hashable, queue: deque[Job]) -> None:
        try:
            while queue:
                if self.stopping:
                    left = list(queue)
                    queue.clear()
                    await self._release(left)
                    return
                try:
                    await self._run_job(queue[0])
                except asyncio.CancelledError:
                    # The running job handed itself back; the ones behind it are handed back
                    # too, rather than left leased to a worker that is going away.
                    left = list(queue)[1:]
                    queue.clear()
                    if left:
                        await asyncio.shield(self._release(left))
                    raise
                queue.popleft()
                self._freed.set()
        finally:
            if self._lanes.get(lane) is queue:
                del self._lanes[lane]
            self._freed.set()
