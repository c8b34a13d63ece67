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
