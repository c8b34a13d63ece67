"""Why a database cannot be used, as one line naming DATABASE_URL: asked before it is opened.

Both `bot.py --check` and a normal start ask this first, so a seller sees the same line from
either, instead of a hang (an unwritable SQLite folder), a traceback, or a line blaming
Discord. Nothing here creates, migrates or writes anything that stays.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg

from models.database import describe_url, open_database, tortoise_config

CONNECT_SECONDS = 5.0


class DatabaseUnusable(Exception):
    """The database named by DATABASE_URL cannot be used; str() is the one line to print."""


def sqlite_file(database_url: str) -> Path | None:
    """The file of a sqlite:// URL (relative paths resolved as the bot does), else None."""
    if not database_url.startswith("sqlite://"):
        return None
    path = tortoise_config(database_url)["connections"]["default"]["credentials"]["file_path"]
    return None if path == ":memory:" else Path(path)


async def database_problem(database_url: str) -> str | None:
    """One line saying why the database cannot be used, or None when it can."""
    path = sqlite_file(database_url)
    if path is not None:
        return sqlite_problem(path)
    if database_url.startswith("sqlite://"):
        return None  # :memory:
    return await postgres_problem(database_url)


def sqlite_problem(path: Path) -> str | None:
    """A folder that cannot hold the database and its -wal file, or a file that is no database."""
    folder = _nearest_existing(path.parent)
    if not folder.is_dir():
        return f"DATABASE_URL: {folder} is a file, not a folder; the database cannot be under it"
    if folder == path.parent:
        try:
            # WAL mode writes the -wal and -shm files beside the database: the folder itself
            # must be writable (root ignores permission bits, so try it rather than ask).
            descriptor, probe = tempfile.mkstemp(dir=folder, prefix=".stockroom-write-check-")
            os.close(descriptor)
            os.unlink(probe)
        except OSError as exc:
            return f"DATABASE_URL: cannot write in the folder {folder} ({exc.strerror or exc})"
    elif not os.access(folder, os.W_OK | os.X_OK):
        return f"DATABASE_URL: cannot create the folder {path.parent}"
    if path.is_dir():
        return f"DATABASE_URL: {path} is a folder, not a database file"
    if path.exists():
        return _not_a_database(path)
    return None


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _not_a_database(path: Path) -> str | None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as probe:
            probe.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        return f"DATABASE_URL: {path} is not a SQLite database ({exc})"
    return None


async def postgres_problem(database_url: str) -> str | None:
    """Connects once (and closes): the server, the role and the database must all exist."""
    where = describe_url(database_url)
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/") or parts.username or "postgres"
    try:
        connection = await asyncpg.connect(
            database_url.replace("postgres://", "postgresql://", 1), timeout=CONNECT_SECONDS
        )
    except asyncpg.InvalidCatalogNameError:
        return (
            f'DATABASE_URL: the PostgreSQL database "{name}" does not exist ({where}); '
            f"create it with: createdb {name}"
        )
    except asyncpg.InvalidAuthorizationSpecificationError as exc:
        return f"DATABASE_URL: PostgreSQL refused the role ({where}): {exc}"
    except asyncpg.InvalidPasswordError:
        return f"DATABASE_URL: PostgreSQL refused the password ({where})"
    except (OSError, TimeoutError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        return f"DATABASE_URL: cannot reach PostgreSQL at {where} ({reason})"
    except (asyncpg.PostgresError, ValueError) as exc:
        return f"DATABASE_URL: PostgreSQL refused the connection ({where}): {exc}"
    await connection.close()
    return None


async def open_usable_database(database_url: str) -> list[str]:
    """open_database() after the checks above; DatabaseUnusable with the one line otherwise."""
    problem = await database_problem(database_url)
    if problem is not None:
        raise DatabaseUnusable(problem)
    return await open_database(database_url)
