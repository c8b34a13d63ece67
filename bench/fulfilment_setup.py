"""Set-up for bench/fulfilment.py: the emulator's buyers and delivery count, the bot's
codes and process, and the anchor (a bare client measuring the emulator's own ceiling).

The anchor's client runs in a subprocess: `python bench/fulfilment_setup.py --ceiling-client
SPEC` (bench/fulfilment.py also accepts that flag).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp

from bench.fulfilment_ratelimit import ROOT, add_buyers, until_delivered_and_quiet
from demo.emulator.server import DiscordEmulator
from demo.emulator.state import ChannelType
from models.stock.restock import MAX_LINES

PRODUCT = "starter-bundle"
UNLIMITED = 10**9
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Ceiling:
    orders_per_s: float
    requests_per_s: float
    requests_per_order: int


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def delivered_count(emulator: DiscordEmulator, buyers: set[int]) -> int:
    """Orders whose DM reached Discord, capped by the buyers who hold the Customer role."""
    world = emulator.world
    dm_channels = {c.id for c in world.dm_channels.values() if c.type == ChannelType.DM}
    dms = sum(1 for m in list(world.messages.values()) if m.channel_id in dm_channels)
    role = world.customer_role.id
    if all(role in world.guild.members[b].roles for b in buyers):
        return dms
    return 0


# The run ends once every order is delivered and no request came for this long: longer than
# the feed's pause between rounds (1 s), or a run would end, uncounted, with feed entries
# still queued (runs ended so with 66-73 feed messages of 80 and looked faster).
QUIET_SECONDS = 3.0


async def wait_delivered(
    emulator: DiscordEmulator,
    buyers: set[int],
    orders: int,
    within: float,
    quiet: float = QUIET_SECONDS,
) -> tuple[int, float]:
    """(orders delivered, perf_counter of the last Discord request once all were delivered)."""
    return await until_delivered_and_quiet(
        emulator, lambda: delivered_count(emulator, buyers), orders, within, quiet, 0.2
    )


async def start_bot(
    env: dict[str, str], log_path: Path, profile: str
) -> asyncio.subprocess.Process:
    """`python bot.py` (under cProfile into `profile` if given), once /health answers."""
    command = [sys.executable]
    if profile:
        command += ["-m", "cProfile", "-o", profile]
    log = log_path.open("wb")
    child = await asyncio.create_subprocess_exec(
        *command, str(ROOT / "bot.py"), env=env, stdout=log, stderr=log, cwd=ROOT
    )
    url = f"http://127.0.0.1:{env['WEBHOOK_PORT']}/health"
    async with aiohttp.ClientSession() as http:
        for _ in range(300):  # up to 30 s
            if child.returncode is not None:
                raise SystemExit(f"the bot exited with {child.returncode}; see {log_path}")
            try:
                async with http.get(url) as answer:
                    if answer.status == 200:
                        return child
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    child.kill()
    raise SystemExit(f"the bot was not healthy within 30 s; see {log_path}")


def import_codes(env: dict[str, str], count: int, tmp: Path) -> float:
    """Seconds `bot.py stock add` takes for `count` codes (files of at most MAX_LINES each)."""
    seconds = 0.0
    for first in range(0, count, MAX_LINES):
        codes = tmp / f"codes-{first}.txt"
        codes.write_text(
            "".join(
                f"BENCH-{n:08d}-{os.urandom(4).hex()}\n"
                for n in range(first, min(count, first + MAX_LINES))
            )
        )
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(ROOT / "bot.py"), "stock", "add", PRODUCT, str(codes)],
            env={**env, "LOG_LEVEL": "WARNING"},
            capture_output=True,
            text=True,
            timeout=600,
            cwd=ROOT,
        )
        seconds += time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"stock add failed: {done.stderr.strip()[-2000:]}")
    return seconds


async def sell_oldest(database: str, count: int) -> None:
    """Marks the oldest `count` codes delivered (a shop's history), then gathers statistics."""
    from tortoise import Tortoise

    from models.database import close_database, open_database

    await open_database(database)
    try:
        connection = Tortoise.get_connection("default")
        await connection.execute_script(
            "UPDATE stock_item SET status = 'delivered' WHERE id IN "
            f"(SELECT id FROM stock_item ORDER BY id LIMIT {int(count)}); ANALYZE"
        )
    finally:
        await close_database()


# -- the anchor: the emulator's own ceiling ---------------------------------------------------


def order_requests(
    world_ids: dict[str, str], buyer: str, n: int
) -> list[tuple[str, str, dict | None]]:
    """What an order costs the bot on Discord: open DM, DM, role, two feed embeds."""
    embed = {
        "title": f"Order SR-BENCH{n:05d}",
        "description": "```\nBENCH-00000000-00000000\n```",
        "color": 0x2ECC71,
        "fields": [{"name": "Product", "value": "Starter bundle", "inline": True}],
    }
    feed = f"/channels/{world_ids['feed']}/messages"
    role = f"/guilds/{world_ids['guild']}/members/{buyer}/roles/{world_ids['role']}"
    return [
        ("POST", "/users/@me/channels", {"recipient_id": buyer}),
        (
            "POST",
            "/channels/{dm}/messages",
            {"embeds": [embed], "nonce": f"job-{n}", "enforce_nonce": True},
        ),
        ("PUT", role, None),
        ("POST", feed, {"embeds": [embed]}),
        ("POST", feed, {"embeds": [embed]}),
    ]


async def ceiling_client(spec: dict) -> None:
    """Runs in a subprocess: every order's requests in sequence, `concurrency` orders at once."""
    base, token, buyers = spec["api_base"], spec["token"], spec["buyers"]
    headers = {"Authorization": f"Bot {token}"}
    gate = asyncio.Semaphore(spec["concurrency"])
    sent = 0

    async def order(http: aiohttp.ClientSession, n: int, buyer: str) -> None:
        nonlocal sent
        async with gate:
            dm = ""
            for method, path, body in order_requests(spec["ids"], buyer, n):
                path = path.replace("{dm}", dm)
                async with http.request(method, base + path, json=body, headers=headers) as r:
                    if r.status >= 300:
                        raise SystemExit(f"{method} {path}: {r.status} {await r.text()}")
                    if path == "/users/@me/channels":
                        dm = (await r.json())["id"]
                    else:
                        await r.read()
                sent += 1

    connector = aiohttp.TCPConnector(limit=spec["concurrency"])
    async with aiohttp.ClientSession(connector=connector) as http:
        started = time.perf_counter()
        await asyncio.gather(*(order(http, n, b) for n, b in enumerate(buyers)))
        seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "requests": sent, "orders": len(buyers)}))


async def measure_ceiling(args: argparse.Namespace, orders: int) -> Ceiling:
    emulator = DiscordEmulator()
    emulator.faults.global_limit = UNLIMITED
    emulator.faults.route_limit = (UNLIMITED, 1.0)
    await emulator.start()
    try:
        world = emulator.world
        spec = {
            "api_base": emulator.api_base,
            "token": world.token,
            "concurrency": args.concurrency,
            "buyers": [str(b) for b in add_buyers(emulator, orders)],
            "ids": {
                "guild": str(world.guild.id),
                "feed": str(world.orders_channel.id),
                "role": str(world.customer_role.id),
            },
        }
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--ceiling-client",
            json.dumps(spec),
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await child.communicate()
        if child.returncode != 0:
            raise SystemExit(f"the ceiling client failed ({child.returncode})")
    finally:
        await emulator.stop()
    found = json.loads(out.decode().strip().splitlines()[-1])
    per_order = found["requests"] // found["orders"]
    return Ceiling(
        found["orders"] / found["seconds"], found["requests"] / found["seconds"], per_order
    )


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--ceiling-client":
        raise SystemExit("usage: fulfilment_setup.py --ceiling-client SPEC")
    asyncio.run(ceiling_client(json.loads(sys.argv[2])))
