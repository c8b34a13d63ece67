"""The shell side of bot.py: --check, stock add, rotate-keys, backup, export. None touch Discord."""

from __future__ import annotations

import sys
from pathlib import Path

from models.backup import backup_database
from models.catalog.sync import sync_catalog
from models.database import check_database, close_database, open_database
from models.database_checks import database_problem, open_usable_database
from models.errors import ShopError
from models.reports.exports import export_csv, export_filter
from models.stock.actions import rotate_stock_keys
from models.stock.cipher import StockCipher, resolve_stock_keys
from models.stock.code_files import NumberedCodes, codes_in_file, decode_code_file
from models.stock.key_check import stock_keys_open
from models.stock.restock import add_stock
from settings import ROOT, ConfigError, Settings, load_settings

MAX_STOCK_FILE_BYTES = 50 * 1024 * 1024
PROGRESS_FROM = 10_000  # codes; smaller imports finish before a progress line helps


class ShellProgress:
    """A progress line on stderr: rewritten in place on a terminal, a line per step if not."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._shown = 0

    def __call__(self, done: int, total: int) -> None:
        if not self._tty and done < total and done - self._shown < total // 5:
            return
        self._shown = done
        text = f"stock add: {done:,} of {total:,} codes checked ({done * 100 // total} %)"
        end = "\n" if done >= total or not self._tty else ""
        print(("\r" if self._tty else "") + text, end=end, file=sys.stderr, flush=True)


async def check() -> int:
    """Validates configuration and database; one line per problem; 0 when all is well."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        for line in exc.problems:
            print(f"problem: {line}")
        print(f"{len(exc.problems)} problem(s) found")
        return 1
    for line in settings.warnings:
        print(f"warning: {line}")
    problem = await database_problem(settings.database_url)
    problems, notes = ([problem], []) if problem else await check_database(settings.database_url)
    if not problems and notes and notes[0].endswith("is up to date"):
        problems += await _check_stock_keys(settings)
    for line in notes:
        print(f"ok: {line}")
    for line in problems:
        print(f"problem: {line}")
    enabled = [
        name
        for name, on in (
            ("stripe", settings.stripe.enabled),
            ("midtrans", settings.midtrans.enabled),
            ("ecwid", settings.ecwid.enabled),
            ("refract", bool(settings.refract_token)),
            ("generic", bool(settings.generic_secret)),
            ("api", bool(settings.admin_api_token)),
        )
        if on
    ]
    print(
        f"ok: config {settings.config_path}; {len(settings.products)} product(s); "
        f"providers enabled: {', '.join(enabled) or 'none'}"
    )
    if problems:
        print(f"{len(problems)} problem(s) found")
        return 1
    print("configuration OK")
    return 0


async def _check_stock_keys(settings: Settings) -> list[str]:
    """A problem line when the configured keys open none of the stored codes sampled."""
    key_file = ROOT / "data" / "stock.key"
    if not settings.stock_keys and not key_file.exists():
        return []  # a key is generated at the first start; nothing is stored under another
    keys = resolve_stock_keys(settings.stock_keys, key_file)
    try:
        cipher = StockCipher(keys)
    except ValueError:
        return ["STOCK_ENCRYPTION_KEYS: the key file data/stock.key holds no usable key"]
    await open_database(settings.database_url, migrate=False)
    try:
        tried, opened = await stock_keys_open(cipher)
    finally:
        await close_database()
    if tried and not opened:
        source = "STOCK_ENCRYPTION_KEYS" if settings.stock_keys else "data/stock.key"
        return [
            f"{source}: opens none of the {tried} newest stored codes; the keys they were "
            "stored under are missing (an import now would store duplicates)"
        ]
    return []


def backup(settings: Settings, target: Path) -> int:
    """`python bot.py backup PATH`: a consistent SQLite copy, or the pg_dump line to run."""
    return backup_database(settings.database_url, target, ROOT / "data" / "stock.key")


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _cipher(settings: Settings) -> StockCipher:
    """The same keys bot.py launch() uses: STOCK_ENCRYPTION_KEYS, else data/stock.key."""
    return StockCipher(resolve_stock_keys(settings.stock_keys, ROOT / "data" / "stock.key"))


def _read_codes(file: Path) -> NumberedCodes:
    """The file's codes, read as /admin addstock reads an upload (.csv: the first column)."""
    if file.stat().st_size > MAX_STOCK_FILE_BYTES:
        raise ValueError(f"larger than {MAX_STOCK_FILE_BYTES // (1024 * 1024)} MB")
    return codes_in_file(file.name, decode_code_file(file.read_bytes()))


async def stock_add(settings: Settings, product_key: str, file: Path) -> int:
    """`python bot.py stock add KEY FILE`: one code per line, through the /admin addstock path."""
    if settings.product(product_key) is None:
        return fail(f"stock add: unknown product key {product_key!r} (see [[products]] in config)")
    try:
        numbered = _read_codes(file)
    except ShopError as exc:
        return fail(f"stock add: cannot read {file}: {exc.message}")
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return fail(f"stock add: cannot read {file}: {reason}")
    cipher = _cipher(settings)
    await open_usable_database(settings.database_url)
    try:
        await sync_catalog(settings.products)
        progress = ShellProgress() if len(numbered.codes) >= PROGRESS_FROM else None
        report = await add_stock(product_key, numbered.codes, cipher, progress=progress)
    except ShopError as exc:
        return fail(f"stock add: {exc.message}")
    finally:
        await close_database()
    print(report.summary())
    if numbered.skipped:
        print(f"skipped {len(numbered.skipped)} line(s) that hold no code:")
    for line, reason in numbered.skipped:
        print(f"skipped line {line}: {reason}")
    for position, reason in report.rejected:
        print(f"rejected line {numbered.line_of(position)}: {reason}")
    if report.released_orders:
        print(f"released {len(report.released_orders)} order(s) waiting for stock")
    return 0


async def rotate_keys(settings: Settings) -> int:
    """`python bot.py rotate-keys`: re-encrypt every code under the first configured key."""
    cipher = _cipher(settings)
    await open_usable_database(settings.database_url)
    try:
        await sync_catalog(settings.products)
        count = await rotate_stock_keys(cipher)
    except ShopError as exc:
        return fail(f"rotate-keys: {exc.message}")
    finally:
        await close_database()
    print(f"re-encrypted {count} code(s) under the newest key")
    return 0


async def export(settings: Settings, args) -> int:  # type: ignore[no-untyped-def]
    """`bot.py export KIND`: the same CSV as /admin export, to stdout or --output."""
    await open_usable_database(settings.database_url)
    try:
        where = export_filter(args.since, args.until, args.status)
        text, rows = await export_csv(args.kind, where)
    except ShopError as exc:
        print(f"problem: {exc.message}", file=sys.stderr)
        return 1
    finally:
        await close_database()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(f"{rows} row(s) exported ({args.kind})", file=sys.stderr)
    return 0
