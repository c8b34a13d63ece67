"""Paying from the shop panel by Stripe Checkout and QRIS, and wallet top-ups, end to end.

The real bot runs against the Discord emulator with Stripe and Midtrans pointed at the local
stand-ins in demo/fakes; provider callbacks are posted to the bot's own webhook port.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest

from cogs.shop.panel import post_shop_panel
from demo.emulator import DiscordEmulator
from demo.emulator.state import Message
from demo.fakes.midtrans_api import FakeMidtrans
from demo.fakes.stripe_api import FakeStripe
from models.base import InboxStatus, OrderStatus, PaymentMethod
from models.customers import wallet
from models.inbox.tables import WebhookEvent
from models.orders.tables import Order
from models.stock.queries import codes_for_order
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot
from tests.webhooks.helpers import (
    MIDTRANS_KEY,
    STRIPE_KEY,
    STRIPE_SECRET,
    stripe_event,
    stripe_headers,
)

pytestmark = pytest.mark.e2e

# A shop selling in rupiah, so QRIS is offered next to the wallet and Stripe.
CONFIG = """
[shop]
wallet_currency = "IDR"

[[products]]
key = "voucher"
name = "Game voucher"
kind = "code"
price = 5000000
currency = "IDR"
[[products.packages]]
quantity = 3
price = 14000000
"""


@pytest.fixture
def bot_env(fake_stripe: FakeStripe, fake_midtrans: FakeMidtrans) -> dict[str, str]:
    return {
        "STRIPE_API_KEY": STRIPE_KEY,
        "STRIPE_WEBHOOK_SECRET": STRIPE_SECRET,
        "STRIPE_API_BASE": fake_stripe.origin,
        "MIDTRANS_SERVER_KEY": MIDTRANS_KEY,
        "MIDTRANS_API_BASE": fake_midtrans.origin,
    }


@pytest.fixture
def bot_config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return path


async def open_panel(running: RunningBot) -> Message:
    channel = running.bot.get_channel(running.emulator.world.shop_channel.id)
    posted = await post_shop_panel(running.bot, channel)
    return running.emulator.world.messages[posted.id]


async def payment_step(emulator: DiscordEmulator, panel: Message, quantity: str) -> Message:
    shop = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    step = await emulator.reply(await emulator.select("alice", shop, "shop:product", ["voucher"]))
    return await emulator.reply(
        await emulator.select("alice", step, "shop:pkg:voucher", [quantity])
    )


async def post_webhook(running: RunningBot, path: str, body: str, headers: dict) -> int:
    url = f"http://127.0.0.1:{running.settings.webhook_port}{path}"
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, data=body, headers=headers) as answer,
    ):
        return answer.status


async def until(check: Callable[[], Awaitable[object]], what: str, within: float = 10.0):
    """Waits for a database condition (the emulator's waiters see only Discord's side)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not (result := await check()):
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
    return result


def link_buttons(message: Message) -> list[dict]:
    return [c for row in message.components for c in row.get("components", []) if c["type"] == 2]


async def test_every_enabled_way_to_pay_is_offered(stockroom: RunningBot) -> None:
    await add_stock("voucher", ["V-1111", "V-2222", "V-3333"], stockroom.bot.cipher)
    panel = await open_panel(stockroom)
    step = await payment_step(stockroom.emulator, panel, "3")
    assert step.custom_ids() == [
        "shop:pay:wallet:voucher:3",
        "shop:pay:stripe:voucher:3",
        "shop:pay:qris:voucher:3",
        "shop:coupon:voucher:3",
    ]
    assert "Rp 140,000.00" in step.embeds[0]["description"]


