"""The real `python bot.py` as a subprocess against the Discord emulator, for the benches.

`running_bot` starts it on a SQLite database (its stderr log beside the database) and stops
it on leaving (terminate, then kill after 10 s); `wait_for_log` polls that log for a line;
`rss_mb` and `peak_mb` read the process's VmRSS and VmHWM. Used by bench/startup.py and
bench/memory.py.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from demo.emulator.server import DiscordEmulator
from tests.discord_plugin import emulator_environment

ROOT = Path(__file__).resolve().parent.parent
START_WITHIN = 300.0


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    log: Path
    began: float  # perf_counter() just before the process was started

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    async def wait_for_log(self, found: Callable[[str], bool], failure: str, poll: float) -> None:
        """Until `found(log)`; SystemExit(failure + the log's tail) if the bot exits first or
        has not logged it START_WITHIN seconds after its start."""
        while not found(self.log_text()):
            if self.process.returncode is not None or self.elapsed() > START_WITHIN:
                raise SystemExit(f"{failure}: {self.log.read_text()[-2000:]}")
            await asyncio.sleep(poll)

    def elapsed(self) -> float:
        return time.perf_counter() - self.began


@asynccontextmanager
async def running_bot(emulator: DiscordEmulator, database: Path) -> AsyncIterator[BotProcess]:
    """bot.py on `database` (SQLite) and the emulator; stopped when the block is left."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "STOCKROOM_ENV_FILE": str(database.parent / "no.env"),
        "LOG_LEVEL": "INFO",
        **emulator_environment(emulator, f"sqlite://{database}"),
    }
    log = database.with_suffix(".log")
    began = time.perf_counter()
    bot = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        env=env,
        cwd=database.parent,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    try:
        yield BotProcess(bot, log, began)
    finally:
        if bot.returncode is None:
            bot.terminate()
            try:
                await asyncio.wait_for(bot.wait(), timeout=10)
            except TimeoutError:
                bot.kill()
                await bot.wait()


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmRSS:")


def peak_mb(pid: int) -> float:
    return _status_mb(pid, "VmHWM:")
