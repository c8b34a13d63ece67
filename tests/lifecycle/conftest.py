"""Lifecycle fixtures: the real `python bot.py` as a subprocess, pointed at the Discord emulator."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import asyncpg
import pytest
from cryptography.fernet import Fernet

from demo.emulator.bot_start import emulator_environment, free_port
from demo.emulator.server import DiscordEmulator
from settings import ROOT
from tests.conftest import postgres_url
from webhooks.generic import sign_generic

GENERIC_SECRET = "lifecycle-generic-secret"
START_TIMEOUT = 40.0  # a cold interpreter on a busy 2-core machine
STOP_TIMEOUT = 10.0  # what the product promises after SIGTERM, SIGINT or a fatal gateway error


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "lifecycle: runs `python bot.py` as a subprocess")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/lifecycle/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.lifecycle)


@dataclass
class BotProcess:
    """One `python bot.py` at a time, restartable on the same port, database and log file."""

    env: dict[str, str]
    log_path: Path
    port: int
    process: asyncio.subprocess.Process | None = None
    starts: int = 0
    exits: list[tuple[int, float]] = field(default_factory=list)  # (return code, seconds)
    args: tuple[str, ...] = ()  # after bot.py, e.g. ("--role", "worker")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, *, healthy: bool = True) -> None:
        assert self.process is None or self.process.returncode is not None, "already running"
        log = self.log_path.open("ab")
        log.write(f"\n===== start {self.starts + 1} =====\n".encode())
        log.flush()
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                str(ROOT / "bot.py"),
                *self.args,
                cwd=ROOT,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        finally:
            log.close()
        self.starts += 1
        if healthy:
            await self.wait_for_health(200)

    async def wait_for_health(self, status: int, within: float = START_TIMEOUT) -> dict[str, Any]:
        """Polls GET /health until it answers `status`; fails early when the process exits."""
        deadline = time.monotonic() + within
        last: Any = None
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            while time.monotonic() < deadline:
                if self.process is not None and self.process.returncode is not None:
                    raise AssertionError(
                        f"bot.py exited with {self.process.returncode} while waiting for "
                        f"/health {status}; last answer {last}\n{self.log_tail()}"
                    )
                try:
                    async with http.get(self.base_url + "/health") as response:
                        last = (response.status, await response.json())
                        if response.status == status:
                            return last[1]
                except (aiohttp.ClientError, TimeoutError, json.JSONDecodeError) as exc:
                    last = repr(exc)
                await asyncio.sleep(0.2)
        raise AssertionError(f"/health never answered {status}: {last}\n{self.log_tail()}")

    async def wait_exit(self, within: float = STOP_TIMEOUT) -> tuple[int, float]:
        """(return code, seconds) once the process ends; killed and failed after `within`."""
        assert self.process is not None
        began = time.monotonic()
        try:
            code = await asyncio.wait_for(self.process.wait(), within)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(
                f"bot.py still running {within:.0f} s later (killed)\n{self.log_tail()}"
            ) from None
        seconds = time.monotonic() - began
        self.exits.append((code, seconds))
        text = self.log_text()
        # The safety nets in bot.py and cli.py must not be what stopped the process.
        assert "still running after shutdown" not in text, self.log_tail()
        assert "; moving on" not in text, self.log_tail()
        return code, seconds

    async def stop(self, sig: int = signal.SIGTERM, within: float = STOP_TIMEOUT) -> int:
        """Sends `sig` and returns the exit code; fails when the process outlives `within`."""
        assert self.process is not None and self.process.returncode is None
        self.process.send_signal(sig)
        code, _ = await self.wait_exit(within)
        return code

    async def kill(self) -> None:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


def bot_environment(
    emulator: DiscordEmulator, database_url: str, tmp_path: Path, extra: Mapping[str, str]
) -> dict[str, str]:
    """The subprocess's environment: the emulator's ids, and the secrets in a temp .env file."""
    env = emulator_environment(emulator, database_url)
    secrets = {
        "DISCORD_APP_TOKEN": env.pop("DISCORD_APP_TOKEN"),
        "STOCK_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "GENERIC_WEBHOOK_SECRET": GENERIC_SECRET,
    }
    env.pop("STOCK_ENCRYPTION_KEYS")
    env_file = tmp_path / "lifecycle.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in secrets.items()), encoding="utf-8")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "STOCKROOM_ENV_FILE": str(env_file),
        "STOCKROOM_CONFIG": str(ROOT / "config.toml"),
        **env,
        **extra,
    }


@pytest.fixture
async def emulator(discord_emulator: DiscordEmulator) -> DiscordEmulator:
    """The emulator with Discord's rate limits lifted: these tests are about durability."""
    discord_emulator.faults.global_limit = 100_000
    discord_emulator.faults.route_limit = (100_000, 1.0)
    return discord_emulator


