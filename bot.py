"""Stockroom's entry point: builds config, database, HTTP session and bot; closes in reverse."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import pkgutil
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import disnake
from disnake.ext import commands
from dotenv import load_dotenv

from models.catalog.sync import sync_catalog
from models.customers.actions import set_wallet_currency
from models.database import close_database, describe_url, open_database
from models.stock.cipher import StockCipher, resolve_stock_keys
from pacing import RestPacer
from settings import ROOT, ConfigError, Settings, load_settings

log = logging.getLogger("stockroom")
COGS = ROOT / "cogs"


class Stockroom(commands.InteractionBot):
    """The bot with the process-wide things the cogs need, and an ordered shutdown."""

    def __init__(self, settings: Settings, cipher: StockCipher, **options) -> None:
        intents = disnake.Intents.none()
        intents.guilds = True
        intents.members = True
        intents.guild_messages = True
        intents.message_content = True
        guild_ids = [settings.discord.guild_id] if settings.discord.guild_id else None
        super().__init__(
            intents=intents,
            test_guilds=guild_ids,
            chunk_guilds_at_startup=False,
            allowed_mentions=disnake.AllowedMentions(everyone=False, roles=False),
            **options,
        )
        self.settings = settings
        self.cipher = cipher
        # Every REST request waits for its route bucket and a global slot, and is counted.
        self.rest_pacer = RestPacer(settings.discord.requests_per_second)
        self.rest_pacer.install(self.http)
        self.http_session: aiohttp.ClientSession | None = None
        self._closers: list[Callable[[], Awaitable[None]]] = []
        self._shutdown = asyncio.Event()  # not `_closed`: disnake.Client uses that bool

    def on_close(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Registers async clean-up; run in reverse order of registration by close()."""
        self._closers.append(closer)

    async def close(self) -> None:
        if self._shutdown.is_set():
            return
        self._shutdown.set()
        for closer in reversed(self._closers):
            try:
                await closer()
            except Exception:
                log.exception(
                    "error while shutting down %s",
                    getattr(closer, "__qualname__", closer),
                )
        await super().close()

    async def wait_closed(self) -> None:
        await self._shutdown.wait()


def extension_names() -> list[str]:
    """The extensions under cogs/: one level of packages and modules, `_` names skipped."""
    return [
        f"cogs.{info.name}"
        for info in sorted(pkgutil.iter_modules([str(COGS)]), key=lambda info: info.name)
        if not info.name.startswith("_")
    ]


def load_cogs(bot: Stockroom) -> None:
    """Loads every extension under cogs/; a failure stops the start with the module named."""
    for name in extension_names():
        try:
            bot.load_extension(name)
        except commands.ExtensionError as exc:
            cause = exc.__cause__ or exc
            raise SystemExit(f"cannot load {name}: {type(cause).__name__}: {cause}") from exc


async def launch(settings: Settings, **bot_options) -> Stockroom:
    """Opens the database, builds the bot, loads cogs and starts connecting in the background."""
    disnake.http.Route.BASE = settings.discord.api_base
    await open_database(settings.database_url)
    try:
        counts = await sync_catalog(settings.products)
        await set_wallet_currency(settings.wallet_currency)
        log.info("database %s ready; catalog %s", describe_url(settings.database_url), counts)
        cipher = StockCipher(resolve_stock_keys(settings.stock_keys, ROOT / "data" / "stock.key"))
        bot = Stockroom(settings, cipher, **bot_options)
    except BaseException:
        await close_database()
        raise
    bot.on_close(close_database)
    bot.http_session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20))
    bot.on_close(bot.http_session.close)
    try:
        load_cogs(bot)
        await bot.login(settings.discord.token)
    except BaseException:
        await bot.close()
        raise
    connection = asyncio.create_task(bot.connect(reconnect=True), name="discord-gateway")

    def _gateway_done(task: asyncio.Task) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("gateway stopped: %s", task.exception())
            bot.loop.create_task(bot.close(), name="close-after-gateway-error")

    connection.add_done_callback(_gateway_done)
    bot.on_close(lambda: _cancel(connection))
    return bot


async def _cancel(task: asyncio.Task) -> None:
    if not task.done():
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def run(settings: Settings) -> int:
    bot = await launch(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: loop.create_task(bot.close(), name="close-on-signal"))
    await bot.wait_closed()
    return 0


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        for line in exc.problems:
            print(f"config error: {line}", file=sys.stderr)
        raise SystemExit(1) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bot.py", description="Stockroom shop bot")
    parser.add_argument("--check", action="store_true", help="validate config and database")
    sub = parser.add_subparsers(dest="command")
    stock = sub.add_parser("stock", help="stock from the shell")
    stock_sub = stock.add_subparsers(dest="stock_command", required=True)
    add = stock_sub.add_parser("add", help="add codes from a file, one per line")
    add.add_argument("product_key")
    add.add_argument("file", type=Path)
    sub.add_parser("rotate-keys", help="re-encrypt every stock code under the newest key")
    args = parser.parse_args(argv)

    # STOCKROOM_ENV_FILE lets tests and packagers point at another secrets file.
    load_dotenv(os.environ.get("STOCKROOM_ENV_FILE") or ROOT / ".env", override=False)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    import shell_commands

    if args.check:
        return asyncio.run(shell_commands.check())
    settings = _settings_or_exit()
    if args.command == "stock":
        return asyncio.run(shell_commands.stock_add(settings, args.product_key, args.file))
    if args.command == "rotate-keys":
        return asyncio.run(shell_commands.rotate_keys(settings))
    try:
        return asyncio.run(run(settings))
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


if __name__ == "__main__":
    sys.exit(main())
