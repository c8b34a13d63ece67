"""Delivery DMs reuse the buyer's DM channel: one channel open per buyer, not one per order."""

from __future__ import annotations

import pytest

from models.orders.tables import Order
from models.stock.queries import codes_for_order
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot
from tests.e2e.test_delivery import jobs_settled, new_codes, pay_external_order, wait_for_db

pytestmark = pytest.mark.e2e

OPEN_DM = ("POST", "/users/@me/channels")


async def deliver(stockroom: RunningBot, buyer: str, quantity: int = 1) -> Order:
    """Pays one starter-bundle order for the buyer and waits until its jobs are done."""
    user = stockroom.emulator.world.user_named(buyer)
    order = await pay_external_order(user.id, "starter-bundle", quantity, 1500 * quantity)
    await wait_for_db(lambda: jobs_settled(order.id), f"order {order.number}'s jobs to finish")
    return order


async def test_two_orders_to_one_buyer_open_the_dm_channel_once(stockroom: RunningBot) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    await add_stock("starter-bundle", new_codes(2, "TWICE"), bot.cipher)

    await deliver(stockroom, "alice")
    await deliver(stockroom, "alice")

    assert len(emulator.dms("alice")) == 2
    assert len(emulator.requests_to(*OPEN_DM)) == 1


@pytest.mark.parametrize("as_file", [False, True], ids=["embed", "file"])
async def test_an_unknown_dm_channel_is_forgotten_and_reopened_once(
    stockroom: RunningBot, as_file: bool
) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    world = emulator.world
    quantity = stockroom.settings.dm_file_threshold + 1 if as_file else 1
    await add_stock("starter-bundle", new_codes(1 + quantity, "STALE"), bot.cipher)
    await deliver(stockroom, "alice")
    (first,) = [c for c in world.dm_channels.values() if c.recipient_id == world.alice.id]
    # Discord no longer knows the channel the bot kept: sending there answers 10003.
    del world.dm_channels[first.id]

    order = await deliver(stockroom, "alice", quantity)

    (dm,) = emulator.dms("alice")
    assert dm.channel_id != first.id
    assert order.number in dm.embeds[0]["title"]
    sent = await codes_for_order(order.id, bot.cipher)
    if as_file:
        (attachment,) = dm.attachments
        assert attachment.text.splitlines() == sent  # the file was rewound, not sent empty
    else:
        assert sent[0] in dm.embeds[0]["description"]
    assert len(emulator.requests_to(*OPEN_DM)) == 2
    unknown = [r for r in emulator.requests if r.status == 404]
    assert [(r.method, r.path) for r in unknown] == [("POST", f"/channels/{first.id}/messages")]