@pytest.fixture
async def make_bot(emulator: DiscordEmulator, tmp_path: Path) -> AsyncIterator[Any]:
    """`make_bot(database_url=None, env={}, args=())` → a BotProcess (not started); killed at
    teardown."""
    made: list[BotProcess] = []

    def make(
        database_url: str | None = None,
        env: Mapping[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> BotProcess:
        url = database_url or f"sqlite://{tmp_path / 'stockroom.sqlite3'}"
        environ = bot_environment(emulator, url, tmp_path, env or {})
        environ["WEBHOOK_PORT"] = str(free_port())
        log_path = tmp_path / f"bot-{len(made)}.log"
        bot = BotProcess(environ, log_path, int(environ["WEBHOOK_PORT"]), args=args)
        made.append(bot)
        return bot

    try:
        yield make
    finally:
        for bot in made:
            if bot.process is not None and bot.process.returncode is None:
                await bot.kill()


async def add_stock(bot: BotProcess, product: str, codes: list[str], tmp_path: Path) -> str:
    """Runs `python bot.py stock add` (the shell path an owner uses); returns its output."""
    file = tmp_path / f"codes-{product}.txt"
    file.write_text("\n".join(codes) + "\n", encoding="utf-8")
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "stock",
        "add",
        product,
        str(file),
        cwd=ROOT,
        env=bot.env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(child.communicate(), 60)
    assert child.returncode == 0, out.decode()
    return out.decode()


def paid_order(order_id: str, buyer: int, product: str = "game-key") -> str:
    """A generic-webhook body for one paid order of one unit."""
    return json.dumps(
        {
            "event_id": f"evt-{order_id}",
            "order_id": order_id,
            "status": "paid",
            "discord_user_id": str(buyer),
            "product": product,
            "quantity": 1,
            "amount": 500,
            "currency": "USD",
        }
    )


async def post_webhook(
    http: aiohttp.ClientSession, bot: BotProcess, body: str
) -> tuple[int, dict[str, Any] | None]:
    """One signed POST /webhooks/generic; (status, JSON) or (0, None) when nothing answered."""
    headers = {"X-Signature": sign_generic(body, GENERIC_SECRET)}
    try:
        async with http.post(
            bot.base_url + "/webhooks/generic", data=body, headers=headers
        ) as response:
            try:
                payload = await response.json()
            except (aiohttp.ContentTypeError, json.JSONDecodeError):
                payload = None
            return response.status, payload
    except (aiohttp.ClientError, TimeoutError):
        return 0, None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path=f"/{name}").geturl()


async def _admin(url: str, *statements: str) -> None:
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1), timeout=10)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture
async def scratch_postgres() -> AsyncIterator[str]:
    """A fresh database beside TEST_DATABASE_URL's (created and dropped here); yields its URL."""
    base = postgres_url()
    name = f"{urlsplit(base).path.lstrip('/')}_{secrets.token_hex(4)}"
    await _admin(base, f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(base, name)
    finally:
        await _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def terminate_backends(database_url: str) -> None:
    """pg_terminate_backend() for every other session on the database, as an operator would."""
    name = urlsplit(database_url).path.lstrip("/")
    await _admin(
        _with_database(database_url, "postgres"),
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
    )


def terminate_backends_blocking(database_url: str) -> None:
    """terminate_backends() from another thread while this event loop is blocked, so no
    client socket here has noticed yet when the loop runs again (a dead pooled connection)."""
    worker = threading.Thread(target=asyncio.run, args=(terminate_backends(database_url),))
    worker.start()
    worker.join(30)
    time.sleep(0.3)  # the server's FATAL notice and FIN reach our sockets unread


async def allow_connections(database_url: str, allowed: bool) -> None:
    """ALTER DATABASE … ALLOW_CONNECTIONS: false (and every session ended) is a database that
    went away, as in a failover; true brings it back."""
    name = urlsplit(database_url).path.lstrip("/")
    await _admin(
        _with_database(database_url, "postgres"),
        f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"true" if allowed else "false"}',
    )
    if not allowed:
        await terminate_backends(database_url)
