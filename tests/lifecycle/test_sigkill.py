"""SIGKILL, again and again, while orders pour in: after the last restart all are delivered."""

from __future__ import annotations

import asyncio
import os
import re
import signal
from collections import Counter, defaultdict
from pathlib import Path

import aiohttp

from demo.emulator.server import DiscordEmulator
from tests.lifecycle.conftest import BotProcess, add_stock, paid_order, post_webhook

KILLS = 5
BUYERS = 20  # DMs spread over several channels, as real buyers are
# LIFECYCLE_ORDERS=1000 for the full figure by hand; fewer keeps the suite's run short.
ORDERS = int(os.environ.get("LIFECYCLE_ORDERS", "300"))
# A job leased by a killed process is claimable again when its 90 s lease runs out.
DELIVERY_WITHIN = 150.0
_CODE = re.compile(r"KILL-\d{5}")


async def feed(
    bot: BotProcess, orders: list[tuple[str, int]], acked: list[str], progress: asyncio.Event
) -> None:
    """Eight senders post every order until it is answered 2xx, like a provider retrying."""
    queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
    for order in orders:
        queue.put_nowait(order)

    async def sender(http: aiohttp.ClientSession) -> None:
        while not queue.empty():
            order_id, buyer = queue.get_nowait()
            for _ in range(600):
                status, _ = await post_webhook(http, bot, paid_order(order_id, buyer))
                if 200 <= status < 300:
                    acked.append(order_id)
                    progress.set()
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"{order_id} never acknowledged")

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        await asyncio.gather(*(sender(http) for _ in range(8)))


def deliveries(emulator: DiscordEmulator, buyers: list[int]) -> tuple[Counter[str], dict]:
    """(DMs per order number, order numbers per code) over every buyer's DMs."""
    per_order: Counter[str] = Counter()
    orders_of_code: dict[str, set[str]] = defaultdict(set)
    for buyer in buyers:
        for message in emulator.world.dms_to(buyer):
            title = message.embeds[0].get("title", "") if message.embeds else ""
            if not title.startswith("Your order "):
                continue
            number = title.removeprefix("Your order ")
            per_order[number] += 1
            for code in _CODE.findall(message.embeds[0].get("description", "")):
                orders_of_code[code].add(number)
    return per_order, orders_of_code


async def test_sigkill_five_times_while_orders_arrive(
    make_bot, emulator: DiscordEmulator, tmp_path: Path
) -> None:
    buyers = [emulator.world.add_user(f"buyer{n}").id for n in range(BUYERS)]
    orders = [(f"kill-{n}", buyers[n % BUYERS]) for n in range(ORDERS)]
    bot = make_bot()
    await add_stock(bot, "game-key", [f"KILL-{n:05d}" for n in range(ORDERS)], tmp_path)
    await bot.start()
    acked: list[str] = []
    progress = asyncio.Event()
    feeder = asyncio.create_task(feed(bot, orders, acked, progress))
    for kill in range(1, KILLS + 1):
        while len(acked) < kill * ORDERS // (KILLS + 1) and not feeder.done():
            progress.clear()
            await asyncio.wait_for(progress.wait(), 60)
        assert bot.process is not None
        bot.process.send_signal(signal.SIGKILL)
        await bot.kill()
        await bot.start()
    await asyncio.wait_for(feeder, 120)
    assert sorted(set(acked)) == sorted(order_id for order_id, _ in orders)

    await emulator.wait_until(
        lambda: len(deliveries(emulator, buyers)[0]) == ORDERS,
        "every order's DM",
        within=DELIVERY_WITHIN,
    )
    assert await bot.stop(signal.SIGTERM) == 0
    per_order, orders_of_code = deliveries(emulator, buyers)
    assert len(per_order) == ORDERS
    assert len(orders_of_code) == ORDERS  # every code sold, each to one order only
    assert [code for code, numbers in orders_of_code.items() if len(numbers) > 1] == []
    duplicates = sum(times - 1 for times in per_order.values())
    print(f"SIGKILL x{KILLS}, {ORDERS} orders: {duplicates} duplicate DM(s)")
    # A DM sent just before a kill, its job not yet marked done, is sent again on restart:
    # the enforced nonce keyed by the job makes Discord answer with the first message.
    assert duplicates == 0, f"{duplicates} duplicate DM(s) after {KILLS} kills"
