"""After the last waiting request is answered, the writer is quiet only once a grace passes.

Senders posting back to back send their next request right after each answer; the inbox
worker must not take the database for a row in that gap (webhooks.inbox_writer).
"""

from __future__ import annotations

import asyncio
import time

from models.inbox.batch_store import NewEvent
from webhooks.inbox_writer import InboxWriter


async def test_quiet_comes_a_grace_after_the_last_answer(db) -> None:
    writer = InboxWriter()
    writer.quiet_grace = 0.2
    await writer.store(NewEvent("generic", "g1", "x", "{}"))
    began = time.monotonic()
    await asyncio.wait_for(writer.quiet(at_most=5), 5)
    assert time.monotonic() - began >= 0.15


async def test_a_request_within_the_grace_keeps_the_worker_waiting(db) -> None:
    writer = InboxWriter()
    writer.quiet_grace = 0.2
    await writer.store(NewEvent("generic", "g1", "x", "{}"))
    quiet = asyncio.ensure_future(writer.quiet(at_most=5))
    await asyncio.sleep(0.1)
    began = time.monotonic()
    await writer.store(NewEvent("generic", "g2", "x", "{}"))  # the next one, within the grace
    await asyncio.sleep(0.15)  # past the first grace's end: still not quiet
    assert not quiet.done()
    await asyncio.wait_for(quiet, 5)
    assert time.monotonic() - began >= 0.15


async def test_quiet_is_still_bounded_by_at_most(db) -> None:
    writer = InboxWriter()
    writer.quiet_grace = 30
    await writer.store(NewEvent("generic", "g1", "x", "{}"))
    await asyncio.wait_for(writer.quiet(at_most=0.05), 1)
