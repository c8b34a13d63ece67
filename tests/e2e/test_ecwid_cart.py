"""An Ecwid cart end to end: a signed webhook to the running bot delivers every line's product.

The real bot runs against the Discord emulator with Ecwid's API pointed at the stand-in in
demo/fakes; the webhook is posted to the bot's own webhook port.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest

from demo.emulator.state import Message
from demo.fakes.ecwid_api import FakeEcwid, sign_ecwid
from models.base import JobKind, JobStatus, OrderSource, OrderStatus, StockStatus
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.queries import codes_for_order
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from tests.discord_plugin import RunningBot

pytestmark = pytest.mark.e2e

WAIT = 10.0
STORE, TOKEN, SECRET = "4242", "secret_cart_token", "cart-client-secret"
CONFIG = """
[providers.ecwid.product_map]
"ALPHA" = "alpha-key"
"BETA" = "beta-key"
"GAMMA" = "gamma-key"

[[products]]
key = "alpha-key"
name = "Alpha key"
kind = "code"
price = 500
currency = "USD"

[[products]]
key = "beta-key"
name = "Beta key"
kind = "code"
price = 700
currency = "USD"

[[products]]
key = "gamma-key"
name = "Gamma key"
kind = "code"
price = 900
currency = "USD"
"""
CART = [
    {"id": 1, "sku": "ALPHA", "name": "Alpha key", "quantity": 2, "price": 5.0},
    {"id": 2, "sku": "BETA", "name": "Beta key", "quantity": 1, "price": 6.5},
    {"id": 3, "sku": "GAMMA", "name": "Gamma key", "quantity": 3, "price": 9.0},
]


@pytest.fixture
async def fake_ecwid() -> AsyncIterator[FakeEcwid]:
    fake = await FakeEcwid(STORE, TOKEN).start()
    yield fake
    await fake.close()


@pytest.fixture
def bot_env(fake_ecwid: FakeEcwid) -> dict[str, str]:
    return {
        "ECWID_API_TOKEN": TOKEN,
        "ECWID_CLIENT_SECRET": SECRET,
        "ECWID_STORE_ID": STORE,
        "ECWID_API_BASE": fake_ecwid.base_url,
    }


@pytest.fixture
def bot_config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return path


async def post_ecwid_webhook(running: RunningBot, event_id: str, order_id: str, kind: str) -> int:
    """A webhook signed as Ecwid signs it, posted to the running bot's webhook server."""
    created = int(time.time())
    body = json.dumps(
        {
            "eventId": event_id,
            "eventCreated": created,
            "storeId": int(STORE),
            "entityId": 1234,
            "eventType": kind,
            "data": {"orderId": order_id},
        }
    )
    headers = {"X-Ecwid-Webhook-Signature": sign_ecwid(created, event_id, SECRET)}
    url = f"http://127.0.0.1:{running.settings.webhook_port}/webhooks/ecwid?eventtype={kind}"
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as r:
        return r.status


async def until(check: Callable[[], Awaitable[object]], what: str, within: float = WAIT):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not (result := await check()):
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
    return result


def dm_codes(message: Message) -> list[str]:
    (embed,) = message.embeds
    match = re.search(r"```\n(.*?)\n```", embed.get("description", ""), re.S)
    assert match, f"no code block in {embed!r}"
    return match.group(1).split("\n")


async def test_a_three_line_ecwid_cart_delivers_three_products(
    stockroom: RunningBot, fake_ecwid: FakeEcwid
) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    alice = emulator.world.alice
    stock = {
        "alpha-key": ["A-1111", "A-2222", "A-3333"],
        "beta-key": ["B-1111", "B-2222"],
        "gamma-key": ["G-1111", "G-2222", "G-3333", "G-4444"],
    }
    for key, codes in stock.items():
        await add_stock(key, codes, bot.cipher)
    order = fake_ecwid.add_order("CRT3X", discord_user_id=str(alice.id), total=44.5)
    order["items"] = CART

    assert await post_ecwid_webhook(stockroom, "evt-cart-paid", "CRT3X", "order.created") == 200

    dms = [await emulator.next_dm("alice", within=WAIT) for _ in CART]
    lines = {
        o.external_id: o
        for o in await Order.filter(source=OrderSource.ECWID).prefetch_related("product")
    }
    assert sorted(lines) == ["CRT3X", "CRT3X/2", "CRT3X/3"]
    wanted = {"CRT3X": ("alpha-key", 2, 1000), "CRT3X/2": ("beta-key", 1, 650)}
    wanted["CRT3X/3"] = ("gamma-key", 3, 2700)
    assert {k: (o.product.key, o.quantity, o.amount) for k, o in lines.items()} == wanted
    by_number = {o.number: o for o in lines.values()}
    delivered: dict[str, list[str]] = {}
    for dm in dms:
        (number,) = [n for n in by_number if n in dm.embeds[0]["title"]]
        delivered[by_number[number].product.key] = dm_codes(dm)
    assert set(delivered) == set(stock)  # three DMs, one per product
    for line in lines.values():
        codes = delivered[line.product.key]
        assert len(codes) == line.quantity and set(codes) <= set(stock[line.product.key])
        assert codes == await codes_for_order(line.id, bot.cipher)

    # Once every line is delivered the Ecwid order, not a line, is marked DELIVERED, once.
    await until(
        lambda: Job.filter(kind=JobKind.UPDATE_STOREFRONT, status=JobStatus.DONE).count(),
        "the storefront updates",
    )
    await until(lambda: _all_jobs_done(), "every job of the cart to finish")
    assert {o.status for o in await Order.filter(source=OrderSource.ECWID)} == {
        OrderStatus.DELIVERED
    }
    assert fake_ecwid.puts == [("CRT3X", {"fulfillmentStatus": "DELIVERED"})]

    # A refund of the Ecwid order reaches every line: each line's codes are revoked.
    fake_ecwid.orders["CRT3X"]["paymentStatus"] = "REFUNDED"
    assert await post_ecwid_webhook(stockroom, "evt-cart-ref", "CRT3X", "order.updated") == 200
    await until(
        lambda: _statuses_are(OrderStatus.REFUNDED), "every line to be refunded", within=WAIT
    )
    revoked = await StockItem.filter(status=StockStatus.REVOKED).count()
    assert revoked == sum(item["quantity"] for item in CART)


async def _all_jobs_done() -> bool:
    return not await Job.filter(status__in=(JobStatus.PENDING, JobStatus.RUNNING)).exists()


async def _statuses_are(status: OrderStatus) -> bool:
    statuses = await Order.filter(source=OrderSource.ECWID).values_list("status", flat=True)
    return len(statuses) == len(CART) and set(statuses) == {status}
