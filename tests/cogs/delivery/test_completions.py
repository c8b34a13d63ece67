"""Jobs that finish together are recorded done in one write, each told whether its lease held."""

from __future__ import annotations

import asyncio

import pytest

from cogs.delivery.completions import Completions


class Writes:
    """A stand-in for complete_each: records each write; jobs in `lost` lost their lease."""

    def __init__(self, lost: set[int] = frozenset(), fail_first: int = 0) -> None:  # type: ignore[assignment]
        self.batches: list[list[int]] = []
        self.lost = set(lost)
        self.fail_first = fail_first

    async def __call__(self, job_ids: list[int], worker_id: str) -> set[int]:
        assert worker_id == "w"
        self.batches.append(list(job_ids))
        await asyncio.sleep(0.01)  # a statement takes a while
        if len(self.batches) <= self.fail_first:
            raise ConnectionError("database away")
        return set(job_ids) - self.lost


async def test_jobs_finishing_together_share_one_write_and_each_learns_its_lease() -> None:
    writes = Writes(lost={3})
    completions = Completions("w", writes)
    results = await asyncio.gather(*(completions.complete(n) for n in range(1, 6)))
    assert results == [True, True, False, True, True]
    assert writes.batches == [[1, 2, 3, 4, 5]] and completions.statements == 1


async def test_jobs_finishing_during_a_write_go_into_the_next_one() -> None:
    writes = Writes()
    completions = Completions("w", writes)
    first = asyncio.create_task(completions.complete(1))
    await asyncio.sleep(0.005)  # the first write is under way
    later = await asyncio.gather(completions.complete(2), completions.complete(3))
    assert await first is True and later == [True, True]
    assert writes.batches == [[1], [2, 3]]
    # Idle again: the next completion starts a write of its own.
    assert await completions.complete(4) is True
    assert writes.batches[-1] == [4]


async def test_a_failed_write_fails_each_of_its_jobs_and_a_retry_writes_again() -> None:
    writes = Writes(fail_first=1)
    completions = Completions("w", writes)
    outcomes = await asyncio.gather(
        completions.complete(1), completions.complete(2), return_exceptions=True
    )
    assert [type(o) for o in outcomes] == [ConnectionError, ConnectionError]
    assert await completions.complete(1) is True
    assert writes.batches == [[1, 2], [1]]


async def test_a_writer_cancelled_mid_write_leaves_nobody_waiting() -> None:
    writes = Writes()
    completions = Completions("w", writes)
    waiting = asyncio.create_task(completions.complete(1))
    await asyncio.sleep(0.005)
    assert completions._writer is not None
    completions._writer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert await completions.complete(2) is True  # a new writer for the next one
