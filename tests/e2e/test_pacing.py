"""Fulfilment under Discord's global and route limits: paced, not refused; invalid ones counted."""

from __future__ import annotations

import asyncio
import secrets
from collections import Counter

import pytest

from demo.emulator import DiscordEmulator
from demo.emulator.server import _TOKEN_ROUTES
from demo.emulator.state import Member
from demo.emulator.wire import RequestRecord
from models.base import OrderSource
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot, StartBot

pytestmark = pytest.mark.e2e

ORDERS = 40
BUYERS = 8  # five orders each: their DM channels are buckets used more than once
GLOBAL_LIMIT = 20  # per second, scaled down from Discord's 50 so the run stays short
# Per bucket: 3 per quarter second, so a buyer's DM channel (five orders each) runs out again
# and again without making the run longer than the global limit does.
ROUTE_LIMIT = (3, 0.25)
WITHIN = 90.0  # a generous bound; the run takes about ORDERS * 4.2 / GLOBAL_LIMIT seconds


@pytest.fixture
async def paced_bot(start_bot: StartBot, discord_emulator: DiscordEmulator) -> RunningBot:
    faults = discord_emulator.faults
    faults.global_limit, faults.global_window = GLOBAL_LIMIT, 1.0
    faults.route_limit = ROUTE_LIMIT
    return await start_bot(env={"DISCORD_REQUESTS_PER_SECOND": str(GLOBAL_LIMIT)})


def add_buyers(emulator: DiscordEmulator, count: int) -> list[int]:
    world = emulator.world
    ids = []
    for n in range(count):
        user = world.add_user(f"buyer{n}")
        world.guild.members[user.id] = Member(user=user)
        ids.append(user.id)
    return ids


async def pay(discord_id: int, n: int) -> None:
    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.PAID,
            cause="generic:paid",
            reference=f"evt-pace-{n}",
            external_id=f"pace-{n}",
            discord_user_id=discord_id,
            product_key="starter-bundle",
            quantity=1,
            amount=1500,
            currency="USD",
        )
    )


def metered(emulator: DiscordEmulator) -> list[RequestRecord]:
    """Requests that count toward the global limit (not interaction or webhook-token routes)."""
    return [r for r in emulator.requests if r.template and not r.template.startswith(_TOKEN_ROUTES)]


async def test_orders_under_the_global_limit_draw_no_global_429(
    paced_bot: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    buyers = add_buyers(discord_emulator, BUYERS)
    await add_stock(
        "starter-bundle",
        [f"PACE-{secrets.token_hex(6)}" for _ in range(ORDERS)],
        paced_bot.bot.cipher,
    )

    await asyncio.gather(*(pay(buyers[n % BUYERS], n) for n in range(ORDERS)))

    feed = world.orders_channel
    await discord_emulator.wait_until(
        lambda: (
            sum(len(world.dms_to(b)) for b in buyers) == ORDERS
            and sum(len(m.embeds) for m in world.channel_messages(feed.id)) >= 2 * ORDERS
        ),
        "every DM and both feed embeds of every order (several to a message)",
        WITHIN,
    )
    for buyer in buyers:
        assert world.customer_role.id in world.guild.members[buyer].roles
    requests = metered(discord_emulator)
    refused = [r for r in requests if r.status == 429]
    assert [r for r in refused if r.scope == "global"] == []
    per_bucket = Counter(f"{r.method} {r.path}" for r in refused)
    assert all(count <= 1 for count in per_bucket.values()), per_bucket
    # Buckets did run out (else the per-route part proved nothing): requests were held.
    assert paced_bot.bot.rest_pacer.metrics().held_for_bucket > 0


@pytest.mark.invalid_requests(3)  # the closed DM's 403 and the two injected 429s
async def test_invalid_requests_are_counted_as_discord_answered_them(
    paced_bot: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    """A closed DM (403) and injected 429s show in the bot's ten-minute invalid count."""
    world = discord_emulator.world
    await add_stock("game-key", ["PACE-CAROL-1"], paced_bot.bot.cipher)
    discord_emulator.faults.rate_limit("POST", "/channels/{channel_id}/messages", count=2)
    channel = paced_bot.bot.get_channel(world.admin_channel.id)
    await channel.send("paced")

    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.PAID,
            cause="generic:paid",
            reference="evt-pace-carol",
            external_id="pace-carol",
            discord_user_id=world.carol.id,
            product_key="game-key",
            quantity=1,
            amount=500,
            currency="USD",
        )
    )
    await discord_emulator.wait_until(
        lambda: any(r.status == 403 for r in discord_emulator.requests),
        "the refused DM to carol",
        10.0,
    )

    metrics = paced_bot.bot.rest_pacer.metrics()
    answered = Counter(r.status for r in discord_emulator.requests if r.status in (401, 403, 429))
    assert metrics.invalid_10m == dict(answered) == {403: 1, 429: 2}
    assert metrics.rate_limited == {"user": 2}
    assert metrics.pace_per_second == GLOBAL_LIMIT

    ix = await discord_emulator.slash(world.admin, "admin botstats")
    reply = await discord_emulator.reply(ix, within=10.0)
    (shown,) = [f["value"] for f in reply.embeds[0]["fields"] if f["name"] == "Discord requests"]
    assert shown.startswith("3 invalid in 10 min of 10,000 allowed (401: 0 · 403: 1 · 429: 2)")
    assert "429s since start: 0 global, 2 route, 0 shared · pace 20/s" in shown
