"""`python bot.py` stops on SIGTERM and SIGINT (exit 0) and on a fatal gateway error (exit 1)."""

from __future__ import annotations

import signal
from collections import Counter
from pathlib import Path

import aiohttp
import pytest

from cogs.delivery.cog import MAX_IN_FLIGHT
from demo.emulator.server import DiscordEmulator
from tests.lifecycle.conftest import STOP_TIMEOUT, add_stock, paid_order, post_webhook

# More jobs than the worker holds at once (two an order), so some wait when the signal comes.
ORDERS = 2 * MAX_IN_FLIGHT


def order_dms(emulator: DiscordEmulator, user_id: int) -> Counter[str]:
    """How many code DMs each order number got (title "Your order N")."""
    titles = [
        m.embeds[0]["title"]
        for m in emulator.world.dms_to(user_id)
        if m.embeds and m.embeds[0].get("title", "").startswith("Your order ")
    ]
    return Counter(title.removeprefix("Your order ") for title in titles)


async def feed_orders(bot, count: int, buyer: int, prefix: str) -> None:
    async with aiohttp.ClientSession() as http:
        for n in range(count):
            status, _ = await post_webhook(http, bot, paid_order(f"{prefix}-{n}", buyer))
            assert status == 200


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_signal_while_fulfilling_exits_0_and_loses_no_job(
    sig: int, make_bot, emulator: DiscordEmulator, tmp_path: Path
) -> None:
    bot = make_bot()
    await add_stock(bot, "game-key", [f"SIG-{n:04d}-CODE" for n in range(ORDERS)], tmp_path)
    await bot.start()
    # Each DM takes a while, so deliveries are running when the signal arrives.
    emulator.faults.delay("POST", "/channels/{channel_id}/messages", 0.4)
    alice = emulator.world.alice
    await feed_orders(bot, ORDERS, alice.id, "sig")
    await emulator.wait_until(lambda: order_dms(emulator, alice.id), "a first DM", within=30)

    assert await bot.stop(sig) == 0
    _, seconds = bot.exits[-1]
    assert seconds < STOP_TIMEOUT
    first_run = order_dms(emulator, alice.id)
    assert sum(first_run.values()) < ORDERS, "everything was delivered before the signal"
    assert "Traceback" not in bot.log_text()
    assert "; uvloop " in bot.log_text(), "the bot did not run on uvloop"

    emulator.faults.clear()
    await bot.start()
    await emulator.wait_until(
        lambda: len(order_dms(emulator, alice.id)) == ORDERS, "every order's DM", within=30
    )
    assert await bot.stop(signal.SIGTERM) == 0
    delivered = order_dms(emulator, alice.id)
    assert len(delivered) == ORDERS
    assert [n for n, times in delivered.items() if times > 1] == []


async def test_disallowed_intents_at_start_exit_1(make_bot, emulator: DiscordEmulator) -> None:
    # The Developer Portal switches for members and message content are off: IDENTIFY → 4014.
    emulator.world.application_flags = 0
    bot = make_bot()
    await bot.start(healthy=False)
    await emulator.wait_until(
        lambda: any(c.closed for c in emulator.gateway.connections), "the gateway refusal", 40
    )
    code, seconds = await bot.wait_exit()
    assert code == 1
    assert seconds < STOP_TIMEOUT
    assert "intent" in bot.log_text().lower()


async def test_token_revoked_while_running_exit_1(make_bot, emulator: DiscordEmulator) -> None:
    bot = make_bot()
    await bot.start()
    # The token is reset in the Developer Portal; the next IDENTIFY is refused with 4004.
    emulator.world.token = "revoked." + emulator.world.token
    await emulator.gateway.close_all()
    await emulator.wait_until(
        lambda: sum(c.closed for c in emulator.gateway.connections) >= 2, "the 4004 close", 30
    )
    code, seconds = await bot.wait_exit()
    assert code == 1
    assert seconds < STOP_TIMEOUT
    assert "4004" in bot.log_text() or "authentication" in bot.log_text().lower()
