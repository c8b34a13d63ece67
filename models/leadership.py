"""PostgreSQL advisory locks on a connection of their own: who leads a duty, who starts first.

A session-level advisory lock lives as long as the session that took it. Taken on a pooled
connection it would travel with that connection to whoever borrows it next, so these locks
are taken on a dedicated connection: when the process holding it dies, PostgreSQL ends the
session and the lock is free for the next process that asks. On SQLite there is one process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from tortoise.backends.base.config_generator import expand_db_url

from models.database_checks import DatabaseUnusable

log = logging.getLogger(__name__)

# The first half of every advisory lock key Stockroom takes ("STKR"); the second names it.
LOCK_NAMESPACE = 0x53544B52
CONNECT_SECONDS = 5.0
QUERY_SECONDS = 5.0
# How long a starting process waits for the others' migrations and catalog sync.
START_WAIT_SECONDS = 120.0
START_LOCK = "start"
# What asyncpg raises on a session the server ended or a network that broke.
SESSION_GONE = (
    OSError,
    TimeoutError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
)


def is_shared(database_url: str) -> bool:
    """True for PostgreSQL, which several processes share; SQLite serves one."""
    return database_url.startswith(("postgres://", "postgresql://"))


def lock_key(name: str) -> int:
    """The name's half of its lock key: a stable 31-bit number."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def connect_options(database_url: str, purpose: str) -> dict[str, Any]:
    """asyncpg.connect() arguments for the URL; `purpose` names the session in pg_stat_activity."""
    credentials = expand_db_url(database_url)["credentials"]
    options = {
        key: credentials[key]
        for key in ("host", "port", "user", "password", "database", "ssl")
        if credentials.get(key) not in (None, "")
    }
    options["server_settings"] = {"application_name": f"stockroom-{purpose}"}
    return options


class AdvisoryLocks:
    """The advisory locks one process holds, on its dedicated connection."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.shared = is_shared(database_url)
        self._connection: asyncpg.Connection | None = None
        self._held: set[str] = set()
        self._lock = asyncio.Lock()

    @property
    def held(self) -> frozenset[str]:
        """The locks this process held at its last ask."""
        return frozenset(self._held)

    async def holds(self, name: str) -> bool:
        """True when this process holds `name` now: it held it and its session answers, or
        it just took it. A failed ask (the session died) gives every lock up."""
        if not self.shared:
            return True
        async with self._lock:
            try:
                connection = await self._connected()
                if name in self._held:
                    # The lock lives as long as the session: a session that answers holds it.
                    await connection.fetchval("SELECT 1", timeout=QUERY_SECONDS)
                    return True
                taken = await connection.fetchval(
                    "SELECT pg_try_advisory_lock($1, $2)",
                    LOCK_NAMESPACE,
                    lock_key(name),
                    timeout=QUERY_SECONDS,
                )
            except SESSION_GONE as exc:
                self._lost(f"{type(exc).__name__}: {str(exc)[:200]}")
                return False
            if taken:
                self._held.add(name)
                log.info("this process now leads %s", name)
            return bool(taken)

    async def _connected(self) -> asyncpg.Connection:
        if self._connection is None or self._connection.is_closed():
            if self._held:
                self._lost("its connection closed")
            self._connection = await asyncpg.connect(
                timeout=CONNECT_SECONDS, **connect_options(self.database_url, "leader")
            )
        return self._connection

    def _lost(self, why: str) -> None:
        if self._held:
            log.warning("no longer leading %s (%s)", ", ".join(sorted(self._held)), why)
        self._held.clear()
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.terminate()

    async def close(self) -> None:
        """Gives every lock up at once (closing the session frees them)."""
        async with self._lock:
            self._held.clear()
            connection, self._connection = self._connection, None
            if connection is not None and not connection.is_closed():
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(connection.close(), QUERY_SECONDS)
                if not connection.is_closed():
                    connection.terminate()


@contextlib.asynccontextmanager
async def one_start_at_a_time(
    database_url: str, *, within: float = START_WAIT_SECONDS
) -> AsyncIterator[None]:
    """Processes starting together migrate and sync the catalog one after another.

    Without it two processes upgrading a fresh database both create the first table and
    one fails. SQLite: nothing to wait for. A database that cannot be reached is left to
    the start's own checks, which say so in one line; a lock held past `within` seconds
    (another process stuck in its start) is DatabaseUnusable.
    """
    if not is_shared(database_url):
        yield
        return
    connection = await _start_lock_connection(database_url)
    if connection is not None:
        try:
            await connection.execute(
                "SELECT pg_advisory_lock($1, $2)",
                LOCK_NAMESPACE,
                lock_key(START_LOCK),
                timeout=within,
            )
        except TimeoutError:
            connection.terminate()
            raise DatabaseUnusable(
                f"database: another Stockroom process has been starting (migrating) for over "
                f"{within:.0f} s; see its log, or pg_stat_activity for application_name "
                "stockroom-start"
            ) from None
        except SESSION_GONE:
            connection.terminate()
            connection = None
    try:
        yield
    finally:
        if connection is not None:
            await _close(connection)


async def _start_lock_connection(database_url: str) -> asyncpg.Connection | None:
    try:
        return await asyncpg.connect(
            timeout=CONNECT_SECONDS, **connect_options(database_url, "start")
        )
    except SESSION_GONE:
        return None


async def _close(connection: asyncpg.Connection) -> None:
    if connection.is_closed():
        return
    try:
        await asyncio.wait_for(connection.close(), QUERY_SECONDS)
    except Exception:
        connection.terminate()
