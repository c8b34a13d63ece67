"""What a buyer is told, end to end: a role's receipt, a queued order, a restock they asked for."""

from __future__ import annotations

import asyncio

import pytest

from demo.emulator import DiscordEmulator
from demo.emulator.state import ChannelType, Message
from models.base import JobKind, JobStatus, OrderStatus
from models.customers import wallet
from models.customers.tables import Customer, RestockRequest
from models.database import close_database, open_database
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.queries import codes_for_order
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot, StartBot
from tests.e2e.test_delivery import (
    code_block_lines,
    jobs_settled,
    new_codes,
    pay_external_order,
    wait_for_db,
)
from tests.e2e.test_shop import forge, open_panel, refusal

pytestmark = pytest.mark.e2e

WAIT = 10.0


def fields_of(message: Message) -> dict[str, str]:
    return {f["name"]: f["value"] for embed in message.embeds for f in embed.get("fields", [])}


async def no_job_left(kind: JobKind) -> bool:
    return not await Job.filter(
        kind=kind, status__in=(JobStatus.PENDING, JobStatus.RUNNING)
    ).exists()


async def test_a_role_only_purchase_gets_its_receipt_by_dm(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    await wallet.credit(world.alice.id, 5000, reference="topup-receipt")
    panel = await open_panel(stockroom)
    shop = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    pay_step = await emulator.reply(await emulator.select("alice", shop, "shop:product", ["vip"]))
    paid = await emulator.reply(await emulator.click("alice", pay_step, "shop:pay:wallet:vip:1"))
    assert "your purchase is on its way" in paid.embeds[0]["description"]

    receipt = await emulator.next_dm("alice", within=WAIT)
    order = await Order.get(customer__discord_id=world.alice.id)
    (embed,) = receipt.embeds
    assert embed["title"] == f"Receipt for order {order.number}"
    assert "**VIP access**" in embed["description"]
    assert f"**@{world.customer_role.name}**" in embed["description"]
    fields = fields_of(receipt)
    assert (fields["Order"], fields["Paid"]) == (order.number, "$10.00")
    assert "proof of purchase" in embed["footer"]["text"]
    await emulator.has_role("alice", world.customer_role, within=WAIT)
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs to finish")
    assert (await Order.get(id=order.id)).status is OrderStatus.DELIVERED
    assert len(emulator.dms("alice")) == 1  # one receipt, nothing else


async def test_an_order_for_a_sold_out_product_is_queued_then_gets_its_codes(
    stockroom: RunningBot,
) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    order = await pay_external_order(emulator.world.bob.id, "game-key", 2, 1000)
    assert order.status is OrderStatus.AWAITING_STOCK

    queued = await emulator.next_dm("bob", within=WAIT)
    (embed,) = queued.embeds
    assert embed["title"] == f"Order {order.number} is queued"
    assert "2 × Game key" in embed["description"] and "as soon as stock" in embed["description"]
    assert fields_of(queued)["Paid"] == "$10.00"

    stock = new_codes(3, "QUEUED")
    await add_stock("game-key", stock, bot.cipher)
    delivered = await emulator.next_dm("bob", within=WAIT)
    codes = await codes_for_order(order.id, bot.cipher)
    assert len(codes) == 2 and code_block_lines(delivered) == codes
    await wait_for_db(
        lambda: Order.filter(id=order.id, status=OrderStatus.DELIVERED).exists(),
        "the order to be delivered",
    )
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs to finish")
    assert [m.id for m in emulator.dms("bob")] == [queued.id, delivered.id]
    assert not any(code in str(queued.embeds) for code in stock)


async def test_a_buyer_who_asked_gets_exactly_one_dm_on_restock(stockroom: RunningBot) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    world = emulator.world
    panel = await open_panel(stockroom)
    shop = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    step = await emulator.reply(await emulator.select("alice", shop, "shop:product", ["game-key"]))
    assert "Sold out right now" in step.embeds[0]["description"]
    assert step.custom_ids() == ["shop:notify:game-key"]

    asked = await emulator.reply(await emulator.click("alice", step, "shop:notify:game-key"))
    assert asked.id == step.id and asked.components == []
    assert "we DM you once when **Game key** is back" in asked.embeds[0]["description"]
    again = await emulator.reply(await forge(emulator, "alice", panel, "shop:notify:game-key"))
    assert again.ephemeral and "already on the list" in again.embeds[0]["description"]
    assert await RestockRequest.filter(customer__discord_id=world.alice.id).count() == 1

    await add_stock("game-key", new_codes(2, "BACK"), bot.cipher)
    dm = await emulator.next_dm("alice", within=WAIT)
    (embed,) = dm.embeds
    assert embed["title"] == "Back in stock: Game key"
    assert "2 available" in embed["description"]
    await wait_for_db(lambda: no_job_left(JobKind.NOTIFY_RESTOCK), "the restock DMs to go out")

    # Another restock: she was told once and did not ask again, so no second DM.
    await add_stock("game-key", new_codes(1, "MORE"), bot.cipher)
    await wait_for_db(lambda: no_job_left(JobKind.NOTIFY_RESTOCK), "the restock DMs to go out")
    await asyncio.sleep(0.3)
    assert [m.id for m in emulator.dms("alice")] == [dm.id]
    assert emulator.dms("bob") == []  # he never asked
    assert await Job.filter(kind=JobKind.NOTIFY_RESTOCK).count() == 1

    # In stock now: asking is refused and writes nothing.
    text = await refusal(emulator, await forge(emulator, "bob", panel, "shop:notify:game-key"))
    assert text == "Game key is in stock right now: open the shop to buy it."
    assert not await RestockRequest.filter(customer__discord_id=world.bob.id).exists()


@pytest.mark.invalid_requests(1)  # the queued notice refused by Carol's closed DMs
async def test_closed_dms_refuse_the_queued_notice_once_and_codes_use_the_fallback(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    emulator, bot = stockroom.emulator, stockroom.bot
    world = emulator.world
    order = await pay_external_order(world.carol.id, "game-key", 1, 500)
    await wait_for_db(
        lambda: Customer.filter(discord_id=world.carol.id, dms_closed=True).exists(),
        "the refused queued notice to be noted",
    )
    await add_stock("game-key", new_codes(1, "CAROL"), bot.cipher)
    notice = await emulator.wait_until(
        lambda: next(
            (
                m
                for m in world.messages.values()
                if (c := world.channel(m.channel_id)) is not None
                and c.type == ChannelType.PRIVATE_THREAD
            ),
            None,
        ),
        "the fallback notice",
        WAIT,
    )
    assert order.number in notice.content
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs to finish")
    assert emulator.dms("carol") == []


async def test_a_restock_while_the_bot_is_down_is_told_after_the_restart(
    start_bot: StartBot,
) -> None:
    first = await start_bot()
    emulator = first.emulator
    panel = await open_panel(first)
    asked = await emulator.reply(await forge(emulator, "bob", panel, "shop:notify:game-key"))
    assert "we DM you once" in asked.embeds[0]["description"]
    settings = first.settings
    await first.bot.close()

    # Codes added from the shell while no bot runs: the DM waits in the outbox.
    await open_database(settings.database_url)
    await add_stock("game-key", new_codes(1, "SHELL"), first.bot.cipher)
    assert await Job.filter(kind=JobKind.NOTIFY_RESTOCK, status=JobStatus.PENDING).count() == 1
    await close_database()
    assert emulator.dms("bob") == []

    await start_bot(
        env={
            "DATABASE_URL": settings.database_url,
            "STOCK_ENCRYPTION_KEYS": ",".join(settings.stock_keys),
        }
    )
    dm = await emulator.next_dm("bob", within=WAIT)
    assert dm.embeds[0]["title"] == "Back in stock: Game key"
    await wait_for_db(lambda: no_job_left(JobKind.NOTIFY_RESTOCK), "the restock DM to be done")
    assert [m.id for m in emulator.dms("bob")] == [dm.id]
