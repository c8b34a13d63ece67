"""A database that cannot be used stops `bot.py --check` and a start with one DATABASE_URL line.

Each case runs `python bot.py` as a seller would. The normal start points Discord at a port
nobody listens on: a database problem must be named before Discord is ever tried, so a line
blaming DISCORD_API_BASE is a failure too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from settings import ROOT
from tests.conftest import postgres_url


def run(tmp_path: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), *args],
        env=run_env(tmp_path, database_url),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def assert_one_line(done: subprocess.CompletedProcess[str], expected: str) -> None:
    text = done.stdout + done.stderr
    assert done.returncode == 1, text
    assert "Traceback" not in text and "DISCORD_API_BASE" not in text, text
    assert "configuration OK" not in text, text
    lines = [line for line in text.splitlines() if "DATABASE_URL" in line]
    assert len(lines) == 1 and expected in lines[0], text


def both(tmp_path: Path, url: str, expected: str) -> None:
    assert_one_line(run(tmp_path, url, "--check"), expected)
    assert_one_line(run(tmp_path, url), expected)


def test_a_sqlite_path_under_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "plain-file").write_text("not a folder")
    both(tmp_path, f"sqlite://{tmp_path}/plain-file/shop.sqlite3", "is a file, not a folder")


def test_a_sqlite_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "shop.sqlite3").write_bytes(b"these are not the pages of a database" * 100)
    both(tmp_path, f"sqlite://{tmp_path}/shop.sqlite3", "is not a SQLite database")


def test_an_unwritable_sqlite_folder(tmp_path: Path) -> None:
    """A read-only mount (root ignores permission bits, so chmod would prove nothing)."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare for a read-only mount")
    folder = tmp_path / "data"
    folder.mkdir()
    url = f"sqlite://{folder}/shop.sqlite3"
    for args in (["--check"], []):
        script = (
            f"mount --bind -o ro {folder} {folder} && exec {sys.executable} "
            f"{ROOT / 'bot.py'} {' '.join(args)}"
        )
        done = subprocess.run(
            ["unshare", "--mount", "sh", "-c", script],
            env=run_env(tmp_path, url),
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        if "mount:" in done.stderr and done.returncode != 1:
            pytest.skip(f"cannot mount read-only here: {done.stderr.strip()}")
        assert_one_line(done, f"cannot write in the folder {folder}")


def run_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "STOCKROOM_ENV_FILE": str(tmp_path / "no.env"),
        "DISCORD_APP_TOKEN": "dummy-token",
        "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10",
        "DATABASE_URL": database_url,
        "STOCK_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": "0",
    }


def _postgres_with(**parts: str) -> str:
    base = postgres_url()
    if not base:
        pytest.skip("TEST_DATABASE_URL not set: PostgreSQL cases skipped")
    head, _, _ = base.rpartition("/")
    if "database" in parts:
        return f"{head}/{parts['database']}"
    scheme, _, rest = head.partition("://")
    host = rest.rpartition("@")[2]
    return f"{scheme}://{parts['user']}@{host}/postgres"


@pytest.mark.postgres
def test_a_postgres_database_that_does_not_exist(tmp_path: Path) -> None:
    url = _postgres_with(database="stockroom_no_such_database")
    both(tmp_path, url, 'the PostgreSQL database "stockroom_no_such_database" does not exist')


@pytest.mark.postgres
def test_a_postgres_role_that_does_not_exist(tmp_path: Path) -> None:
    url = _postgres_with(user="stockroom_no_such_role")
    both(tmp_path, url, 'role "stockroom_no_such_role" does not exist')


def test_a_postgres_server_that_is_not_there(tmp_path: Path) -> None:
    both(tmp_path, "postgres://shop@127.0.0.1:9/shop", "cannot reach PostgreSQL at")
