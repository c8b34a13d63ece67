"""The webhook app alone in a process (no Discord), for the crash test: python -m ...serve_app.

Prints "listening <port>" once serving, then "idle" once rows left by an earlier run are
processed; runs until killed.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from aiohttp import web

from models.catalog.sync import sync_catalog
from models.database import open_database
from settings import load_settings
from webhooks.app import INBOX_WORKER, build_app


async def serve() -> None:
    settings = load_settings()
    await open_database(settings.database_url)
    await sync_catalog(settings.products)
    async with aiohttp.ClientSession() as http:
        app = build_app(settings, http=http, gateway_ready=lambda: False)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        print(f"listening {runner.addresses[0][1]}", flush=True)
        await app[INBOX_WORKER].idle()
        print("idle", flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(serve())
