"""`python bot.py stock add` and `python bot.py rotate-keys`, run as a seller would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

from settings import ROOT


def run(tmp_path: Path, keys: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "STOCKROOM_ENV_FILE": str(tmp_path / "no.env"),
        "DISCORD_APP_TOKEN": "dummy-token",
        "DATABASE_URL": f"sqlite://{tmp_path}/shop.sqlite3",
        "STOCK_ENCRYPTION_KEYS": keys,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def test_stock_add_reports_and_rotate_keys_re_encrypts(tmp_path: Path) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    codes = tmp_path / "codes.txt"
    codes.write_text("SHELL-CODE-1\nSHELL-CODE-2\n\nSHELL-CODE-1\nBAD\x01CODE\n")
    added = run(tmp_path, old, "stock", "add", "game-key", str(codes))
    assert added.returncode == 0, added.stderr
    lines = added.stdout.splitlines()
    assert lines[0] == "added 2, duplicates 1, rejected 2"
    assert lines[1:] == ["rejected line 3: empty", "rejected line 5: contains control characters"]
    assert "SHELL-CODE" not in added.stdout + added.stderr

    again = run(tmp_path, old, "stock", "add", "game-key", str(codes))
    assert again.stdout.splitlines()[0] == "added 0, duplicates 3, rejected 2"

    rotated = run(tmp_path, f"{new},{old}", "rotate-keys")
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.strip() == "re-encrypted 2 code(s) under the newest key"
    # With the old key dropped, the codes still open and duplicates are still found.
    after = run(tmp_path, new, "stock", "add", "game-key", str(codes))
    assert after.returncode == 0, after.stderr
    assert after.stdout.splitlines()[0] == "added 0, duplicates 3, rejected 2"
    # A key that opens nothing: rotation says so and fails.
    lost = run(tmp_path, Fernet.generate_key().decode(), "rotate-keys")
    assert lost.returncode == 1 and "open with no configured key" in lost.stderr


def test_a_large_stock_add_shows_progress_on_the_shell(tmp_path: Path) -> None:
    codes = tmp_path / "codes.txt"
    codes.write_text("".join(f"BULK-{i:06d}\n" for i in range(12_000)))
    added = run(tmp_path, Fernet.generate_key().decode(), "stock", "add", "game-key", str(codes))
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines()[0] == "added 12000, duplicates 0, rejected 0"
    progress = [line for line in added.stderr.splitlines() if line.startswith("stock add: ")]
    assert progress == [
        "stock add: 5,000 of 12,000 codes checked (41 %)",
        "stock add: 10,000 of 12,000 codes checked (83 %)",
        "stock add: 12,000 of 12,000 codes checked (100 %)",
    ]
    assert "BULK-" not in added.stdout + added.stderr


def test_stock_add_refuses_unknown_product_and_unreadable_file(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    codes = tmp_path / "codes.txt"
    codes.write_text("A\n")
    unknown = run(tmp_path, key, "stock", "add", "no-such-product", str(codes))
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines()[-1] == (
        "stock add: unknown product key 'no-such-product' (see [[products]] in config)"
    )
    missing = run(tmp_path, key, "stock", "add", "game-key", str(tmp_path / "missing.txt"))
    assert missing.returncode == 1
    assert "stock add: cannot read" in missing.stderr and "No such file" in missing.stderr
    role = run(tmp_path, key, "stock", "add", "vip", str(codes))
    assert role.returncode == 1 and "role product" in role.stderr


def test_stock_add_reads_a_csv_file_by_its_code_column(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    codes = tmp_path / "codes.csv"
    codes.write_text("code,note\nCSV-CODE-1,first batch\nCSV-CODE-2,first batch\n,\n\n")
    added = run(tmp_path, key, "stock", "add", "game-key", str(codes))
    assert added.returncode == 0, added.stderr
    lines = added.stdout.splitlines()
    assert lines[0] == "added 2, duplicates 0, rejected 0"
    assert lines[1:] == [
        "skipped 3 line(s) that hold no code:",
        "skipped line 1: CSV header",
        "skipped line 4: blank line at the end",
        "skipped line 5: blank line at the end",
    ]
    assert "CSV-CODE" not in added.stdout + added.stderr


def test_check_names_a_key_that_opens_none_of_the_stored_codes(tmp_path: Path) -> None:
    first, other = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    codes = tmp_path / "codes.txt"
    codes.write_text("KEY-CHECK-1\nKEY-CHECK-2\n")
    assert run(tmp_path, first, "stock", "add", "game-key", str(codes)).returncode == 0
    good = run(tmp_path, first, "--check")
    assert good.returncode == 0, good.stdout + good.stderr
    wrong = run(tmp_path, other, "--check")
    assert wrong.returncode == 1
    assert (
        "problem: STOCK_ENCRYPTION_KEYS: opens none of the 2 newest stored codes; the keys they "
        "were stored under are missing (an import now would store duplicates)"
    ) in wrong.stdout.splitlines()
    assert "Traceback" not in wrong.stderr
    # Both keys configured (the new one first), as after a rotation: fine again.
    assert run(tmp_path, f"{other},{first}", "--check").returncode == 0


def test_backup_writes_a_consistent_copy_that_opens(tmp_path: Path) -> None:
    import sqlite3

    key = Fernet.generate_key().decode()
    codes = tmp_path / "codes.txt"
    codes.write_text("BACKUP-1\nBACKUP-2\n")
    assert run(tmp_path, key, "stock", "add", "game-key", str(codes)).returncode == 0
    target = tmp_path / "copy.sqlite3"
    done = run(tmp_path, key, "backup", str(target))
    assert done.returncode == 0, done.stderr
    assert "integrity ok" in done.stdout
    with sqlite3.connect(target) as copy:
        assert copy.execute("select count(*) from stock_item").fetchone()[0] == 2
    again = run(tmp_path, key, "backup", str(target))
    assert again.returncode == 1 and "exists already" in again.stderr
    # The copy is a database the bot opens: --check on it says it is up to date.
    env_check = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--check"],
        env={
            "PATH": "/usr/bin:/bin",
            "STOCKROOM_ENV_FILE": str(tmp_path / "no.env"),
            "DISCORD_APP_TOKEN": "dummy-token",
            "DATABASE_URL": f"sqlite://{target}",
            "STOCK_ENCRYPTION_KEYS": key,
        },
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert env_check.returncode == 0 and "is up to date" in env_check.stdout


def test_backup_of_postgres_prints_the_pg_dump_line(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "STOCKROOM_ENV_FILE": str(tmp_path / "no.env"),
        "DISCORD_APP_TOKEN": "dummy-token",
        "DATABASE_URL": "postgres://shop:secret@127.0.0.1:5432/shop",
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "backup", str(tmp_path / "shop.dump")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert "pg_dump -Fc" in done.stderr and "secret" not in done.stderr
