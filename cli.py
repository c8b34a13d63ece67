"""The command line of `python bot.py`: arguments, .env and logging, then the bot or a command."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import tomllib
from pathlib import Path

import aiohttp
import disnake
from dotenv import load_dotenv

import event_loop
from bot import StartRefused, run
from models.database_checks import DatabaseUnusable
from process_roles import ROLES, ProcessRole, check_refusal
from settings import ROOT, ConfigError, Settings, load_settings

log = logging.getLogger("stockroom")  # the logger bot.py logs to
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LEFTOVER_THREAD_SECONDS = 1.0


def version() -> str:
    """The version in pyproject.toml (the one place it is written)."""
    with open(ROOT / "pyproject.toml", "rb") as project:
        return tomllib.load(project)["project"]["version"]


def create_env_file(path: Path, example: Path) -> bool:
    """First run: copies .env.example to .env, readable by its owner alone (secrets go there)."""
    if path.exists() or not example.is_file():
        return False
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as env_file:
        env_file.write(example.read_text(encoding="utf-8"))
    return True


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        for line in exc.problems:
            print(f"config error: {line}", file=sys.stderr)
        raise SystemExit(1) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot.py", description="Stockroom shop bot")
    parser.add_argument("--check", action="store_true", help="validate config and database")
    parser.add_argument(
        "--role",
        choices=tuple(ROLES),
        default="all",
        help="the part this process runs: all (default), or gateway, web or worker "
        "(several processes on one PostgreSQL database)",
    )
    parser.add_argument("--version", action="version", version=f"Stockroom {version()}")
    sub = parser.add_subparsers(dest="command")
    stock = sub.add_parser("stock", help="stock from the shell")
    stock_sub = stock.add_subparsers(dest="stock_command", required=True)
    add = stock_sub.add_parser("add", help="add codes from a file, one per line")
    add.add_argument("product_key")
    add.add_argument("file", type=Path)
    export = sub.add_parser("export", help="write a CSV export (no codes) to stdout or a file")
    export.add_argument("kind", choices=("orders", "ledger", "stock"))
    export.add_argument("--since", help="first day, YYYY-MM-DD (UTC)")
    export.add_argument("--until", help="last day, YYYY-MM-DD (UTC, included)")
    export.add_argument("--status", help="order status, ledger kind or stock status")
    export.add_argument("--output", type=Path, help="file to write (default: stdout)")
    sub.add_parser("rotate-keys", help="re-encrypt every stock code under the newest key")
    backup = sub.add_parser("backup", help="write a consistent copy of the SQLite database")
    backup.add_argument("target", type=Path)
    demo = sub.add_parser("demo", help="see it work: the real bot against a local Discord")
    demo.add_argument("--exit", action="store_true", help="play the journey once, then exit")
    return parser


def _load_environment() -> bool:
    """.env (written on the first run) and logging at LOG_LEVEL; False on a bad LOG_LEVEL."""
    # STOCKROOM_ENV_FILE lets tests and packagers point at another secrets file.
    env_file = os.environ.get("STOCKROOM_ENV_FILE")
    try:
        if not env_file and create_env_file(ROOT / ".env", ROOT / ".env.example"):
            print(f"created {ROOT / '.env'} from .env.example (mode 0600)", file=sys.stderr)
    except OSError as exc:  # a read-only install (an image): the environment holds the secrets
        print(f"note: no .env written ({exc.strerror}); using the environment", file=sys.stderr)
    load_dotenv(env_file or ROOT / ".env", override=False)
    level = os.environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        print(f"LOG_LEVEL: expected one of {', '.join(LOG_LEVELS)}, got {level!r}", file=sys.stderr)
        return False
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return True


def _run_shell_command(args: argparse.Namespace, settings: Settings) -> int:
    """stock add, rotate-keys, export, backup: the shell side, never Discord."""
    import shell_commands

    commands = {
        "stock": lambda: shell_commands.stock_add(settings, args.product_key, args.file),
        "rotate-keys": lambda: shell_commands.rotate_keys(settings),
        "export": lambda: shell_commands.export(settings, args),
    }
    if args.command not in commands:
        return shell_commands.backup(settings, args.target)
    try:
        return event_loop.run(commands[args.command]())
    except DatabaseUnusable as exc:
        print(exc, file=sys.stderr)
        return 1


def _exit_despite_threads(code: int) -> None:
    """Last resort: a non-daemon thread left running (a database driver's) would keep the
    interpreter waiting in threading._shutdown for ever; say which, and exit anyway."""
    for thread in threading.enumerate():
        if thread is threading.main_thread() or thread.daemon:
            continue
        thread.join(LEFTOVER_THREAD_SECONDS)
        if thread.is_alive():
            log.error("thread %s still running after shutdown; exiting anyway", thread.name)
            logging.shutdown()
            os._exit(code)


def _run_bot(settings: Settings, role: ProcessRole) -> int:
    """The bot until a signal or a fatal error; a start-up failure is one line naming the key."""
    try:
        code = event_loop.run(run(settings, role))
        _exit_despite_threads(code)
        return code
    except (DatabaseUnusable, StartRefused) as exc:
        print(exc, file=sys.stderr)
        return 1
    except disnake.LoginFailure:
        print("DISCORD_APP_TOKEN: Discord refused the token (401)", file=sys.stderr)
        return 1
    except (aiohttp.ClientError, OSError) as exc:
        print(
            f"DISCORD_API_BASE: cannot reach Discord at {settings.discord.api_base} ({exc})",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 0


def main(argv: list[str] | None = None) -> int:
    """`python bot.py [--check] [--role ROLE] [command]`; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "demo":  # no .env, no config.toml, no data/: nothing of the seller's
        import demo as demo_mode

        return demo_mode.main(exit_after=args.exit)
    if not _load_environment():
        return 1
    role = ROLES[args.role]
    if args.check:
        import shell_commands

        refusal = check_refusal(role)
        if refusal is not None:
            print(f"problem: {refusal}")
            return 1
        return event_loop.run(shell_commands.check())
    settings = _settings_or_exit()
    if args.command is not None:
        return _run_shell_command(args, settings)
    return _run_bot(settings, role)
