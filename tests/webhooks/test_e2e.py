"""The whole bot against the Discord emulator: provider callbacks on its embedded server."""

from __future__ import annotations

import asyncio
import copy
import json
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from demo.fakes.midtrans_api import FakeMidtrans
from models.base import InboxStatus, OrderStatus, PaymentMethod
from models.customers.tables import Customer, WalletTransaction
from models.inbox.tables import WebhookEvent
from models.orders.purchases import start_checkout
from models.orders.tables import Order
from models.stock.queries import codes_for_order
from models.stock.restock import add_stock
from settings import DEFAULT_CONFIG
from tests.discord_plugin import RunningBot
from tests.webhooks.conftest import base_environ
from tests.webhooks.helpers import stripe_event, stripe_headers
from webhooks.midtrans.client import create_qris_charge, new_topup_ref
from webhooks.stripe.checkout import create_checkout

pytestmark = pytest.mark.e2e

WAIT = 10.0


@pytest.fixture
def bot_env(fake_stripe, fake_midtrans) -> dict[str, str]:
    environ = base_environ()
    del environ["DISCORD_APP_TOKEN"], environ["STOCKROOM_CONFIG"]
    environ["STRIPE_API_BASE"] = fake_stripe.origin
    environ["MIDTRANS_API_BASE"] = fake_midtrans.origin
    return environ


@pytest.fixture
def bot_config_path(tmp_path: Path) -> Path:
    """The shipped config, with wallets kept in rupiah so QRIS top-ups can credit them."""
    text = DEFAULT_CONFIG.read_text()
    assert 'wallet_currency = "USD"' in text
    path = tmp_path / "config.toml"
    path.write_text(text.replace('wallet_currency = "USD"', 'wallet_currency = "IDR"'))
    return path


async def until(check: Callable[[], Awaitable[object]], what: str) -> object:
    """Waits for a database condition (the emulator's waiters see only Discord's side)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while not (result := await check()):
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
    return result


def server_url(stockroom: RunningBot, path: str) -> str:
    return f"http://127.0.0.1:{stockroom.settings.webhook_port}{path}"


async def post(stockroom: RunningBot, path: str, body: str, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as http:
        async with http.post(server_url(stockroom, path), data=body, headers=headers) as answer:
            return answer.status


async def test_health_on_the_running_bot(stockroom: RunningBot) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(server_url(stockroom, "/health")) as answer:
            assert answer.status == 200
            body = await answer.json()
    assert (body["status"], body["database"], body["gateway"]) == ("ok", "ok", "connected")
    assert set(body["workers"]) == {"inbox", "delivery"}


async def test_stripe_payment_delivers_codes_and_role_then_refund_revokes(
    stockroom: RunningBot, stripe_fixtures, fake_stripe
) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    alice, customer_role = emulator.world.alice, emulator.world.customer_role
    await add_stock("starter-bundle", ["BUNDLE-AAAA-1111", "BUNDLE-BBBB-2222"], bot.cipher)
    order = await start_checkout(
        alice.id,
        "starter-bundle",
        payment_method=PaymentMethod.STRIPE,
        reference="e2e-stripe",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
    )
    link = await create_checkout(
        stockroom.settings,
        bot.http_session,
        order,
        stockroom.settings.product("starter-bundle"),
        discord_user_id=alice.id,
    )
    paid = fake_stripe.pay(link.session_id)
    body = stripe_event(stripe_fixtures, "checkout.session.completed", paid, event_id="evt_e2e_1")
    assert await post(stockroom, "/webhooks/stripe", body, stripe_headers(body)) == 200

    dm = await emulator.next_dm("alice")
    codes = await codes_for_order(order.id, bot.cipher)
    assert codes and all(code in dm.embeds[0]["description"] for code in codes)
    await emulator.has_role("alice", customer_role)

    charge = copy.deepcopy(stripe_fixtures["charge"])
    charge.update(
        amount=1500, amount_refunded=1500, refunded=True, payment_intent=paid["payment_intent"]
    )
    refund = stripe_event(stripe_fixtures, "charge.refunded", charge, event_id="evt_e2e_2")
    assert await post(stockroom, "/webhooks/stripe", refund, stripe_headers(refund)) == 200
    await emulator.has_role("alice", customer_role, present=False)
    assert (await Order.get(id=order.id)).status == OrderStatus.REFUNDED


async def test_qris_topup_notification_three_times_credits_once(
    stockroom: RunningBot, fake_midtrans: FakeMidtrans
) -> None:
    bob = stockroom.emulator.world.bob
    ref = new_topup_ref(bob.id)
    await create_qris_charge(
        stockroom.settings, stockroom.bot.http_session, order_ref=ref, amount=5_000_000
    )
    fake_midtrans.set_status(ref, "settlement")
    note = json.dumps(fake_midtrans.notification(ref))
    headers = {"Content-Type": "application/json"}
    statuses = [await post(stockroom, "/webhooks/midtrans", note, headers) for _ in range(3)]
    assert statuses == [200, 200, 200]

    async def credited() -> Customer | None:
        return await Customer.get_or_none(discord_id=bob.id, balance__gt=0)

    customer = await until(credited, "the top-up to be credited")
    await until(
        lambda: WebhookEvent.filter(provider="midtrans", status=InboxStatus.PROCESSED).exists(),
        "the notification to be processed",
    )
    assert customer.balance == 5_000_000
    assert await WalletTransaction.filter(customer_id=customer.id).count() == 1
    assert await WebhookEvent.filter(provider="midtrans").count() == 1
    assert re.fullmatch(r"topup-\d+-[0-9a-f]{12}", ref)
