"""A catalog larger than one Discord select (25 options) is fully reachable from the shop."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo.emulator.state import Message
from tests.discord_plugin import RunningBot
from tests.e2e.test_shop import open_panel

pytestmark = pytest.mark.e2e
PRODUCTS = 30


@pytest.fixture
def bot_config_path(tmp_path: Path) -> Path:
    entries = "".join(
        f"""
[[products]]
key = "pass-{n:02d}"
name = "Pass {n:02d}"
kind = "role"
price = {100 + n}
currency = "USD"
"""
        for n in range(PRODUCTS)
    )
    path = tmp_path / "config.toml"
    path.write_text(entries)
    return path


def select_values(message: Message) -> list[str]:
    (select,) = [
        c
        for row in message.components
        for c in row.get("components", [])
        if c.get("custom_id") == "shop:product"
    ]
    return [option["value"] for option in select["options"]]


async def test_thirty_products_are_all_reachable_page_by_page(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    panel = await open_panel(stockroom)
    first = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    first_page = select_values(first)  # the emulator's message changes in place below
    assert len(first_page) == 25
    assert "shop:page:2" in first.custom_ids() and "Page 1 of 2" in str(first.embeds)
    assert len(first.custom_ids()) == len(set(first.custom_ids()))

    second = await emulator.reply(await emulator.click("alice", first, "shop:page:2"))
    assert second.id == first.id  # the same ephemeral message turns the page
    assert "Page 2 of 2" in str(second.embeds)
    seen = set(first_page) | set(select_values(second))
    assert seen == {f"pass-{n:02d}" for n in range(PRODUCTS)}

    step = await emulator.reply(await emulator.select("alice", second, "shop:product", ["pass-29"]))
    assert "shop:pay:wallet:pass-29:1" in step.custom_ids()

    again = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    back = await emulator.reply(await emulator.click("alice", again, "shop:page:2"))
    back = await emulator.reply(await emulator.click("alice", back, "shop:page:1"))
    assert select_values(back) == first_page
