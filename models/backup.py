"""`python bot.py backup PATH`: a consistent copy of the SQLite database while the bot runs.

SQLite's online backup API copies page by page under the database's own locks, so the copy
is a valid database even while the bot writes (a plain file copy of a WAL database is not).
PostgreSQL is backed up with pg_dump; the line to run is printed instead.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from urllib.parse import urlsplit

from models.database import describe_url, tortoise_config


def sqlite_path(database_url: str) -> Path | None:
    """The database file of a sqlite:// URL (relative paths resolved as the bot does)."""
    if not database_url.startswith("sqlite://"):
        return None
    return Path(tortoise_config(database_url)["connections"]["default"]["credentials"]["file_path"])


def backup_database(database_url: str, target: Path, key_file: Path) -> int:
    """Writes the copy to `target` (never over an existing file); 0 on success."""
    source = sqlite_path(database_url)
    if source is None:
        parts = urlsplit(database_url)
        name = parts.path.lstrip("/") or "stockroom"
        print(
            f"DATABASE_URL: {describe_url(database_url)} is PostgreSQL; back it up with\n"
            f"  pg_dump -Fc -f {target} '{describe_url(database_url)}'\n"
            f"and restore with: pg_restore --clean --if-exists -d {name} {target}",
            file=sys.stderr,
        )
        return 1
    if not source.is_file():
        print(f"DATABASE_URL: {source} does not exist; nothing to back up", file=sys.stderr)
        return 1
    if target.exists():
        print(f"backup: {target} exists already; choose a new file name", file=sys.stderr)
        return 1
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as origin:
            with sqlite3.connect(target) as copy:
                origin.backup(copy)
        with sqlite3.connect(target) as copy:
            check = copy.execute("PRAGMA integrity_check").fetchone()[0]
    except (sqlite3.Error, OSError) as exc:
        print(f"backup: cannot copy {source} to {target}: {exc}", file=sys.stderr)
        return 1
    if check != "ok":
        print(f"backup: the copy failed its integrity check: {check}", file=sys.stderr)
        return 1
    print(f"backed up {source} to {target} ({target.stat().st_size} bytes, integrity ok)")
    if key_file.exists():
        print(f"also keep a copy of {key_file}: without it the stock codes cannot be decrypted")
    else:
        print("keep a copy of STOCK_ENCRYPTION_KEYS: without them the codes cannot be decrypted")
    return 0
