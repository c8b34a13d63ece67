"""Benchmark: the bot's resident memory with 100k codes and 100k orders, after it is used.

Builds the databases of bench/startup.py (an empty one, the anchor, and one holding N codes
and N orders), starts the real `python bot.py` as a subprocess against the project's Discord
emulator (in this process, on 127.0.0.1) and, once start-up reconciliation is done, uses it
the way a seller and customers would: the shop panel posted and browsed (shop, product,
package, My orders, wallet), /admin vieworders (first pages, a late page, a status filter),
/admin botstats and /admin viewstock. It reads the bot's VmRSS after start, after each step
and at the end (VmHWM: the peak), for both databases in the same run.

Run by hand: python bench/memory.py --codes 100000 --orders 100000
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bot_process import peak_mb, rss_mb, running_bot
from bench.startup import shop_databases
from demo.emulator.server import DiscordEmulator

WITHIN = 60.0


async def use_the_shop(emulator: DiscordEmulator) -> list[tuple[str, float]]:
    """Browses and administers as people would; (step, seconds) for each."""
    world = emulator.world
    steps: list[tuple[str, float]] = []

    async def step(name: str, action) -> object:  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        result = await action
        steps.append((name, time.perf_counter() - began))
        return result

    async def slash(command: str, **options: object):  # type: ignore[no-untyped-def]
        ix = await emulator.slash(world.admin, command, **options)
        return await emulator.reply(ix, within=WITHIN)

    ix = await emulator.slash(world.admin, "admin panel", channel=world.shop_channel)
    await step("admin panel", emulator.reply(ix, within=WITHIN))
    panel = next(m for m in world.messages.values() if "panel:shop" in m.custom_ids())
    for who in ("alice", "bob", "carol"):
        shop = await step(
            "shop", emulator.reply(await emulator.click(who, panel, "panel:shop"), within=WITHIN)
        )
        await step(
            "product",
            emulator.reply(
                await emulator.select(who, shop, "shop:product", ["game-key"]), within=WITHIN
            ),
        )
        await step(
            "my orders",
            emulator.reply(await emulator.click(who, panel, "panel:orders"), within=WITHIN),
        )
        await step(
            "wallet",
            emulator.reply(await emulator.click(who, panel, "panel:wallet"), within=WITHIN),
        )
    for page in (1, 2, 3, 500, 9000):
        await step(f"vieworders page {page}", slash("admin vieworders", page=page))
    await step("vieworders delivered", slash("admin vieworders", status="delivered"))
    await step("botstats", slash("admin botstats"))
    await step("viewstock", slash("admin viewstock"))
    return steps


def _started(log: str) -> bool:
    """Ready (the delivery worker started) and start-up role reconciliation done."""
    return "start-up role reconciliation:" in log and bool(
        re.search(r"delivery worker \S+ started", log)
    )


async def measure(emulator: DiscordEmulator, database: Path) -> dict[str, float]:
    result: dict[str, float] = {}
    async with running_bot(emulator, database) as bot:
        await bot.wait_for_log(_started, "the bot did not start", poll=0.05)
        await asyncio.sleep(1)
        result["started_rss_mb"] = rss_mb(bot.process.pid)
        steps = await use_the_shop(emulator)
        await asyncio.sleep(1)
        result["used_rss_mb"] = rss_mb(bot.process.pid)
        result["peak_rss_mb"] = peak_mb(bot.process.pid)
        result["slowest_step_s"] = max(seconds for _, seconds in steps)
        result["slowest_step"] = max(steps, key=lambda s: s[1])[0]  # type: ignore[assignment]
    return result


async def main(codes: int, orders: int) -> None:
    async with shop_databases(codes, orders) as (emulator, empty, large, _):
        anchor = await measure(emulator, empty)
        shop = await measure(emulator, large)
    print(f"{codes:,} codes and {orders:,} orders; the empty database is the anchor")
    print("                      empty (anchor)   large     ratio")
    for key, label in (
        ("started_rss_mb", "RSS after start MB"),
        ("used_rss_mb", "RSS after use MB"),
        ("peak_rss_mb", "peak RSS MB"),
        ("slowest_step_s", "slowest step s"),
    ):
        print(f"  {label:20} {anchor[key]:9.2f} {shop[key]:9.2f} {shop[key] / anchor[key]:8.2f}x")
    print(f"  slowest step: {anchor['slowest_step']} (empty), {shop['slowest_step']} (large)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    asyncio.run(main(args.codes, args.orders))
