"""The webhook server cog: runs the aiohttp app of webhooks/ inside the bot's event loop."""

from __future__ import annotations

import logging

from aiohttp import web
from disnake.ext import commands

from webhooks.app import INBOX_WORKER, RUNNER_OPTIONS, build_app
from webhooks.health import WorkerBeat

log = logging.getLogger(__name__)


class WebhookServer(commands.Cog):
    """Serves provider callbacks and the admin API on settings.webhook_host:webhook_port."""

    def __init__(self, bot: commands.InteractionBot) -> None:
        self.bot = bot
        self.runner: web.AppRunner | None = None

    async def cog_load(self) -> None:
        # disnake runs cog_load as a task and cog_unload synchronously, so the async
        # clean-up is handed to the bot's ordered close().
        settings = self.bot.settings
        app = build_app(
            settings,
            http=self.bot.http_session,
            gateway_ready=self._gateway_ready,
            worker_beats=self._worker_beats,
        )
        runner = web.AppRunner(app, **RUNNER_OPTIONS)
        await runner.setup()
        self.runner = runner
        self.bot.on_close(self._stop)
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
        log.info("webhook server listening on %s:%d", settings.webhook_host, self.port)

    @property
    def port(self) -> int:
        """The bound port (differs from the setting when it is 0, as in tests)."""
        if self.runner is None or not self.runner.addresses:
            return 0
        return int(self.runner.addresses[0][1])

    async def resume_inbox(self) -> int:
        """Queues every inbox row marked received (e.g. one an admin replays); returns how many."""
        if self.runner is None:
            return 0
        return await self.runner.app[INBOX_WORKER].resume()

    def _gateway_ready(self) -> bool:
        ws = self.bot.ws
        return self.bot.is_ready() and not self.bot.is_closed() and ws is not None and ws.open

    def _worker_beats(self) -> dict[str, WorkerBeat]:
        """The delivery worker's progress, for /health (the inbox worker is the app's own)."""
        worker = self.bot.get_cog("DeliveryWorker")
        if worker is None or not worker.claiming:
            return {}
        return {"delivery": WorkerBeat(last_progress=worker.last_progress, busy=False)}

    async def _stop(self) -> None:
        if self.runner is not None:
            runner, self.runner = self.runner, None
            await runner.cleanup()


def setup(bot: commands.InteractionBot) -> None:
    bot.add_cog(WebhookServer(bot))
