"""A progress line in /admin addstock's ephemeral reply while a large file imports.

The import calls `progress(done, total)` after each batch (models.stock.actions); this edits
the deferred reply with "done / total" at most once every `interval` seconds, and never
while an earlier edit is still in flight, so a 20,000-code file costs a handful of requests
to the interaction's webhook route (Discord limits it like any other route).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

Edit = Callable[[str], Awaitable[object]]  # edits the reply's content


def progress_text(product_key: str, done: int, total: int) -> str:
    percent = done * 100 // total if total else 100
    return f"Adding codes to **{product_key}**… {done:,} / {total:,} codes checked ({percent} %)"


@dataclass
class ImportProgressSettings:
    """When /admin addstock shows progress; a test shortens both."""

    from_codes: int = 5_000  # smaller imports finish before a progress line helps
    interval: float = 2.0  # seconds between edits, at least
    clock: Callable[[], float] = time.monotonic


@dataclass
class ProgressEdits:
    """The `progress` callback of an import: throttled edits of the deferred reply."""

    product_key: str
    edit: Edit
    settings: ImportProgressSettings
    edits: int = 0
    _last: float = field(init=False)
    _pending: asyncio.Future[object] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        # The defer that opened the reply counts as the first request of the interval.
        self._last = self.settings.clock()

    def __call__(self, done: int, total: int) -> None:
        if done >= total:
            return  # the result replaces the progress line right after
        if self._pending is not None and not self._pending.done():
            return
        now = self.settings.clock()
        if now - self._last < self.settings.interval:
            return
        self._last = now
        self.edits += 1
        self._pending = asyncio.ensure_future(
            self.edit(progress_text(self.product_key, done, total))
        )
        self._pending.add_done_callback(_log_failure)

    async def settle(self) -> None:
        """Waits for an edit in flight, so the final answer is the last edit Discord sees."""
        if self._pending is not None:
            with contextlib.suppress(Exception):
                await self._pending


def _log_failure(future: asyncio.Future[object]) -> None:
    if not future.cancelled() and (error := future.exception()) is not None:
        # A lost progress line is cosmetic; the import goes on and its result is still sent.
        log.warning("could not show /admin addstock progress: %s", error)
