"""Benchmark: `python bot.py stock add KEY FILE` with N codes, beside the crypto floor.

The anchor, measured in the same run, is what no import can avoid: Fernet encryption plus
one HMAC fingerprint of every code, in this process (wall and CPU time). The import runs as
a seller runs it, a real `python bot.py stock add` subprocess; its wall time, its own CPU
time and the ratios to the anchor are printed. A one-code import first migrates the fresh
database and measures what every `bot.py stock add` costs whatever the file (interpreter,
imports, settings, database open): printed beside, so the import's own share is read off.
Run by hand:

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


def crypto_floor(codes: list[str], key: str) -> tuple[float, float]:
    """(wall, CPU) seconds to Fernet-encrypt and fingerprint every code once, one by one."""
    fernet, mac_key = Fernet(key), StockCipher((key,))._mac_keys[0]
    started, cpu = time.perf_counter(), time.process_time()
    for code in codes:
        fernet.encrypt(code.encode())
        StockCipher._mac(mac_key, code)
    return time.perf_counter() - started, time.process_time() - cpu


async def reset_postgres(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()


def run_import(
    folder: Path, database: str, key: str, file: Path, product: str = "game-key"
) -> tuple[float, float, str]:
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
        [sys.executable, str(ROOT / "bot.py"), "stock", "add", product, str(file)],
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


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


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
        one = folder / "one.txt"
        one.write_text("BENCH-ONE-CODE\n", encoding="utf-8")
        fixed_wall, fixed_cpu, _ = run_import(folder, database, key, one, "starter-bundle")
        floor, floor_cpu = crypto_floor(codes, key)
        wall, cpu, output = run_import(folder, database, key, file)
        again_wall, _, again = run_import(folder, database, key, file)
    engine = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    expected = f"added {args.codes}, duplicates 0, rejected 0"
    if expected not in output:
        raise SystemExit(f"wrong outcome: expected {expected!r}, got {output[-500:]!r}")
    if f"added 0, duplicates {args.codes}, rejected 0" not in again:
        raise SystemExit(f"re-import found no duplicates: {again[-500:]!r}")
    progress = [line for line in output.splitlines() if line.startswith("stock add: ")]
    print(f"{engine}: {args.codes:,} codes imported by `bot.py stock add` (load {load()})")
    print(f"  import            {wall:7.2f} s wall, {cpu:6.2f} s CPU of the bot.py process")
    print(f"  re-import (dups)  {again_wall:7.2f} s wall")
    print(
        f"  anchor: Fernet + HMAC of {args.codes:,} codes in this process: {floor:.2f} s wall, "
        f"{floor_cpu:.2f} s CPU"
    )
    print(
        f"  fixed cost of any `bot.py stock add` (a one-code file): {fixed_wall:.2f} s wall, "
        f"{fixed_cpu:.2f} s CPU"
    )
    print(
        f"  ratio import / anchor: {wall / floor:.2f}x wall, {cpu / floor_cpu:.2f}x CPU; "
        f"without the fixed cost {(wall - fixed_wall) / floor:.2f}x wall; "
        f"{args.codes / wall:,.0f} codes/s"
    )
    print(f"  progress lines: {len(progress)}, the last: {progress[-1] if progress else None!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
