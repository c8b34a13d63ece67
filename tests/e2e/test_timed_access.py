"""A timed pass end to end: bought by wallet, reminded by DM with Renew, removed on time.

The clock is moved (models.clock.advance), not slept; the leader's minute sweep is run
directly from the bot's Maintenance cog instead of waiting a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from demo.emulator.state import Message
from models import clock
from models.base import JobKind
from models.customers import wallet
from models.orders.tables import Order
from models.outbox.tables import Job
from tests.discord_plugin import RunningBot
from tests.e2e.test_buyer_notices import no_job_left
from tests.e2e.test_delivery import jobs_settled, wait_for_db
from tests.e2e.test_feed import feed_jobs_done, posted_titles
from tests.e2e.test_shop import open_panel

pytestmark = pytest.mark.e2e

WAIT = 10.0
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def real_clock() -> Iterator[None]:
    yield
    clock.reset()


async def sweep(stockroom: RunningBot) -> None:
    """One round of the leader's minute sweep, run now."""
    await stockroom.bot.get_cog("Maintenance").sweep()


async def buy_pass(stockroom: RunningBot, who: str, panel: Message) -> Order:
    emulator = stockroom.emulator
    shop = await emulator.reply(await emulator.click(who, panel, "panel:shop"))
    step = await emulator.reply(await emulator.select(who, shop, "shop:product", ["vip-pass"]))
    paid = await emulator.reply(await emulator.click(who, step, "shop:pay:wallet:vip-pass:1"))
    assert "your purchase is on its way" in paid.embeds[0]["description"]
    user = emulator.user(who)
    return await Order.filter(customer__discord_id=user.id).order_by("-id").first()


async def my_orders_text(stockroom: RunningBot, who: str, panel: Message) -> str:
    emulator = stockroom.emulator
    shown = await emulator.reply(await emulator.click(who, panel, "panel:orders"))
    return str(shown.embeds)


def is_reminder(message: Message) -> bool:
    return any("ends soon" in embed.get("title", "") for embed in message.embeds)


async def test_a_wallet_pass_is_reminded_of_then_removed_at_its_end(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    await wallet.credit(world.alice.id, 5000, reference="topup-pass")
    panel = await open_panel(stockroom)
    order = await buy_pass(stockroom, "alice", panel)
    assert order.access_until is not None
    await emulator.has_role("alice", world.customer_role, within=WAIT)
    receipt = await emulator.next_dm("alice", within=WAIT)
    assert receipt.embeds[0]["title"] == f"Receipt for order {order.number}"
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs to finish")
    stamp = int(order.access_until.timestamp())
    assert f"Active until <t:{stamp}:f>" in await my_orders_text(stockroom, "alice", panel)

    await sweep(stockroom)  # 30 days left: no reminder yet
    assert not await Job.filter(kind=JobKind.REMIND_ACCESS).exists()

    clock.advance(27 * DAY + timedelta(minutes=1))  # 3 days left: reminder_days = 3
    await sweep(stockroom)
    reminder = await emulator.next_dm("alice", where=is_reminder, within=WAIT)
    (embed,) = reminder.embeds
    assert f"<t:{stamp}:F>" in embed["description"] and f"<t:{stamp}:R>" in embed["description"]
    assert order.number in embed["description"]
    assert reminder.custom_ids() == ["shop:renew:vip-pass:1"]
    await sweep(stockroom)  # once per end
    await wait_for_db(lambda: no_job_left(JobKind.REMIND_ACCESS), "the reminder to go out")
    assert sum(is_reminder(m) for m in emulator.dms("alice")) == 1
    await emulator.has_role("alice", world.customer_role, within=WAIT)  # not ended yet

    clock.advance(3 * DAY)  # past the end
    await sweep(stockroom)
    await emulator.has_role("alice", world.customer_role, present=False, within=WAIT)
    assert await Job.filter(kind=JobKind.REVOKE_ROLE, order_id=order.id).count() == 1
    assert f"Ended <t:{stamp}:R>" in await my_orders_text(stockroom, "alice", panel)


async def test_renew_from_the_reminder_dm_extends_the_pass_from_its_end(
    stockroom: RunningBot,
) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    await wallet.credit(world.bob.id, 5000, reference="topup-pass-bob")
    panel = await open_panel(stockroom)
    first = await buy_pass(stockroom, "bob", panel)
    assert first.access_until is not None
    await emulator.has_role("bob", world.customer_role, within=WAIT)
    await wait_for_db(lambda: jobs_settled(first.id), "the order's jobs to finish")

    clock.advance(28 * DAY)
    await sweep(stockroom)
    reminder = await emulator.next_dm("bob", where=is_reminder, within=WAIT)

    # The click comes from the DM: the payment step opens there, the reminder stays.
    step = await emulator.reply(await emulator.click("bob", reminder, "shop:renew:vip-pass:1"))
    assert step.id != reminder.id and step.ephemeral
    assert step.channel_id == reminder.channel_id
    assert "shop:pay:wallet:vip-pass:1" in step.custom_ids()
    paid = await emulator.reply(await emulator.click("bob", step, "shop:pay:wallet:vip-pass:1"))
    assert "your purchase is on its way" in paid.embeds[0]["description"]
    second = await Order.filter(customer__discord_id=world.bob.id).order_by("-id").first()
    assert second.id != first.id
    assert second.access_until == first.access_until + 30 * DAY
    assert second.details["access"]["renewal"] is True
    await wait_for_db(lambda: jobs_settled(second.id), "the renewal's jobs to finish")

    clock.advance(3 * DAY)  # the first pass ended; the renewal carries the role on
    await sweep(stockroom)
    await wait_for_db(lambda: jobs_settled(first.id), "the first pass's revocation to run")
    assert world.customer_role.id in await emulator.roles_of("bob")
    clock.advance(30 * DAY)
    await sweep(stockroom)
    await emulator.has_role("bob", world.customer_role, present=False, within=WAIT)

    # The feed marks the renewal and posts one lapse: the second pass's end, not the first's.
    await wait_for_db(feed_jobs_done, "the feed to be posted")
    titles = posted_titles(emulator)
    assert f"Order {second.number} — Payment completed (renewal)" in titles
    assert f"Order {first.number} — Payment completed" in titles
    ended = [t for t in titles if t.endswith("Access ended")]
    assert ended == [f"Order {second.number} — Access ended"]


async def test_a_forged_renew_for_a_pass_for_ever_is_refused(stockroom: RunningBot) -> None:
    from tests.e2e.test_shop import forge, refusal

    emulator = stockroom.emulator
    panel = await open_panel(stockroom)
    text = await refusal(emulator, await forge(emulator, "alice", panel, "shop:renew:vip:1"))
    assert text == "VIP access is not a timed pass; buy it from the shop panel."
    bad = await refusal(emulator, await forge(emulator, "alice", panel, "shop:renew:vip-pass:0"))
    assert "not valid any more" in bad
