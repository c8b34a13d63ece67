"""The running bot rides out PostgreSQL outages: nothing acknowledged is lost, no restart."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import aiohttp
import pytest

from demo.emulator.server import DiscordEmulator
from tests.lifecycle.conftest import (
    BotProcess,
    add_stock,
    allow_connections,
    paid_order,
    post_webhook,
    terminate_backends,
)
from tests.lifecycle.test_signals import order_dms

pytestmark = pytest.mark.postgres

ORDERS = 40


async def feed_until_acknowledged(bot: BotProcess, count: int, buyer: int) -> dict[int, int]:
    """Posts each order until it is answered 2xx (as a provider retries); counts the answers."""
    answers: dict[int, int] = {}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:
        for n in range(count):
            for _ in range(200):
                status, _ = await post_webhook(http, bot, paid_order(f"pg-{n}", buyer))
                answers[status] = answers.get(status, 0) + 1
                if 200 <= status < 300:
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"order pg-{n} was never acknowledged: {answers}")
            await asyncio.sleep(0.05)
    return answers


def troubles(bot: BotProcess) -> str:
    """The bot's last warnings and errors, to say where delivery stopped."""
    lines = [
        line for line in bot.log_text().splitlines() if " WARNING " in line or " ERROR " in line
    ]
    return "\n".join(lines[-30:])


async def test_backends_terminated_and_database_away_then_back(
    make_bot, emulator: DiscordEmulator, scratch_postgres: str, tmp_path: Path
) -> None:
    bot = make_bot(database_url=scratch_postgres)
    await add_stock(bot, "game-key", [f"PG-{n:04d}-CODE" for n in range(ORDERS)], tmp_path)
    await bot.start()
    alice = emulator.world.alice
    feeder = asyncio.create_task(feed_until_acknowledged(bot, ORDERS, alice.id))
    try:
        for _ in range(3):  # the operator's pg_terminate_backend() while it is busy
            await asyncio.sleep(0.7)
            await terminate_backends(scratch_postgres)
        await allow_connections(scratch_postgres, False)
        health = await bot.wait_for_health(503, within=15)
        assert health["status"] == "degraded" and health["database"] == "unreachable"
        assert "database" in health["reason"]
        async with aiohttp.ClientSession() as http:
            status, body = await post_webhook(http, bot, paid_order("pg-while-away", alice.id))
        assert status == 503, (status, body)  # never a 2xx for an event it could not store
    finally:
        await allow_connections(scratch_postgres, True)
    await bot.wait_for_health(200, within=15)
    answers = await asyncio.wait_for(feeder, 90)
    assert set(answers) <= {0, 200, 503}, answers  # refusals were 503s, never 500s

    try:
        await emulator.wait_until(
            lambda: len(order_dms(emulator, alice.id)) == ORDERS, "every order's DM", within=60
        )
    except AssertionError:
        sent = len(order_dms(emulator, alice.id))
        raise AssertionError(
            f"{sent} of {ORDERS} orders DMed; the bot said:\n{troubles(bot)}"
        ) from None
    assert bot.starts == 1 and bot.process is not None and bot.process.returncode is None
    duplicates = sum(times - 1 for times in order_dms(emulator, alice.id).values())
    print(f"database outage: answers {answers}, duplicate DMs {duplicates}")
    assert await bot.stop(signal.SIGTERM) == 0
    log = bot.log_text()
    assert "connection has been released back to the pool" not in log
