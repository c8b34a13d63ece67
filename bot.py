"""Stockroom's bot: builds the database, HTTP session and bot, runs it; closes in reverse.

`python bot.py` is the entry point; its command line (arguments, .env, logging, the shell
commands) is cli.py.

`--role` picks the part of the shop this process runs (process_roles.py): `all` (default),
or one of `gateway`, `web`, `worker` when several processes share a PostgreSQL database.
"""

from __future__ import annotations

import sys

if sys.version_info < (3, 11):  # before any import that needs 3.11, so this is the one line
    sys.exit(f"Stockroom needs Python 3.11 or newer; this is Python {sys.version.split()[0]}")

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable

import aiohttp
import disnake
from disnake.ext import commands

import event_loop
from models.catalog.sync import sync_catalog
from models.customers.actions import set_wallet_currency
from models.database import close_database, describe_url
from models.database_checks import open_usable_database
from models.leadership import one_start_at_a_time
from models.stock.cipher import StockCipher, resolve_stock_keys
from pacing import RestPacer
from process_roles import ALL, ProcessRole, extension_names, role_refusal
from settings import ROOT, Settings
from webhooks.app import port_problem

log = logging.getLogger("stockroom")
# SIGTERM to exit: the delivery worker's grace (5 s) and the rest must fit in 10 s.
CLOSE_BUDGET_SECONDS = 8.0
MIN_CLOSER_SECONDS = 1.0
# Gateway close codes Discord documents as "do not reconnect", in words for the log.
FATAL_GATEWAY_CODES = {
    4004: "authentication failed: DISCORD_APP_TOKEN is wrong or was reset",
    4010: "invalid shard",
    4011: "sharding required",
    4012: "invalid API version",
    4013: "invalid intents",
    4014: "disallowed intents: enable Server Members and Message Content in the Developer Portal",
}


class StartRefused(Exception):
    """A setting the start cannot go on with; str() is the one line naming it."""


class Stockroom(commands.InteractionBot):
    """The bot with the process-wide things the cogs need, and an ordered shutdown."""

    def __init__(
        self, settings: Settings, cipher: StockCipher, *, role: ProcessRole = ALL, **options
    ) -> None:
        intents = disnake.Intents.none()
        intents.guilds = True
        intents.members = True
        intents.guild_messages = True
        intents.message_content = True
        guild_ids = [settings.discord.guild_id] if settings.discord.guild_id else None
        # A shop never joins voice: disnake's "PyNaCl is not installed" warning is only noise.
        disnake.VoiceClient.warn_nacl = disnake.VoiceClient.warn_dave = False
        # READY is dispatched once no GUILD_CREATE has come for guild_ready_timeout. A shop
        # serves one guild, whose GUILD_CREATE follows READY at once: disnake's 2 s default
        # was most of the start-up time (bench/startup.py); a late guild is still handled.
        options.setdefault("guild_ready_timeout", 0.5)
        super().__init__(
            intents=intents,
            test_guilds=guild_ids,
            chunk_guilds_at_startup=False,
            allowed_mentions=disnake.AllowedMentions(everyone=False, roles=False),
            **options,
        )
        self.settings = settings
        self.cipher = cipher
        self.role = role
        # Set once Discord's REST API accepted the token; a process without the gateway
        # starts its work then (it never sees READY).
        self.rest_ready = asyncio.Event()
        # Every REST request waits for its route bucket and a global slot, and is counted.
        self.rest_pacer = RestPacer(settings.discord.requests_per_second)
        self.rest_pacer.install(self.http)
        self.http_session: aiohttp.ClientSession | None = None
        self._closers: list[Callable[[], Awaitable[None]]] = []
        # The one run of the closers; later close() calls wait for it. Not `_closed`:
        # disnake.Client uses that bool.
        self._closing: asyncio.Task[None] | None = None
        self._closing_caller: asyncio.Task | None = None
        self._shut = asyncio.Event()  # set once every closer has run
        self.gateway_task: asyncio.Task[None] | None = None
        self.exit_code = 0

    def on_close(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Registers async clean-up; run in reverse order of registration by close()."""
        self._closers.append(closer)

    async def close(self) -> None:
        """Runs the closers once, in reverse order, then disnake's close; waits until done.

        The closers run in a task of their own: a caller that is itself cancelled by a
        closer (the gateway task calls close() on a fatal error) does not cut them short.
        """
        await asyncio.shield(self.request_close(asyncio.current_task()))

    def request_close(self, caller: asyncio.Task | None = None) -> asyncio.Task[None]:
        """Starts closing (from a signal handler or callback); the task doing it is returned."""
        if self._closing is None:
            self._closing_caller = caller
            self._closing = asyncio.create_task(self._run_closers(), name="stockroom-close")
        return self._closing

    def closing_called_from(self, task: asyncio.Task | None) -> bool:
        """True when `task` started the close (so a closer must not wait for it)."""
        return task is not None and task is self._closing_caller

    async def _run_closers(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CLOSE_BUDGET_SECONDS
        try:
            for closer in reversed(self._closers):
                name = getattr(closer, "__qualname__", repr(closer))
                # Every closer gets a slice even when earlier ones used the budget up: the
                # last one closes the database, whose worker thread keeps the process alive.
                budget = max(deadline - loop.time(), MIN_CLOSER_SECONDS)
                try:
                    await asyncio.wait_for(closer(), budget)
                except TimeoutError:
                    log.error("shutting down %s took over %.1f s; moving on", name, budget)
                except Exception:
                    log.exception("error while shutting down %s", name)
            await super().close()
        finally:
            self._shut.set()

    async def wait_until_ready(self) -> None:
        """READY on the gateway; without one (worker, web), the REST login."""
        if self.role.gateway:
            await super().wait_until_ready()
        else:
            await self.rest_ready.wait()

    async def on_ready(self) -> None:
        """One start-up line: who the bot is, which server, what it serves; then ready."""
        guild_id = self.settings.discord.guild_id
        guild = self.get_guild(guild_id) if guild_id else None
        where = f"{guild.name} ({guild.id})" if guild else f"GUILD_ID {guild_id} (not visible yet)"
        log.info(
            "ready: logged in as %s (%s) in %s; role %s; %s on %s:%d; %s",
            self.user,
            self.user.id if self.user else "?",
            where if guild_id else "no GUILD_ID set",
            self.role.name,
            "webhooks" if self.role.serves_webhooks else "health",
            self.settings.webhook_host,
            self.settings.webhook_port,
            event_loop.describe(),
        )

    async def wait_closed(self) -> None:
        """Returns once close() has run every closer (not merely once it began)."""
        await self._shut.wait()


def load_cogs(bot: Stockroom) -> None:
    """Loads the role's extensions under cogs/; a failure stops the start with the module named."""
    for name in extension_names(bot.role):
        try:
            bot.load_extension(name)
        except commands.ExtensionError as exc:
            cause = exc.__cause__ or exc
            raise SystemExit(f"cannot load {name}: {type(cause).__name__}: {cause}") from exc


async def launch(settings: Settings, *, role: ProcessRole = ALL, **bot_options) -> Stockroom:
    """Opens the database, builds the bot, loads the role's cogs and, for a role with the
    gateway, starts connecting in the background."""
    disnake.http.Route.BASE = settings.discord.api_base
    problem = role_refusal(role, settings.database_url) or port_problem(
        settings.webhook_host, settings.webhook_port
    )
    if problem is not None:
        raise StartRefused(problem)
    # Processes starting together migrate, sync the catalog and (sharing data/) write the
    # generated stock key one after another.
    async with one_start_at_a_time(settings.database_url):
        await open_usable_database(settings.database_url)
        try:
            counts = await sync_catalog(settings.products)
            await set_wallet_currency(settings.wallet_currency)
            log.info("database %s ready; catalog %s", describe_url(settings.database_url), counts)
            keys = resolve_stock_keys(settings.stock_keys, ROOT / "data" / "stock.key")
            bot = Stockroom(settings, StockCipher(keys), role=role, **bot_options)
        except BaseException:
            await close_database()
            raise
    bot.on_close(close_database)
    bot.http_session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20))
    bot.on_close(bot.http_session.close)
    try:
        load_cogs(bot)
        if role.rest:
            await bot.login(settings.discord.token)
    except BaseException:
        await bot.close()
        raise
    bot.rest_ready.set()
    if not role.gateway:
        log.info(
            "ready: role %s%s; %s on %s:%d; %s",
            role.name,
            f" (Discord REST as {bot.user})" if role.rest else " (no Discord connection)",
            "webhooks" if role.serves_webhooks else "health",
            settings.webhook_host,
            settings.webhook_port,
            event_loop.describe(),
        )
        return bot
    bot.gateway_task = asyncio.create_task(bot.connect(reconnect=True), name="discord-gateway")
    bot.gateway_task.add_done_callback(lambda task: _gateway_done(bot, task))
    bot.on_close(lambda: _stop_gateway(bot))
    return bot


