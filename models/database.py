"""Database set-up: the Tortoise configuration, pending migrations, and a read-only check."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aerich import Command
from aerich.models import Aerich
from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.exceptions import BaseORMException

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"
APP = "models"
# The clients open_database created. Tortoise keeps connections per asyncio context, so a
# close from another task's context (a signal handler, a test teardown) would otherwise
# miss them and leave SQLite's worker thread running, which keeps the process alive.
_opened: list[BaseDBAsyncClient] = []


def tortoise_config(database_url: str) -> dict[str, Any]:
    """Tortoise config for a sqlite:// or postgres:// URL; SQLite paths are relative to the repo."""
    if database_url.startswith("sqlite://"):
        path = database_url[len("sqlite://") :].split("?", 1)[0]
        if path != ":memory:" and not Path(path).is_absolute():
            path = str(ROOT / path)
        connection: Any = {
            "engine": "tortoise.backends.sqlite",
            # WAL lets readers run beside the writer; busy_timeout waits out short writes.
            "credentials": {
                "file_path": path,
                "journal_mode": "WAL",
                "busy_timeout": 10000,
            },
        }
    else:
        connection = database_url
    return {
        "connections": {"default": connection},
        "apps": {
            APP: {
                "models": ["models", "aerich.models"],
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def describe_url(database_url: str) -> str:
    """The URL without its password, for logs and reports."""
    parts = urlsplit(database_url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return database_url


def _ensure_sqlite_dir(database_url: str) -> None:
    config = tortoise_config(database_url)["connections"]["default"]
    if isinstance(config, dict) and config["credentials"]["file_path"] != ":memory:":
        Path(config["credentials"]["file_path"]).parent.mkdir(parents=True, exist_ok=True)


async def open_database(database_url: str, *, migrate: bool = True) -> list[str]:
    """Connects Tortoise and applies pending aerich migrations; returns the ones applied."""
    _ensure_sqlite_dir(database_url)
    config = tortoise_config(database_url)
    await Tortoise.init(config=config)
    _opened.append(Tortoise.get_connection("default"))
    command = Command(config, app=APP, location=str(MIGRATIONS))
    await command.init()
    applied: list[str] = []
    if migrate:
        applied = await command.upgrade(run_in_transaction=True)
        for name in applied:
            log.info("applied migration %s", name)
    return applied


async def close_database() -> None:
    await Tortoise.close_connections()
    while _opened:
        await _opened.pop().close()
    # Tortoise caches insert SQL per connection name, not per engine: a process (or a test
    # run) that reopens "default" on another engine would reuse the old dialect's SQL.
    EXECUTOR_CACHE.clear()


async def check_database(database_url: str) -> tuple[list[str], list[str]]:
    """(problems, notes) about connectivity and migration state; applies nothing."""
    if database_url.startswith("sqlite://"):
        path = Path(
            tortoise_config(database_url)["connections"]["default"]["credentials"]["file_path"]
        )
        if not path.exists():
            if not path.parent.exists() and not _creatable(path.parent):
                return [f"DATABASE_URL: cannot create the folder {path.parent}"], []
            return [], [f"database: {path} is created and migrated on the first start"]
    try:
        await Tortoise.init(config=tortoise_config(database_url))
        _opened.append(Tortoise.get_connection("default"))
        try:
            done = {row.version for row in await Aerich.filter(app=APP)}
        except BaseORMException:
            done = set()
        pending = sorted(
            p.name for p in (MIGRATIONS / APP).glob("[0-9]*_*.py") if p.name not in done
        )
        if pending:
            return [], [
                f"database: {len(pending)} migration(s) applied at next start: "
                + ", ".join(pending)
            ]
        return [], [f"database: {describe_url(database_url)} is up to date"]
    except (OSError, BaseORMException) as exc:
        return [f"DATABASE_URL: cannot connect to {describe_url(database_url)} ({exc})"], []
    finally:
        await close_database()


def _creatable(folder: Path) -> bool:
    parent = folder
    while not parent.exists():
        parent = parent.parent
    return parent.is_dir() and os.access(parent, os.W_OK)