async def test_stripe_choice_replies_with_the_checkout_link_and_payment_delivers(
    stockroom: RunningBot, fake_stripe: FakeStripe, stripe_fixtures: dict
) -> None:
    emulator = stockroom.emulator
    await add_stock("voucher", ["V-1111", "V-2222", "V-3333"], stockroom.bot.cipher)
    panel = await open_panel(stockroom)
    step = await payment_step(emulator, panel, "3")

    reply = await emulator.reply(await emulator.click("alice", step, "shop:pay:stripe:voucher:3"))
    assert reply.ephemeral
    (session_id, session), *_ = fake_stripe.sessions.items()
    (button,) = link_buttons(reply)
    assert button["style"] == 5 and button["url"] == session["url"]
    assert button["url"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    order = await Order.get(checkout_id=session_id)
    assert order.status == OrderStatus.PENDING and order.payment_method == PaymentMethod.STRIPE
    assert (order.quantity, order.amount, order.currency) == (3, 14000000, "IDR")
    assert session["metadata"]["order_id"] == str(order.id)
    assert session["metadata"]["discord_user_id"] == str(emulator.world.alice.id)
    assert order.number in str(reply.embeds)

    paid = fake_stripe.pay(session_id)
    body = stripe_event(stripe_fixtures, "checkout.session.completed", paid, event_id="evt_shop_1")
    assert await post_webhook(stockroom, "/webhooks/stripe", body, stripe_headers(body)) == 200
    dm = await emulator.next_dm("alice")
    codes = await codes_for_order(order.id, stockroom.bot.cipher)
    assert sorted(codes) == ["V-1111", "V-2222", "V-3333"]
    assert all(code in dm.embeds[0]["description"] for code in codes)


async def test_qris_choice_replies_with_the_qr_image(
    stockroom: RunningBot, fake_midtrans: FakeMidtrans
) -> None:
    emulator = stockroom.emulator
    await add_stock("voucher", ["V-1111"], stockroom.bot.cipher)
    panel = await open_panel(stockroom)
    step = await payment_step(emulator, panel, "1")

    reply = await emulator.reply(await emulator.click("alice", step, "shop:pay:qris:voucher:1"))
    assert reply.ephemeral
    (image,) = reply.attachments
    assert image.filename == "qris.png" and image.content.startswith(b"\x89PNG")
    (embed,) = reply.embeds
    assert embed["image"]["url"].endswith("qris.png")
    assert {"name": "Amount", "value": "Rp 50,000.00", "inline": True} in embed["fields"]
    order = await Order.get(customer__discord_id=emulator.world.alice.id)
    assert order.status == OrderStatus.PENDING
    assert order.checkout_id == f"order-{order.id}-{order.number}"
    (charge,) = fake_midtrans.charge_bodies
    assert charge["transaction_details"] == {"order_id": order.checkout_id, "gross_amount": 50000}

    fake_midtrans.set_status(order.checkout_id, "settlement")
    note = json.dumps(fake_midtrans.notification(order.checkout_id))
    headers = {"Content-Type": "application/json"}
    assert await post_webhook(stockroom, "/webhooks/midtrans", note, headers) == 200
    dm = await emulator.next_dm("alice")
    assert "V-1111" in dm.embeds[0]["description"]


async def test_topup_modal_checks_the_amount_then_links_to_stripe_and_credits_once(
    stockroom: RunningBot, fake_stripe: FakeStripe, stripe_fixtures: dict
) -> None:
    emulator = stockroom.emulator
    alice = emulator.world.alice
    panel = await open_panel(stockroom)
    wallet_view = await emulator.reply(await emulator.click("alice", panel, "panel:wallet"))
    assert wallet_view.ephemeral
    assert wallet_view.custom_ids() == ["wallet:topup:stripe", "wallet:topup:qris"]
    assert "Rp 0.00" in wallet_view.embeds[0]["fields"][0]["value"]

    shown = await emulator.click("alice", wallet_view, "wallet:topup:stripe")
    await emulator.modal(shown)
    refusals = {
        "ten": "Enter an amount like",
        "-50000": "Top up between Rp 10,000.00 and Rp 20,000,000.00.",
        "5000": "Top up between Rp 10,000.00 and Rp 20,000,000.00.",
        "99999999": "Top up between Rp 10,000.00 and Rp 20,000,000.00.",
        "10000.001": "Enter an amount like",
    }
    for text, expected in refusals.items():
        answer = await emulator.reply(await emulator.submit_modal("alice", shown, {"amount": text}))
        assert answer.ephemeral and answer.content.startswith(expected), text
    assert fake_stripe.sessions == {}

    answer = await emulator.reply(await emulator.submit_modal("alice", shown, {"amount": "75,000"}))
    (session_id, session), *_ = fake_stripe.sessions.items()
    (button,) = link_buttons(answer)
    assert button["url"] == session["url"]
    assert session["amount_total"] == 7_500_000 and session["currency"] == "idr"
    assert session["metadata"]["kind"] == "topup"

    paid = fake_stripe.pay(session_id)
    for event_id in ("evt_topup_1", "evt_topup_1", "evt_topup_2"):
        body = stripe_event(stripe_fixtures, "checkout.session.completed", paid, event_id=event_id)
        assert await post_webhook(stockroom, "/webhooks/stripe", body, stripe_headers(body)) == 200
    await until(_all_stripe_events_processed, "both stored Stripe events to be processed")
    assert await wallet.balance(alice.id) == 7_500_000
    assert await wallet.ledger_sum(alice.id) == 7_500_000


async def _all_stripe_events_processed() -> bool:
    events = await WebhookEvent.filter(provider="stripe").values_list("status", flat=True)
    return len(events) == 2 and InboxStatus.RECEIVED not in events


async def test_a_provider_outage_is_explained_and_retrying_reuses_the_order(
    stockroom: RunningBot, fake_midtrans: FakeMidtrans
) -> None:
    emulator = stockroom.emulator
    await add_stock("voucher", ["V-1111"], stockroom.bot.cipher)
    panel = await open_panel(stockroom)
    step = await payment_step(emulator, panel, "1")
    fake_midtrans.fail_next(503)
    failed = await emulator.reply(await emulator.click("alice", step, "shop:pay:qris:voucher:1"))
    assert failed.ephemeral and not failed.attachments
    assert failed.content == "The payment provider is not reachable right now; try again shortly."
    assert fake_midtrans.transactions == {}

    retried = await emulator.reply(await emulator.click("alice", step, "shop:pay:qris:voucher:1"))
    assert [a.filename for a in retried.attachments] == ["qris.png"]
    (order,) = await Order.all()
    assert list(fake_midtrans.transactions) == [order.checkout_id]


async def test_more_than_the_stock_is_refused_before_any_checkout(
    stockroom: RunningBot, fake_stripe: FakeStripe
) -> None:
    emulator = stockroom.emulator
    await add_stock("voucher", ["V-1111"], stockroom.bot.cipher)
    panel = await open_panel(stockroom)
    step = await payment_step(emulator, panel, "1")
    forged = {"custom_id": "shop:pay:stripe:voucher:3", "component_type": 2}
    text = (await emulator.reply(await emulator._interact("alice", 3, forged, None, step))).content
    assert text == "Only 1 of Game voucher left; pick fewer."
    assert fake_stripe.sessions == {} and not await Order.exists()


async def test_qris_topup_shows_the_qr_and_the_settlement_credits_the_wallet(
    stockroom: RunningBot, fake_midtrans: FakeMidtrans
) -> None:
    emulator = stockroom.emulator
    alice = emulator.world.alice
    panel = await open_panel(stockroom)
    wallet_view = await emulator.reply(await emulator.click("alice", panel, "panel:wallet"))
    shown = await emulator.click("alice", wallet_view, "wallet:topup:qris")
    await emulator.modal(shown)
    cents = await emulator.reply(
        await emulator.submit_modal("alice", shown, {"amount": "50000.50"})
    )
    assert cents.content == "This way to pay takes whole amounts only; leave out the decimals."
    assert fake_midtrans.charge_bodies == []

    answer = await emulator.reply(await emulator.submit_modal("alice", shown, {"amount": "50000"}))
    assert answer.ephemeral and [a.filename for a in answer.attachments] == ["qris.png"]
    (charge,) = fake_midtrans.charge_bodies
    ref = charge["transaction_details"]["order_id"]
    assert ref.startswith(f"topup-{alice.id}-")
    assert charge["transaction_details"]["gross_amount"] == 50000

    fake_midtrans.set_status(ref, "settlement")
    note = json.dumps(fake_midtrans.notification(ref))
    headers = {"Content-Type": "application/json"}
    assert await post_webhook(stockroom, "/webhooks/midtrans", note, headers) == 200
    await until(lambda: _balance_is(alice.id, 5_000_000), "the QRIS top-up to be credited")
    after = await emulator.reply(await emulator.click("alice", panel, "panel:wallet"))
    assert after.embeds[0]["fields"][0]["value"] == "Rp 50,000.00"
    assert "Top-up **+Rp 50,000.00**" in after.embeds[0]["fields"][1]["value"]


async def _balance_is(discord_id: int, amount: int) -> bool:
    return await wallet.balance(discord_id) == amount


async def test_a_wallet_in_the_shops_currency_pays_for_its_products(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    alice = emulator.world.alice
    await add_stock("voucher", ["V-1111"], stockroom.bot.cipher)
    await wallet.credit(alice.id, 6_000_000, reference="idr-topup")
    panel = await open_panel(stockroom)
    step = await payment_step(emulator, panel, "1")
    paid = await emulator.reply(await emulator.click("alice", step, "shop:pay:wallet:voucher:1"))
    assert paid.embeds and paid.embeds[0]["title"] == "Paid", paid.content
    assert await wallet.balance(alice.id) == 1_000_000