def describe_gateway_failure(exc: BaseException) -> str:
    """One readable line for a gateway that stopped for good (no traceback for known codes)."""
    code = (
        4014 if isinstance(exc, disnake.PrivilegedIntentsRequired) else getattr(exc, "code", None)
    )
    if code in FATAL_GATEWAY_CODES:
        return f"Discord closed the gateway with {code}: {FATAL_GATEWAY_CODES[code]}"
    return f"the Discord gateway connection stopped: {type(exc).__name__}: {exc}"


def _gateway_done(bot: Stockroom, task: asyncio.Task) -> None:
    """The gateway task ended: unless we are closing already, that ends the process."""
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        bot.exit_code = 1
        log.error("%s; stopping", describe_gateway_failure(exc))
    elif not bot.is_closed():
        log.warning("the Discord gateway connection ended; stopping")
    bot.request_close()


async def _stop_gateway(bot: Stockroom) -> None:
    task = bot.gateway_task
    # On a fatal close code disnake's connect() itself calls close(): waiting for that task
    # here would wait for ever, and cancelling it would lose the error and the exit code.
    if task is None or task.done() or bot.closing_called_from(task):
        return
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def run(settings: Settings, role: ProcessRole = ALL) -> int:
    """Runs the bot until a signal or a fatal gateway error; returns the exit code."""
    bot = await launch(settings, role=role)
    loop = asyncio.get_running_loop()

    def _on_signal(name: str) -> None:
        log.info("%s received: stopping", name)
        bot.request_close()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, _on_signal, sig.name)
    await bot.wait_closed()
    if bot.gateway_task is not None:
        # After a fatal close code the task raises only once close() returned to it.
        await asyncio.wait({bot.gateway_task}, timeout=MIN_CLOSER_SECONDS)
    log.info("stopped (exit code %d)", bot.exit_code)
    return bot.exit_code


if __name__ == "__main__":
    import cli  # here, not at the top: cli imports run() from this module

    sys.exit(cli.main())
