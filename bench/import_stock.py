"""Benchmark: `python bot.py stock add KEY FILE` with N codes, beside the crypto floor.

The anchor, measured in the same run, is what no import can avoid: Fernet encryption plus
one HMAC fingerprint of every code, in this process. The import runs as a seller runs it,
a real `python bot.py stock add` subprocess on a fresh database; its wall time, its own CPU
time and the ratio to the anchor are printed. Run by hand:

    python bench/import_stock.py --codes 100000
    python bench/import_stock.py --codes 100000 \
        --database postgres://postgres@127.0.0.1:5432/stockroom_bench

The PostgreSQL database must exist; its tables are dropped first (it is a bench database).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet

from models.stock.cipher import StockCipher

ROOT = Path(__file__).resolve().parent.parent


def crypto_floor(codes: list[str], key: str) -> float:
    """Seconds to encrypt and fingerprint every code once (what an import must do)."""
    cipher = StockCipher((key,))
    started = time.perf_counter()
    for code in codes:
        cipher.encrypt(code)
        cipher.fingerprint(code)
    return time.perf_counter() - started


async def reset_postgres(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()


def run_import(folder: Path, database: str, key: str, file: Path) -> tuple[float, float, str]:
    """(wall seconds, child CPU seconds, stdout) of one `bot.py stock add`."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "STOCKROOM_ENV_FILE": str(folder / "no.env"),
        "DISCORD_APP_TOKEN": "bench-token",
        "DATABASE_URL": database,
        "STOCK_ENCRYPTION_KEYS": key,
        "LOG_LEVEL": "WARNING",
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "stock", "add", "game-key", str(file)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=folder,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"stock add failed ({done.returncode}): {done.stderr[-2000:]}")
    return wall, cpu, done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=100_000)
    parser.add_argument("--database", default="", help="postgres://... (default: a new SQLite)")
    args = parser.parse_args()
    key = Fernet.generate_key().decode()
    codes = [f"BENCH-{i:09d}-{os.urandom(6).hex()}" for i in range(args.codes)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        file = folder / "codes.txt"
        file.write_text("\n".join(codes) + "\n", encoding="utf-8")
        database = args.database or f"sqlite://{folder}/bench.sqlite3"
        if database.startswith("postgres"):
            asyncio.run(reset_postgres(database))
        floor = crypto_floor(codes, key)
        wall, cpu, output = run_import(folder, database, key, file)
        again_wall, _, again = run_import(folder, database, key, file)
    engine = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    expected = f"added {args.codes}, duplicates 0, rejected 0"
    if expected not in output:
        raise SystemExit(f"wrong outcome: expected {expected!r}, got {output[-500:]!r}")
    if f"added 0, duplicates {args.codes}, rejected 0" not in again:
        raise SystemExit(f"re-import found no duplicates: {again[-500:]!r}")
    print(f"{engine}: {args.codes:,} codes imported by `bot.py stock add`")
    print(f"  import            {wall:7.2f} s wall, {cpu:6.2f} s CPU of the bot.py process")
    print(f"  re-import (dups)  {again_wall:7.2f} s wall")
    print(f"  anchor: Fernet + HMAC of {args.codes:,} codes in this process: {floor:.2f} s")
    print(f"  ratio import / anchor: {wall / floor:.2f}x; {args.codes / wall:,.0f} codes/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
