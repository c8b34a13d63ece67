"""The demo's world: the Discord emulator, the provider stand-ins and the real bot, on 127.0.0.1."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import Stockroom, launch
from demo.emulator import DiscordEmulator
from demo.emulator.bot_start import emulator_environment, until_ready
from demo.fakes.midtrans_api import FakeMidtrans
from demo.fakes.stripe_api import FakeStripe
from models.stock.restock import add_stock
from settings import Settings, load_settings

READY_WITHIN = 15.0
# Demo-only secrets, printed for the curl lines: they open nothing outside this process.
STRIPE_KEY = "sk_test_stockroom_demo"
STRIPE_SECRET = "whsec_stockroom_demo"
MIDTRANS_KEY = "SB-Mid-server-stockroom-demo"
GENERIC_SECRET = "demo-generic-secret"
ADMIN_TOKEN = "demo-admin-token"

# A shop selling in rupiah, so the wallet, Stripe and QRIS are all offered.
CATALOG = """
[shop]
wallet_currency = "IDR"

[[products]]
key = "game-key"
name = "Game key"
description = "A Steam key for the game, delivered by DM."
kind = "code"
price = 5000000
currency = "IDR"
low_stock = 2
[[products.packages]]
quantity = 3
price = 14000000

[[products]]
key = "starter-bundle"
name = "Starter bundle"
description = "A redeem code plus the Customer role."
kind = "code+role"
price = 15000000
currency = "IDR"
role_id = 0
low_stock = 1
"""
STOCK = {
    "game-key": [f"DEMO-GAME-{n:04d}" for n in range(1, 7)],
    "starter-bundle": [f"DEMO-BUNDLE-{n:04d}" for n in range(1, 4)],
}


@dataclass
class DemoWorld:
    """Everything the journey drives; close() stops it all in reverse order."""

    emulator: DiscordEmulator
    stripe: FakeStripe
    midtrans: FakeMidtrans
    bot: Stockroom
    settings: Settings
    folder: Path
    _cleanup: list[Any] = field(default_factory=list)

    @property
    def webhook_base(self) -> str:
        return f"http://127.0.0.1:{self.settings.webhook_port}"

    async def close(self) -> None:
        await self.bot.close()
        await self.stripe.close()
        await self.midtrans.close()
        await self.emulator.stop()
        for done in reversed(self._cleanup):
            done()


def demo_environment(
    emulator: DiscordEmulator, stripe: FakeStripe, midtrans: FakeMidtrans, folder: Path
) -> dict[str, str]:
    """What the bot reads at start: the emulator's ids, the stand-ins, a fresh database."""
    return {
        # Never the seller's data/stockroom.sqlite3 nor data/stock.key: all under `folder`.
        **emulator_environment(emulator, f"sqlite://{folder / 'demo.sqlite3'}"),
        "STRIPE_API_KEY": STRIPE_KEY,
        "STRIPE_WEBHOOK_SECRET": STRIPE_SECRET,
        "STRIPE_API_BASE": stripe.origin,
        "MIDTRANS_SERVER_KEY": MIDTRANS_KEY,
        "MIDTRANS_API_BASE": midtrans.origin,
        "GENERIC_WEBHOOK_SECRET": GENERIC_SECRET,
        "ADMIN_API_TOKEN": ADMIN_TOKEN,
    }


async def start_world() -> DemoWorld:
    """Starts the emulator and stand-ins, then the real bot against them with demo stock."""
    temp = tempfile.TemporaryDirectory(prefix="stockroom-demo-")
    folder = Path(temp.name)
    emulator = DiscordEmulator(spec=None)
    await emulator.start()
    stripe = await FakeStripe(STRIPE_KEY).start()
    midtrans = await FakeMidtrans(MIDTRANS_KEY).start()
    config = folder / "config.toml"
    config.write_text(CATALOG, encoding="utf-8")
    try:
        settings = load_settings(
            environ=demo_environment(emulator, stripe, midtrans, folder), config_path=config
        )
        bot = await launch(settings, guild_ready_timeout=0.02)
    except BaseException:
        await stripe.close()
        await midtrans.close()
        await emulator.stop()
        temp.cleanup()
        raise
    world = DemoWorld(emulator, stripe, midtrans, bot, settings, folder, [temp.cleanup])
    emulator.follow(bot)
    try:
        await until_ready(bot, emulator, READY_WITHIN)
        for product, codes in STOCK.items():
            await add_stock(product, codes, bot.cipher)
    except BaseException:
        await world.close()
        raise
    return world
