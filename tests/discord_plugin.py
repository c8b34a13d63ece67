"""Pytest fixtures: a running Discord emulator, and the real Stockroom bot started against it."""

from __future__ import annotations

import asyncio
import gc
import shutil
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from demo.emulator.bot_start import emulator_environment, until_ready
from demo.emulator.openapi import OpenAPISpec
from demo.emulator.server import DiscordEmulator

READY_TIMEOUT = 10.0
# Invalid requests (401, 403, 429 but scope shared) a test may cause unless it declares more
# with @pytest.mark.invalid_requests(n): Discord bans an IP at 10,000 in 10 minutes.
INVALID_REQUEST_BUDGET = 0
_START_TIMES = pytest.StashKey[list[float]]()


@dataclass
class RunningBot:
    """A started bot with the settings it was built from and how long it took to be ready."""

    bot: Any  # bot.Stockroom; imported lazily so the plugin loads without the bot's deps
    settings: Any
    emulator: DiscordEmulator
    startup_seconds: float


StartBot = Callable[..., Awaitable[RunningBot]]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "invalid_requests(budget): how many 401/403/429 answers the test's scenario may cause "
        f"in the Discord emulator (default {INVALID_REQUEST_BUDGET})",
    )


def invalid_request_budget(node: pytest.Item) -> int:
    marker = node.get_closest_marker("invalid_requests")
    if marker is None:
        return INVALID_REQUEST_BUDGET
    (budget,) = marker.args
    return int(budget)


def check_invalid_requests(emulator: DiscordEmulator, budget: int) -> None:
    """Fails when the scenario caused more invalid requests than it declared."""
    found = emulator.invalid_requests
    if len(found) <= budget:
        return
    lines = "\n".join(f"  - {r.method} {r.template or r.path} -> {r.status}" for r in found[:20])
    raise AssertionError(
        f"{len(found)} invalid request(s) (401/403/429) against a budget of {budget}; Discord "
        "bans at 10,000 per 10 minutes. Declare injected ones with "
        f"@pytest.mark.invalid_requests(n):\n{lines}"
    )


@pytest.fixture(scope="session")
def discord_openapi() -> OpenAPISpec | None:
    """Discord's OpenAPI description from ../shared/data, or None (validation skipped)."""
    return OpenAPISpec.load()


@pytest.fixture
async def discord_emulator(
    request: pytest.FixtureRequest, discord_openapi: OpenAPISpec | None
) -> AsyncIterator[DiscordEmulator]:
    """A started emulator; the test fails at teardown on a problem or too many invalid requests."""
    emulator = DiscordEmulator(spec=discord_openapi)
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()
    emulator.assert_clean()
    check_invalid_requests(emulator, invalid_request_budget(request.node))


@pytest.fixture
def bot_env() -> dict[str, str]:
    """Extra environment for the bot (provider secrets, ...); override in a conftest."""
    return {}


@pytest.fixture
def bot_config_path() -> Path | None:
    """The config.toml the bot reads; None means the repository's own. Override to change."""
    return None


@pytest.fixture
async def start_bot(
    request: pytest.FixtureRequest,
    discord_emulator: DiscordEmulator,
    tmp_path: Path,
    sqlite_template: Path,
    bot_env: dict[str, str],
    bot_config_path: Path | None,
) -> AsyncIterator[StartBot]:
    """`await start_bot(env=..., config_path=..., prepare=..., **bot_options)` runs bot.launch().

    `prepare(bot)` may add test-only commands or listeners before the bot connects. It returns
    once on_ready has fired, the guild is available and the commands are synced; every bot it
    started is closed at teardown.
    """
    from bot import launch
    from settings import DEFAULT_CONFIG, load_settings

    started: list[Any] = []
    # A task of the bot that died with an exception nobody handled (asyncio reports it
    # when the task is collected): a click or event the bot mishandled, though the test's
    # own checks may pass. Fails the test at teardown.
    loop = asyncio.get_running_loop()
    unhandled: list[str] = []
    previous_handler = loop.get_exception_handler()

    def record(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("exception") is not None:
            unhandled.append(f"{context.get('future')!r}: {context['exception']!r}")
        if previous_handler is not None:
            previous_handler(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(record)

    async def start(
        *,
        env: Mapping[str, str] | None = None,
        config_path: Path | None = None,
        prepare: Callable[[Any], None] | None = None,
        **bot_options: Any,
    ) -> RunningBot:
        database = tmp_path / f"stockroom-{len(started)}.sqlite3"
        shutil.copy(sqlite_template, database)
        environ = {
            **emulator_environment(discord_emulator, f"sqlite://{database}"),
            **bot_env,
            **(env or {}),
        }
        settings = load_settings(
            environ=environ, config_path=config_path or bot_config_path or DEFAULT_CONFIG
        )
        options = {"guild_ready_timeout": 0.02, **bot_options}
        began = time.perf_counter()
        running = await launch(settings, **options)
        started.append(running)
        discord_emulator.follow(running)
        if prepare is not None:
            # launch() returns before the gateway task first runs: commands and listeners
            # added here are part of the first command sync.
            prepare(running)
        await until_ready(running, discord_emulator, READY_TIMEOUT)
        seconds = time.perf_counter() - began
        request.config.stash.setdefault(_START_TIMES, []).append(seconds)
        return RunningBot(running, settings, discord_emulator, seconds)

    try:
        yield start
        gc.collect()  # tasks that died unobserved are reported when collected
        await asyncio.sleep(0)
        while_running = list(unhandled)  # not what closing the bot cuts short
    finally:
        for running in reversed(started):
            await running.close()
        loop.set_exception_handler(previous_handler)
    assert not while_running, "the bot left exceptions unhandled:\n" + "\n".join(while_running[:10])


@pytest.fixture
async def stockroom(start_bot: StartBot) -> RunningBot:
    """The real bot, started with `bot_env` and `bot_config_path`, ready against the emulator."""
    return await start_bot()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    times = config.stash.get(_START_TIMES, [])
    if times:
        terminalreporter.write_line(
            f"Stockroom start against the Discord emulator: {len(times)} starts, "
            f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
        )
