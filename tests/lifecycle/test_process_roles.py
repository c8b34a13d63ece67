"""Roles on one PostgreSQL: one gateway, web processes and workers share the shop's work.

Orders are posted across two web processes (which only store them); two workers claim the
inbox rows and the delivery jobs. One worker is SIGKILLed while delivering and restarted: its
leased rows and jobs are taken over, and every order is delivered exactly once.
LIFECYCLE_ROLE_ORDERS=1000 for the full figure by hand.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
from pathlib import Path

import aiohttp
import asyncpg
import pytest
from cryptography.fernet import Fernet

from demo.emulator.server import DiscordEmulator
from tests.lifecycle.conftest import STOP_TIMEOUT, BotProcess, add_stock, paid_order, post_webhook
from tests.lifecycle.test_sigkill import deliveries

pytestmark = pytest.mark.postgres

BUYERS = 8
ORDERS = int(os.environ.get("LIFECYCLE_ROLE_ORDERS", "60"))
# The killed worker's jobs are claimable again once their 90 s lease has run out; then the
# rest at a pace a busy 2-core machine keeps.
DELIVERY_WITHIN = 120.0 + ORDERS * 0.5


# One stock key for every process of a test (each BotProcess would otherwise get its own).
STOCK_KEY = Fernet.generate_key().decode()


def _role(make_bot, database_url: str, role: str) -> BotProcess:
    env = {"STOCK_ENCRYPTION_KEYS": STOCK_KEY}
    return make_bot(database_url=database_url, env=env, args=("--role", role))


async def _post_all(webs: list[BotProcess], orders: list[tuple[str, int]]) -> None:
    """Posts every order across the web processes, four at a time, each until answered 2xx."""
    queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
    for order in orders:
        queue.put_nowait(order)

    async def sender(http: aiohttp.ClientSession, web: BotProcess) -> None:
        while not queue.empty():
            order_id, buyer = queue.get_nowait()
            for _ in range(100):
                status, _ = await post_webhook(http, web, paid_order(order_id, buyer))
                if status == 200:
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"{order_id} never acknowledged")

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        await asyncio.gather(*(sender(http, webs[n % len(webs)]) for n in range(4)))


async def _start_all(*bots: BotProcess) -> None:
    # The gateway first: it is the one whose /health needs Discord.
    await bots[0].start()
    await asyncio.gather(*(bot.start() for bot in bots[1:]))


async def _delivery_worker_id(bot: BotProcess) -> str:
    for _ in range(100):
        found = re.search(r"delivery worker (\S+) started", bot.log_text())
        if found:
            return found.group(1)
        await asyncio.sleep(0.1)
    raise AssertionError(f"no delivery worker started\n{bot.log_tail()}")


async def _holds_a_delivery(database_url: str, worker_id: str) -> bool:
    """True once `worker_id` holds a deliver_codes job whose DM is under way."""
    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        for _ in range(1500):
            running = await connection.fetchval(
                "SELECT count(*) FROM job WHERE status = 'running' AND kind = 'deliver_codes' "
                "AND lease_owner = $1",
                worker_id,
            )
            if running:
                return True
            await asyncio.sleep(0.02)
        return False
    finally:
        await connection.close()


async def test_gateway_web_and_two_workers_deliver_every_order_once_despite_a_sigkill(
    make_bot, emulator: DiscordEmulator, scratch_postgres: str, tmp_path: Path
) -> None:
    buyers = [emulator.world.add_user(f"buyer{n}").id for n in range(BUYERS)]
    orders = [(f"role-{n}", buyers[n % BUYERS]) for n in range(ORDERS)]
    gateway = _role(make_bot, scratch_postgres, "gateway")
    webs = [_role(make_bot, scratch_postgres, "web") for _ in range(2)]
    doomed = _role(make_bot, scratch_postgres, "worker")
    survivor = _role(make_bot, scratch_postgres, "worker")
    await add_stock(gateway, "game-key", [f"KILL-{n:05d}" for n in range(ORDERS)], tmp_path)
    await _start_all(gateway, *webs, doomed, survivor)
    doomed_id = await _delivery_worker_id(doomed)
    # Each DM takes a while, so the doomed worker is killed with a DM under way.
    emulator.faults.delay("POST", "/channels/{channel_id}/messages", 0.3)

    feeder = asyncio.create_task(_post_all(webs, orders))
    assert await _holds_a_delivery(scratch_postgres, doomed_id), doomed.log_tail()
    await doomed.kill()  # SIGKILL: its leased jobs and rows are left behind
    delivered_at_kill = len(deliveries(emulator, buyers)[0])
    await asyncio.wait_for(feeder, 120)
    assert delivered_at_kill < ORDERS, "everything was delivered before the kill"
    emulator.faults.clear()
    await doomed.start()  # restarted: a new worker, which must not redo the dead one's work

    await emulator.wait_until(
        lambda: len(deliveries(emulator, buyers)[0]) == ORDERS,
        "every order's DM",
        within=DELIVERY_WITHIN,
    )
    per_order, orders_of_code = deliveries(emulator, buyers)
    assert sorted(per_order.values()) == [1] * ORDERS  # no DM sent twice
    assert len(orders_of_code) == ORDERS  # every code sold ...
    assert [code for code, numbers in orders_of_code.items() if len(numbers) > 1] == []  # once
    assert "done: order" in survivor.log_text()

    # The web processes stored and answered; they processed nothing and called no Discord.
    for web in webs:
        web_log = web.log_text()
        assert "stored generic event(s)" in web_log
        assert "inbox worker" not in web_log and "delivery worker" not in web_log
        assert "logging in using static token" not in web_log
    # One gateway session for the whole run, so no interaction or event is handled twice.
    assert len(emulator.gateway.connections) == 1
    # Periodic work ran in one process: reconciliation in the gateway, once; one sweeper.
    logs = [bot.log_text() for bot in (gateway, *webs, doomed, survivor)]
    assert sum(text.count("start-up role reconciliation:") for text in logs) == 1
    assert sum(text.count("now leads expiry-sweep") for text in logs) == 1

    for process in (doomed, survivor, *webs, gateway):
        assert await process.stop(signal.SIGTERM) == 0
        assert process.exits[-1][1] < STOP_TIMEOUT
        assert "Traceback" not in process.log_text(), process.log_tail()


async def test_each_role_drains_on_sigterm_and_hands_its_work_back(
    make_bot, emulator: DiscordEmulator, scratch_postgres: str, tmp_path: Path
) -> None:
    buyer = emulator.world.alice.id
    count = 20
    gateway = _role(make_bot, scratch_postgres, "gateway")
    web = _role(make_bot, scratch_postgres, "web")
    worker = _role(make_bot, scratch_postgres, "worker")
    await add_stock(gateway, "game-key", [f"TERM-{n:05d}" for n in range(count)], tmp_path)
    await _start_all(gateway, web, worker)
    # Every role answers /health; only the gateway's speaks of the gateway.
    assert (await gateway.wait_for_health(200))["gateway"] == "connected"
    assert (await web.wait_for_health(200))["gateway"] == "not in this process"
    worker_health = await worker.wait_for_health(200)
    assert worker_health["gateway"] == "not in this process"
    assert set(worker_health["workers"]) == {"inbox", "delivery"}
    emulator.faults.delay("POST", "/channels/{channel_id}/messages", 0.4)
    await _post_all([web], [(f"term-{n}", buyer) for n in range(count)])
    await emulator.wait_until(lambda: deliveries(emulator, [buyer])[0], "a first DM", within=60)

    assert await worker.stop(signal.SIGTERM) == 0  # mid-delivery
    assert worker.exits[-1][1] < STOP_TIMEOUT
    assert "Traceback" not in worker.log_text(), worker.log_tail()
    assert len(deliveries(emulator, [buyer])[0]) < count, "all delivered before the signal"

    # What the worker held was handed back, not left to a lease: the next one starts at once.
    emulator.faults.clear()
    replacement = _role(make_bot, scratch_postgres, "worker")
    await replacement.start()
    await emulator.wait_until(
        lambda: len(deliveries(emulator, [buyer])[0]) == count, "every DM", within=40
    )
    assert sorted(deliveries(emulator, [buyer])[0].values()) == [1] * count
    for process in (replacement, web, gateway):
        assert await process.stop(signal.SIGTERM) == 0
        assert process.exits[-1][1] < STOP_TIMEOUT
        assert "Traceback" not in process.log_text(), process.log_tail()
