"""The event loop the bot and its shell commands run on: uvloop where it is installed.

uvloop (requirements.txt; not on Windows, where it does not build) runs the same asyncio
code with the loop, its transports and its selector written in C; the bot spends much of each
order in the loop and in aiohttp's transports (docs/PERFORMANCE.md). Without it the standard
loop runs the same code: nothing in the project depends on which loop it is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

try:
    import uvloop
except ImportError:  # pragma: no cover - Windows
    uvloop = None

T = TypeVar("T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop]:
    return uvloop.new_event_loop if uvloop is not None else asyncio.new_event_loop


def describe() -> str:
    """The loop's name for the start-up line: `uvloop 0.23.0` or `asyncio`."""
    return f"uvloop {uvloop.__version__}" if uvloop is not None else "asyncio"


def run(main: Coroutine[Any, Any, T]) -> T:
    """asyncio.run(main) on the project's loop."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(main)
