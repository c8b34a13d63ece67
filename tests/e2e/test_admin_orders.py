"""/admin orders end to end: paged lists with filters, processing by hand, revealing codes."""

from __future__ import annotations

import secrets

import pytest

from demo.emulator import DiscordEmulator
from demo.emulator.state import Message
from models.base import OrderSource, OrderStatus
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.tables import Order, OrderEvent
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot
from tests.e2e.test_admin import WAIT, admin_reply, text_of

pytestmark = pytest.mark.e2e


async def paid_order(discord_id: int, product_key: str = "vip", amount: int = 1000) -> Order:
    external_id = f"ext-{secrets.token_hex(4)}"
    result = await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.PAID,
            cause="generic:paid",
            reference=f"evt-{external_id}",
            external_id=external_id,
            discord_user_id=discord_id,
            product_key=product_key,
            amount=amount,
            currency="USD",
        )
    )
    return await Order.get(id=result.order_id)


def order_numbers(message: Message) -> list[str]:
    return [f["name"].split(" · ")[0] for f in message.embeds[0]["fields"]]


async def test_vieworders_pages_with_buttons_that_keep_the_filter(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    bobs = [await paid_order(world.bob.id) for _ in range(12)]
    await paid_order(world.alice.id)

    everyone = await admin_reply(discord_emulator, world.admin, "admin vieworders")
    assert everyone.embeds[0]["footer"]["text"] == "Page 1 of 2 · 13 order(s)"

    first = await admin_reply(discord_emulator, world.admin, "admin vieworders", customer=world.bob)
    assert first.embeds[0]["footer"]["text"] == "Page 1 of 2 · 12 order(s)"
    newest_first = [o.number for o in reversed(bobs)]
    assert order_numbers(first) == newest_first[:10]
    previous, following, opener = first.custom_ids()
    assert opener == "admin:openorder"
    assert first.find_component(previous)["disabled"] is True

    ix = await discord_emulator.click(world.admin, first, following)
    await discord_emulator.wait_until(
        lambda: "Page 2 of 2" in first.embeds[0]["footer"]["text"], "page 2", WAIT
    )
    assert ix.response_type == 7  # the same message, updated in place
    assert order_numbers(first) == newest_first[10:]
    assert f"<@{world.bob.id}>" in text_of(first)
    assert first.find_component(first.custom_ids()[1])["disabled"] is True


async def test_vieworders_filters_by_status_and_refuses_pages_past_the_end(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    kept = await paid_order(world.bob.id)
    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.REFUNDED,
            cause="generic:refunded",
            reference="evt-refund",
            external_id=kept.external_id,
        )
    )
    await paid_order(world.alice.id)
    refunded = await admin_reply(
        discord_emulator, world.admin, "admin vieworders", status="refunded"
    )
    assert order_numbers(refunded) == [kept.number]
    past = await admin_reply(discord_emulator, world.admin, "admin vieworders", page=3)
    assert "only 1 page" in past.content


async def test_a_stranger_cannot_page_an_admin_list(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    for _ in range(11):
        await paid_order(world.bob.id)
    listing = await admin_reply(discord_emulator, world.admin, "admin vieworders")
    ix = await discord_emulator.click(world.alice, listing, listing.custom_ids()[1])
    refusal = await discord_emulator.reply(ix, within=WAIT)
    assert "Only shop admins" in refusal.content
    assert "Page 1 of 2" in listing.embeds[0]["footer"]["text"]


async def test_processorder_refund_revokes_the_role_and_is_audited(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    order = await paid_order(world.alice.id)
    await discord_emulator.has_role(world.alice, world.customer_role, within=WAIT)

    reply = await admin_reply(
        discord_emulator,
        world.admin,
        "admin processorder",
        order=order.number.lower(),
        action="refund",
        reason="asked by buyer",
    )
    assert "refunded" in text_of(reply)
    await discord_emulator.has_role(world.alice, world.customer_role, present=False, within=WAIT)
    await order.refresh_from_db()
    assert order.status is OrderStatus.REFUNDED
    event = await OrderEvent.get(order_id=order.id, cause="admin:refund")
    assert event.actor_id == world.admin.id
    assert event.detail.get("note") == "asked by buyer"

    again = await admin_reply(
        discord_emulator, world.admin, "admin processorder", order=order.number, action="refund"
    )
    assert "cannot be refunded now" in again.content
    assert await OrderEvent.filter(order_id=order.id, cause="admin:refund").count() == 1


async def test_processorder_unknown_order_says_so(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    reply = await admin_reply(
        discord_emulator,
        discord_emulator.world.admin,
        "admin processorder",
        order="SR-NOPE22",
        action="cancel",
    )
    assert "There is no order" in reply.content


async def test_revealcodes_shows_codes_to_the_admin_only_and_is_audited(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    codes = [f"RV-{secrets.token_hex(4).upper()}" for _ in range(2)]
    await add_stock("game-key", codes, stockroom.bot.cipher)
    order = await paid_order(world.bob.id, "game-key", 1000)
    reply = await admin_reply(
        discord_emulator, world.admin, "admin revealcodes", order=order.number
    )
    shown = [code for code in codes if code in reply.embeds[0]["description"]]
    assert len(shown) == 1
    event = await OrderEvent.get(order_id=order.id, cause="admin:reveal_codes")
    assert event.actor_id == world.admin.id
    assert shown[0] not in str(event.detail)

    vip = await paid_order(world.bob.id)
    nothing = await admin_reply(
        discord_emulator, world.admin, "admin revealcodes", order=vip.number
    )
    assert "holds no codes" in nothing.content
