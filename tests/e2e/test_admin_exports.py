"""/admin export end to end and `python bot.py export`: CSV that parses, with no codes."""

from __future__ import annotations

import csv
import io
import secrets
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from demo.emulator import DiscordEmulator
from models.stock.restock import add_stock
from settings import ROOT
from tests.discord_plugin import RunningBot
from tests.e2e.test_admin import admin_reply
from tests.e2e.test_admin_orders import paid_order

pytestmark = pytest.mark.e2e


def rows_of(reply) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    (attachment,) = reply.attachments
    assert attachment.filename.endswith(".csv")
    return list(csv.DictReader(io.StringIO(attachment.text)))


async def test_order_and_stock_exports_parse_as_csv_with_the_expected_rows(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    codes = [f"EXP-{secrets.token_hex(4).upper()}" for _ in range(3)]
    await add_stock("game-key", codes, stockroom.bot.cipher)
    keyed = await paid_order(world.bob.id, "game-key", 1500)
    vip = await paid_order(world.alice.id)
    today = datetime.now(UTC).strftime("%Y-%m-%d")

    orders = rows_of(
        await admin_reply(discord_emulator, world.admin, "admin export orders", since=today)
    )
    assert {r["number"] for r in orders} == {keyed.number, vip.number}
    bob = next(r for r in orders if r["number"] == keyed.number)
    assert (bob["customer_discord_id"], bob["amount"]) == (str(world.bob.id), "1500")

    stock = await admin_reply(discord_emulator, world.admin, "admin export stock")
    text = stock.attachments[0].text
    assert not any(code in text for code in codes)
    stock_rows = rows_of(stock)
    assert len(stock_rows) == 3 and all(len(r["fingerprint"]) >= 16 for r in stock_rows)
    assert [r["order_number"] for r in stock_rows].count(keyed.number) == 1

    none = rows_of(
        await admin_reply(discord_emulator, world.admin, "admin export orders", until="2000-01-01")
    )
    assert none == []
    bad = await admin_reply(
        discord_emulator, world.admin, "admin export orders", since="01-12-2026"
    )
    assert "YYYY-MM-DD" in bad.content and not bad.attachments
    wrong = await admin_reply(discord_emulator, world.admin, "admin export ledger", kind="gift")
    assert "Unknown ledger kind 'gift'" in wrong.content
    refused = await admin_reply(discord_emulator, world.alice, "admin export orders")
    assert "Only shop admins" in refused.content and not refused.attachments


def test_the_shell_export_writes_the_same_csv(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "STOCKROOM_ENV_FILE": str(tmp_path / "no.env"),
        "DISCORD_APP_TOKEN": "dummy-token",
        "DATABASE_URL": f"sqlite://{tmp_path}/shop.sqlite3",
    }

    def bot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(ROOT / "bot.py"), *args],
            env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path,
        )  # fmt: skip

    codes = tmp_path / "codes.txt"
    codes.write_text("SHELL-EXP-1\nSHELL-EXP-2\n")
    assert bot("stock", "add", "game-key", str(codes)).returncode == 0
    done = bot("export", "stock", "--status", "available")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["product"] for r in rows] == ["game-key", "game-key"]
    assert "SHELL-EXP" not in done.stdout and "2 row(s) exported" in done.stderr
    bad = bot("export", "orders", "--since", "yesterday")
    assert bad.returncode == 1 and "YYYY-MM-DD" in bad.stderr
