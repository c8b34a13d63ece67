"""A coupon on a QRIS payment: Midtrans is asked for the discounted, still whole-rupiah amount."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogs.shop.panel import post_shop_panel
from demo.fakes.midtrans_api import FakeMidtrans
from models.coupons.actions import add_coupon
from models.coupons.tables import CouponKind
from models.orders.tables import Order
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot
from tests.e2e.test_admin import text_of
from tests.webhooks.helpers import MIDTRANS_KEY

pytestmark = pytest.mark.e2e

CONFIG = """
[shop]
wallet_currency = "IDR"

[[products]]
key = "voucher"
name = "Game voucher"
kind = "code"
price = 1234500
currency = "IDR"
"""


@pytest.fixture
def bot_env(fake_midtrans: FakeMidtrans) -> dict[str, str]:
    return {"MIDTRANS_SERVER_KEY": MIDTRANS_KEY, "MIDTRANS_API_BASE": fake_midtrans.origin}


@pytest.fixture
def bot_config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return path


async def test_a_qris_charge_with_a_coupon_asks_for_the_discounted_amount(
    stockroom: RunningBot, fake_midtrans: FakeMidtrans
) -> None:
    emulator = stockroom.emulator
    await add_stock("voucher", ["V-1111"], stockroom.bot.cipher)
    # 7% of Rp 12,345 is Rp 864.15: the discount rounds down to Rp 864, so QRIS still applies.
    await add_coupon("SEVEN", CouponKind.PERCENT, "7", products=["voucher"])
    channel = stockroom.bot.get_channel(emulator.world.shop_channel.id)
    panel = emulator.world.messages[(await post_shop_panel(stockroom.bot, channel)).id]
    shop = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    step = await emulator.reply(await emulator.select("alice", shop, "shop:product", ["voucher"]))
    asked = await emulator.click("alice", step, "shop:coupon:voucher:1")
    await emulator.modal(asked)
    updated = await emulator.reply(await emulator.submit_modal("alice", asked, {"code": "seven"}))
    assert "~~Rp 12,345.00~~ Rp 11,481.00" in updated.embeds[0]["description"]
    assert "shop:pay:qris:voucher:1:SEVEN" in updated.custom_ids()

    reply = await emulator.reply(
        await emulator.click("alice", updated, "shop:pay:qris:voucher:1:SEVEN")
    )
    assert {"name": "Amount", "value": "Rp 11,481.00", "inline": True} in reply.embeds[0]["fields"]
    assert "~~Rp 12,345.00~~ Rp 11,481.00" in text_of(reply)
    order = await Order.get(customer__discord_id=emulator.world.alice.id)
    assert order.amount == 1148100
    (charge,) = fake_midtrans.charge_bodies
    assert charge["transaction_details"]["gross_amount"] == 11481
