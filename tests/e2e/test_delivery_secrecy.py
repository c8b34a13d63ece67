"""After real deliveries, no plaintext code is in the SQLite files or in any log record."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from models.base import OrderStatus
from models.orders.tables import Order
from models.stock.restock import add_stock
from tests.discord_plugin import StartBot
from tests.e2e.test_delivery import (
    WAIT,
    jobs_settled,
    new_codes,
    pay_external_order,
    wait_for_db,
)

pytestmark = pytest.mark.e2e


def sqlite_files(database_url: str) -> list[Path]:
    path = Path(database_url.removeprefix("sqlite://"))
    return [p for p in (path, Path(f"{path}-wal")) if p.exists()]


def leaked(codes: list[str], blob: bytes) -> list[str]:
    return [code for code in codes if code.encode() in blob]


@pytest.mark.invalid_requests(1)  # carol's closed DMs, refused once
async def test_no_plaintext_code_in_the_database_files_or_logs(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    running = await start_bot()
    emulator, bot, settings = running.emulator, running.bot, running.settings
    world = emulator.world
    short = new_codes(3, "SECRET")
    long = new_codes(settings.dm_file_threshold + 3, "SECRETBULK")
    await add_stock("starter-bundle", short, bot.cipher)
    await add_stock("game-key", long, bot.cipher)

    by_dm = await pay_external_order(world.alice.id, "starter-bundle", 2, 3000)
    by_file = await pay_external_order(world.bob.id, "game-key", len(long) - 1, 500)
    closed = await pay_external_order(world.carol.id, "starter-bundle", 1, 1500)
    await emulator.next_dm("alice", within=WAIT)
    await emulator.next_dm("bob", within=WAIT)
    for order in (by_dm, by_file, closed):
        await wait_for_db(lambda order=order: jobs_settled(order.id), "every job to finish")
    assert await Order.filter(status=OrderStatus.DELIVERED).count() == 2

    # The codes really went out, so there was something to leak.
    sent = "".join(m.embeds[0]["description"] for m in emulator.dms("alice"))
    sent += "".join(a.text for m in emulator.dms("bob") for a in m.attachments)
    assert len([c for c in short + long if c in sent]) == 2 + len(long) - 1

    files = sqlite_files(settings.database_url)
    assert any(p.name.endswith("-wal") for p in files), "expected a live WAL file"
    for path in files:
        assert leaked(short + long, path.read_bytes()) == [], f"plaintext code in {path.name}"

    product_records = [r for r in caplog.records if not r.name.startswith("tests.")]
    assert any(r.name == "disnake.http" and r.levelno == logging.DEBUG for r in product_records)
    for record in product_records:
        text = record.getMessage() + (record.exc_text or "")
        assert leaked(short + long, text.encode()) == [], f"code logged by {record.name}"

    await bot.close()
    for path in sqlite_files(settings.database_url):
        assert leaked(short + long, path.read_bytes()) == [], f"plaintext code in {path.name}"
