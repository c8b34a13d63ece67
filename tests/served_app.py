"""The webhook app on a real 127.0.0.1 socket, for tests that call it as outsiders would."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web

from models.catalog.sync import sync_catalog
from settings import ROOT, load_settings
from webhooks.app import build_app


@asynccontextmanager
async def served_app(
    environ: dict[str, str], gateway_ready: Callable[[], bool]
) -> AsyncIterator[tuple[int, web.Application]]:
    """(port, app) of build_app for the shipped config plus `environ`; the database is open."""
    settings = load_settings(
        {"DISCORD_APP_TOKEN": "test-token", "STOCKROOM_CONFIG": str(ROOT / "config.toml")} | environ
    )
    await sync_catalog(settings.products)
    async with aiohttp.ClientSession() as http:
        app = build_app(settings, http=http, gateway_ready=gateway_ready)
        runner = web.AppRunner(app)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            yield int(runner.addresses[0][1]), app
        finally:
            await runner.cleanup()
