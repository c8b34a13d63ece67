"""The servers of bench/webhook_ingest.py, each in its own process: the real webhook app
(`build_app`, the production runner options, its inbox worker) or a bare aiohttp handler
(the anchor: reads the body, answers JSON).

A child prints its port, serves until its stdin closes, then prints its CPU seconds:

    python bench/ingest_server.py --serve stockroom --database sqlite:///tmp/bench.sqlite3

(bench/webhook_ingest.py --serve KIND does the same.) `Server` starts and stops one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import event_loop

SECRET = "bench-generic-secret"


def _settings(database: str):  # type: ignore[no-untyped-def]
    from settings import ROOT, load_settings

    return load_settings(
        {
            "DISCORD_APP_TOKEN": "bench",
            "GENERIC_WEBHOOK_SECRET": SECRET,
            "DATABASE_URL": database,
            "STOCKROOM_CONFIG": str(ROOT / "config.toml"),
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        }
    )


async def serve(kind: str, database: str) -> None:
    import logging

    import aiohttp
    from aiohttp import web

    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    if kind == "bare":

        async def handler(request: web.Request) -> web.Response:
            await request.read()
            return web.json_response({"received": True, "duplicate": False})

        app = web.Application()
        app.router.add_post("/webhooks/generic", handler)
        http = None
    else:
        from models.catalog.sync import sync_catalog
        from models.database import close_database, open_database
        from webhooks.app import build_app

        settings = _settings(database)
        await open_database(database)
        await sync_catalog(settings.products)
        http = aiohttp.ClientSession()
        # BENCH_STORE_ONLY=1: a `web` process (stores, never processes), to tell the two apart.
        store_only = os.environ.get("BENCH_STORE_ONLY") == "1"
        app = build_app(
            settings, http=http, gateway_ready=lambda: True, process_inbox=not store_only
        )
    from webhooks.app import RUNNER_OPTIONS

    runner = web.AppRunner(app, **RUNNER_OPTIONS)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until told to stop
    cpu = os.times()
    await runner.cleanup()
    if http is not None:
        await http.close()
        await close_database()
    print(f"cpu {cpu.user + cpu.system:.3f}", flush=True)


class Server:
    """A --serve child process and the port it listens on."""

    def __init__(self, kind: str, database: str, profile: str | None = None) -> None:
        command = [sys.executable]
        if profile:
            command += ["-m", "cProfile", "-o", profile]
        command += [__file__, "--serve", kind, "--database", database]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        if not line.strip().isdigit():
            raise SystemExit(f"the {kind} server did not start")
        self.port = int(line)

    def stop(self) -> float:
        """Stops the server; returns its CPU seconds."""
        out, _ = self.process.communicate("", timeout=300)
        cpu = [line for line in out.splitlines() if line.startswith("cpu ")]
        return float(cpu[-1].split()[1]) if cpu else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", choices=("bare", "stockroom"), required=True)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    event_loop.run(serve(args.serve, args.database))  # the bot's loop, for both servers


if __name__ == "__main__":
    main()
