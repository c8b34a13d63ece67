"""A crowd of buyers trying at once, at most C in flight: the loop of bench/purchases.py and
bench/coupons.py. Each attempt's latency is kept; a ShopError counts it as refused."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from models.errors import ShopError


@dataclass
class CrowdRun:
    elapsed: float  # seconds from the first attempt's start to the last one's end
    latencies: list[float]  # seconds, one per attempt
    refused: int  # attempts that raised ShopError


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run_crowd(
    buyers: int, concurrency: int, attempt: Callable[[int], Awaitable[object]]
) -> CrowdRun:
    """`attempt(buyer)` for buyers 0..N-1 at once, `concurrency` of them in flight."""
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    refused = 0

    async def one(buyer: int) -> None:
        nonlocal refused
        async with gate:
            began = time.perf_counter()
            try:
                await attempt(buyer)
            except ShopError:
                refused += 1
            latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(one(b) for b in range(buyers)))
    return CrowdRun(time.perf_counter() - began, latencies, refused)
