"""Database set-up: the Tortoise configuration and clients, pending migrations, health probes."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from aerich import Command
from aerich.models import Aerich
from tortoise import Tortoise
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import (
    BaseDBAsyncClient,
    TransactionalDBClient,
    TransactionContextPooled,
)
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections
from tortoise.exceptions import BaseORMException, IntegrityError, TransactionManagementError

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"
APP = "models"
# The clients open_database created. Tortoise keeps connections per asyncio context, so a
# close from another task's context (a signal handler, a test teardown) would otherwise
# miss them and leave SQLite's worker thread running, which keeps the process alive.
_opened: list[BaseDBAsyncClient] = []
# A health probe that takes longer than this (SQLite busy, a server not answering) fails.
PROBE_SECONDS = 3.0


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
        connection = expand_db_url(database_url)
    # This module's get_client_class(): Tortoise's clients with a transaction start that
    # cleans up after itself (see _PooledTransaction).
    connection["engine"] = __name__
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


class _PooledTransaction(TransactionContextPooled):
    """Tortoise's pooled transaction, minus its two leaks of a dead connection.

    Tortoise binds the transaction's connection to the task's context before BEGIN and
    unbinds it only at the very end of __aexit__. That never runs when BEGIN raises (say on
    a connection the server just terminated), and is skipped when handing the connection
    back to the pool raises (asyncpg's RESET fails on a connection the server ends at that
    moment). Either way the task kept that dead connection for every later query
    ("connection has been released back to the pool", for ever) until a restart. Here the
    task is unbound first, whatever happens to the connection.
    """

    async def __aenter__(self) -> TransactionalDBClient:
        await self.ensure_connection()
        pool = self.client._parent._pool
        self.client._connection = await pool.acquire()
        self.token = get_connections().set(self.connection_name, self.client)
        try:
            await self.client.begin()
        except BaseException:
            get_connections().reset(self.token)
            connection, self.client._connection = self.client._connection, None
            await _discard(pool, connection)
            raise
        return self.client

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        try:
            if not self.client._finalized:
                if exc_type is None:
                    await self.client.commit()
                elif exc_type is not TransactionManagementError:  # it cannot roll back
                    await self.client.rollback()
        finally:
            get_connections().reset(self.token)
            pool = self.client._parent._pool
            if pool:
                await _release(pool, self.client._connection)


async def _release(pool: Any, connection: Any) -> None:
    """Hands a connection back after COMMIT or ROLLBACK answered. When asyncpg's RESET fails
    it terminates the connection (the pool opens a new one) and raises: that concerns
    neither the transaction's outcome, already settled, nor an error already propagating."""
    try:
        await pool.release(connection)
    except Exception as exc:
        log.warning("a connection failed as it was handed back (%s); it was closed", exc)


async def _discard(pool: Any, connection: Any) -> None:
    """Closes a pooled connection in an unknown state and gives its slot back to the pool."""
    try:
        if not connection.is_closed():
            connection.terminate()
    except Exception as exc:  # already detached from the pool: nothing left to close
        log.debug("discarding a connection: %s", type(exc).__name__)
    try:
        await pool.release(connection)
    except Exception as exc:
        log.debug("releasing a discarded connection: %s", type(exc).__name__)


class _SqliteTransaction(SqliteTransactionContext):
    """Tortoise's SQLite transaction start, minus its leak when BEGIN fails: the lock that
    serialises transactions stayed held (every later transaction waited for ever)."""

    async def __aenter__(self) -> TransactionalDBClient:
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
            self.token = get_connections().set(self.connection_name, self.connection)
            try:
                await self.connection.begin()
            except BaseException:
                get_connections().reset(self.token)
                raise
        except BaseException:
            self._trxlock.release()
            raise
        return self.connection


class StockroomAsyncpgClient(AsyncpgDBClient):
    def _in_transaction(self) -> _PooledTransaction:
        return _PooledTransaction(TransactionWrapper(self), self._pool_init_lock)


class StockroomSqliteClient(SqliteClient):
    def _in_transaction(self) -> _SqliteTransaction:
        return _SqliteTransaction(SqliteTransactionWrapper(self), self._lock)


def get_client_class(db_info: dict[str, Any]) -> type[BaseDBAsyncClient]:
    """Tortoise's engine hook: the client for a connection config from tortoise_config()."""
    if "file_path" in db_info["credentials"]:
        return StockroomSqliteClient
    return StockroomAsyncpgClient


def describe_url(database_url: str) -> str:
    """The URL without its password, for logs and reports."""
    parts = urlsplit(database_url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return database_url


def _ensure_sqlite_dir(database_url: str) -> None:
    path = tortoise_config(database_url)["connections"]["default"]["credentials"].get("file_path")
    if path is not None and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


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


def is_database_unavailable(exc: BaseException) -> bool:
    """True for a failure of the database itself (gone, read-only, locked, connection lost),
    as opposed to a refused statement (a constraint) or a bug; the cause chain is followed."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, IntegrityError | asyncpg.IntegrityConstraintViolationError):
            return False
        if isinstance(
            seen,
            BaseORMException
            | asyncpg.PostgresError
            | asyncpg.InterfaceError
            # asyncpg's state machine on a connection the server just ended
            | asyncpg.InternalClientError
            | sqlite3.Error,
        ) or isinstance(seen, OSError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def database_state() -> tuple[str, str]:
    """("ok" | "unreachable" | "read-only", why) from a read and a write that changes nothing.

    The write is an UPDATE matching no row: SQLite opened read-only, a read-only PostgreSQL
    transaction or a full lock refuse it all the same, and a busy shop's rows are not touched.
    """
    try:
        connection = Tortoise.get_connection("default")
        await asyncio.wait_for(
            connection.execute_query("SELECT 1 FROM webhook_event LIMIT 1"), PROBE_SECONDS
        )
    except Exception as exc:  # a probe reports any driver failure instead of raising
        return "unreachable", _why(exc)
    try:
        await asyncio.wait_for(
            connection.execute_query("UPDATE bot_state SET key = key WHERE id = -1"),
            PROBE_SECONDS,
        )
    except Exception as exc:
        return "read-only", _why(exc)
    return "ok", ""


def _why(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__
