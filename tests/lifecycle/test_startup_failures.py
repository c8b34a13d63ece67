"""Start-up failures a supervisor must see: one line naming the setting, and a non-zero exit."""

from __future__ import annotations

import socket

from demo.emulator.server import DiscordEmulator


async def test_webhook_port_in_use_exits_1_with_one_line(make_bot, emulator: DiscordEmulator):
    bot = make_bot()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", bot.port))
        taken.listen()
        await bot.start(healthy=False)
        code, _ = await bot.wait_exit(within=40)
    text = bot.log_text()
    assert code == 1, bot.log_tail()
    assert f"WEBHOOK_PORT: cannot listen on 127.0.0.1:{bot.port}" in text
    assert "Traceback" not in text


async def test_a_start_says_who_where_and_ready(make_bot, emulator: DiscordEmulator):
    bot = make_bot()
    await bot.start()
    await emulator.wait_until(lambda: "ready: logged in as" in bot.log_text(), "the ready line")
    world = emulator.world
    line = next(x for x in bot.log_text().splitlines() if "ready: logged in as" in x)
    assert f"in {world.guild.name} ({world.guild.id})" in line, line
    assert "webhook routes enabled: generic" in bot.log_text()
    assert await bot.stop() == 0
