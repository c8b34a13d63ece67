"""`python bot.py demo`: the real bot against the Discord emulator and provider stand-ins."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys

INTRO = """\
Stockroom demo: the real bot, a local stand-in for Discord, Stripe and Midtrans, all on
127.0.0.1, a demo catalog in rupiah and a temporary database (your data/ is not touched).
No token, no provider account. The people: ada (shop admin), alice and bob (customers).
"""


def main(*, exit_after: bool) -> int:
    """Plays the journey; with exit_after, exits 0 only when every step succeeded."""
    level = os.environ.get("LOG_LEVEL", "WARNING").strip().upper() or "WARNING"
    logging.basicConfig(
        level=getattr(logging, level, logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    import event_loop

    return event_loop.run(_run(exit_after))


async def _run(exit_after: bool) -> int:
    from demo.journey import STEPS, play
    from demo.poke import curl_lines, watch
    from demo.show import Screen
    from demo.world import start_world

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(INTRO, flush=True)
    try:
        # In this task, not a child: the database context it opens is inherited by the steps.
        world = await start_world()
    except Exception as exc:
        print(f"demo: could not start: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    try:
        screen = Screen(world.emulator.world)
        print(f"The bot is up; its webhook port is {world.webhook_base}", flush=True)
        played = await _until_stopped(play(world, screen), stop)
        if played is None and stop.is_set():
            print("\ninterrupted", flush=True)
            return 0 if not exit_after else 1
        if played:
            print(f"\ndemo FAILED at step: {played}", flush=True)
            return 1
        print(f"\nEvery step succeeded ({len(STEPS)} steps).", flush=True)
        if exit_after:
            return 0
        print("\nThe bot keeps running. Try it (Ctrl+C to stop):\n", flush=True)
        print(curl_lines(world), flush=True)
        watcher = asyncio.create_task(watch(world, screen, stop))
        await _until_stopped(world.bot.wait_closed(), stop)
        by_signal = stop.is_set()
        stop.set()
        await watcher
        if not by_signal:
            print("\nthe bot stopped by itself (see the log above)", file=sys.stderr)
            return 1
        print("\nStopped; the demo's temporary database is removed.", flush=True)
        return 0
    finally:
        await world.close()


async def _until_stopped(work, stop: asyncio.Event):  # type: ignore[no-untyped-def]
    """`work`'s result, or None once SIGINT/SIGTERM set `stop` first (work is cancelled)."""
    task = asyncio.ensure_future(work)
    stopped = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return None
