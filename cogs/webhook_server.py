"""The webhook server cog: runs the aiohttp app of webhooks/ inside the bot's event loop.

What it serves follows the process role (process_roles.py): the provider webhooks and the
API for `all` and `web`, GET /health alone for `gateway` and `worker`. The inbox worker runs
where the role processes the inbox: inside the webhook app for `all`, on its own for
`worker`; a `web` process only stores events.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web
from disnake.ext import commands

from models.inbox.actions import resume_webhook_events
from webhooks.app import INBOX_WORKER, PROCESSORS, RUNNER_OPTIONS, build_app
from webhooks.health import (
    GATEWAY_READY,
    HEALTH_LIMITS,
    WORKER_BEATS,
    HealthLimits,
    WorkerBeat,
    health,
)
from webhooks.inbox_worker import InboxWorker
from webhooks.processing import ProviderContext

if TYPE_CHECKING:
    from bot import Stockroom

log = logging.getLogger(__name__)


class WebhookServer(commands.Cog):
    """Serves the role's HTTP surface on settings.webhook_host:webhook_port."""

    def __init__(self, bot: Stockroom) -> None:
        self.bot = bot
        self.runner: web.AppRunner | None = None
        self._own_inbox: InboxWorker | None = None  # a worker process's, beside no webhooks

    async def cog_load(self) -> None:
        # disnake runs cog_load as a task and cog_unload synchronously, so the async
        # clean-up is handed to the bot's ordered close().
        settings = self.bot.settings
        role = self.bot.role
        if role.serves_webhooks:
            app = build_app(
                settings,
                http=self.bot.http_session,
                gateway_ready=self._gateway_ready,
                worker_beats=self._worker_beats,
                process_inbox=role.processes_inbox,
            )
        else:
            app = self._health_app()
        runner = web.AppRunner(app, **RUNNER_OPTIONS)
        await runner.setup()
        self.runner = runner
        self.bot.on_close(self._stop)
        if role.processes_inbox and not role.serves_webhooks:
            await self._start_own_inbox()
        site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
        try:
            await site.start()
        except OSError as exc:
            log.error(
                "WEBHOOK_PORT: cannot listen on %s:%d (%s); stopping",
                settings.webhook_host,
                settings.webhook_port,
                exc.strerror or exc,
            )
            # Non-zero, so a supervisor restarts or alerts instead of seeing a clean stop.
            self.bot.exit_code = 1
            await self.bot.close()
            return
        what = "webhook server" if role.serves_webhooks else "health endpoint"
        log.info("%s listening on %s:%d", what, settings.webhook_host, self.port)

    def _health_app(self) -> web.Application:
        """GET /health alone, for a process that takes no webhooks (gateway, worker)."""
        app = web.Application()
        app[GATEWAY_READY] = self._gateway_ready
        app[WORKER_BEATS] = self._worker_beats
        app[HEALTH_LIMITS] = HealthLimits()
        app.router.add_get("/health", health)
        return app

    async def _start_own_inbox(self) -> None:
        settings = self.bot.settings
        assert self.bot.http_session is not None
        self._own_inbox = InboxWorker(
            ProviderContext(settings=settings, http=self.bot.http_session), PROCESSORS
        )
        await self._own_inbox.start()

    @property
    def port(self) -> int:
        """The bound port (differs from the setting when it is 0, as in tests)."""
        if self.runner is None or not self.runner.addresses:
            return 0
        return int(self.runner.addresses[0][1])

    @property
    def inbox_worker(self) -> InboxWorker | None:
        """This process's inbox worker (None in a `web` or `gateway` process)."""
        if self._own_inbox is not None:
            return self._own_inbox
        if self.runner is None or not self.bot.role.processes_inbox:
            return None
        return self.runner.app.get(INBOX_WORKER)

    async def resume_inbox(self) -> int:
        """Ends every inbox row's retry wait (e.g. one an admin replays); returns how many rows
        wait to be processed.

        Any process may ask: the rows are in the database, and the workers' re-scan finds them.
        """
        worker = self.inbox_worker
        if worker is not None:
            return await worker.resume()
        return await resume_webhook_events()

    def _gateway_ready(self) -> bool | None:
        """For /health: the gateway's state, or None in a process without it."""
        if not self.bot.role.gateway:
            return None
        ws = self.bot.ws
        return self.bot.is_ready() and not self.bot.is_closed() and ws is not None and ws.open

    def _worker_beats(self) -> dict[str, WorkerBeat]:
        """This process's workers' progress, for /health (the app reports its own inbox)."""
        beats: dict[str, WorkerBeat] = {}
        if self._own_inbox is not None:
            beats["inbox"] = self._own_inbox.beat()
        worker = self.bot.get_cog("DeliveryWorker")
        if worker is not None and worker.claiming:  # type: ignore[attr-defined]
            beats["delivery"] = WorkerBeat(
                last_progress=worker.last_progress,  # type: ignore[attr-defined]
                busy=False,
            )
        return beats

    async def _stop(self) -> None:
        # The inbox stops claiming first and hands back what it holds; then the server.
        inbox, self._own_inbox = self._own_inbox, None
        if inbox is not None:
            await inbox.stop()
        if self.runner is not None:
            runner, self.runner = self.runner, None
            await runner.cleanup()


def setup(bot: Stockroom) -> None:
    bot.add_cog(WebhookServer(bot))
