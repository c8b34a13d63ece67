"""/admin end to end: who may use it, stock, wallets, statistics, panel and role re-sync."""

from __future__ import annotations

import io
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from demo.emulator import DiscordEmulator
from demo.emulator.state import Message
from models.base import OrderSource, OrderStatus, PaymentMethod, StockStatus
from models.customers.tables import WalletTransaction
from models.customers.wallet import balance
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.purchases import start_checkout
from models.stock.tables import StockItem
from tests.discord_plugin import RunningBot, StartBot

pytestmark = pytest.mark.e2e

WAIT = 10.0


def fields_of(message: Message) -> dict[str, str]:
    return {f["name"]: f["value"] for embed in message.embeds for f in embed.get("fields", [])}


def text_of(message: Message) -> str:
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


async def admin_reply(emulator: DiscordEmulator, who, command: str, **options) -> Message:  # type: ignore[no-untyped-def]
    ix = await emulator.slash(who, command, **options)
    reply = await emulator.reply(ix, within=WAIT)
    assert reply.ephemeral
    return reply


async def test_members_without_manage_server_or_the_admin_role_are_refused(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    reply = await admin_reply(discord_emulator, world.alice, "admin viewstock")
    assert "Only shop admins" in reply.content
    reply = await admin_reply(
        discord_emulator, world.alice, "admin wallet", user=world.alice, amount="50", reason="me"
    )
    assert "Only shop admins" in reply.content
    assert await balance(world.alice.id) == 0
    assert await WalletTransaction.all().count() == 0


async def test_the_configured_admin_role_lets_members_in_without_manage_server(
    start_bot: StartBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    helpers = await discord_emulator.create_role("Shop helpers", 1)
    world.member(world.bob.id).roles.append(helpers.id)
    await start_bot(env={"ADMIN_ROLE_ID": str(helpers.id)})
    reply = await admin_reply(discord_emulator, world.bob, "admin viewstock")
    assert reply.embeds and reply.embeds[0]["title"] == "Stock", reply.content
    refused = await admin_reply(discord_emulator, world.alice, "admin viewstock")
    assert "Only shop admins" in refused.content


async def test_addstock_from_text_reports_added_and_duplicates_without_codes(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    codes = [f"GK-{secrets.token_hex(4).upper()}" for _ in range(3)]
    reply = await admin_reply(
        discord_emulator,
        world.admin,
        "admin addstock",
        product="game-key",
        codes=f"{codes[0]} {codes[1]}, {codes[2]} {codes[1]}",
    )
    found = fields_of(reply)
    assert (found["Added"], found["Duplicates"], found["Rejected"]) == ("3", "1", "0")
    assert found["Duplicate lines"] == "4"
    assert not any(code in text_of(reply) for code in codes)
    stored = await StockItem.filter(status=StockStatus.AVAILABLE).count()
    assert stored == 3
    assert (await StockItem.first()).added_by == world.admin.id


async def test_addstock_from_a_txt_file_reports_rejected_lines(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    first = f"SB-{secrets.token_hex(4).upper()}"
    long_code = "X" * 501
    data = f"{first}\nSB-2-{secrets.token_hex(2)}\n\n{long_code}\n{first}\n".encode()
    reply = await admin_reply(
        discord_emulator,
        world.admin,
        "admin addstock",
        product="starter-bundle",
        file=("codes.txt", data),
    )
    found = fields_of(reply)
    assert (found["Added"], found["Duplicates"], found["Rejected"]) == ("2", "1", "2")
    assert found["Duplicate lines"] == "5"
    assert found["Rejected: empty"] == "lines 3"
    assert found["Rejected: longer than 500 characters"] == "lines 4"
    assert first not in text_of(reply)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"product": "game-key"}, "Give the codes"),
        ({"product": "game-key", "file": ("codes.pdf", b"%PDF-1.4")}, ".txt or .csv"),
        ({"product": "game-key", "file": ("codes.txt", b"\xff\xfe\x00")}, "not UTF-8"),
        ({"product": "game-key", "codes": "A", "file": ("c.txt", b"B\n")}, "not both"),
        ({"product": "no-such-thing", "codes": "A"}, "no product"),
        ({"product": "vip", "codes": "A"}, "role product"),
    ],
)
async def test_addstock_refuses_bad_input_and_stores_nothing(
    stockroom: RunningBot, discord_emulator: DiscordEmulator, options: dict, message: str
) -> None:
    reply = await admin_reply(
        discord_emulator, discord_emulator.world.admin, "admin addstock", **options
    )
    assert message in reply.content
    assert await StockItem.all().count() == 0


async def test_addstock_autocomplete_offers_code_products(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    choices = await discord_emulator.autocomplete(
        discord_emulator.world.admin, "admin addstock", focused="product", product="game"
    )
    assert [c["value"] for c in choices] == ["game-key"]


async def test_viewstock_shows_counts_and_low_stock(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    await admin_reply(
        discord_emulator, world.admin, "admin addstock", product="game-key", codes="K1 K2"
    )
    await start_checkout(
        world.bob.id,
        "game-key",
        payment_method=PaymentMethod.STRIPE,
        reference="bob-checkout",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
        quantity=1,
    )
    reply = await admin_reply(discord_emulator, world.admin, "admin viewstock")
    found = fields_of(reply)
    game = next(value for name, value in found.items() if "game-key" in name)
    assert "available **1** · reserved 1 (1 held by open checkouts)" in game
    assert any("game-key" in name and "low" in name for name in found)
    only = await admin_reply(discord_emulator, world.admin, "admin viewstock", product="game-key")
    assert len(only.embeds[0]["fields"]) == 1


async def test_botstats_replies_with_an_embed_and_a_png_chart(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    for n in range(3):
        await apply_payment_event(
            PaymentEvent(
                source=OrderSource.GENERIC,
                status=PaymentStatus.PAID,
                cause="generic:paid",
                reference=f"evt-{n}",
                external_id=f"stats-{n}",
                discord_user_id=world.bob.id,
                product_key="vip",
                amount=1000,
                currency="USD",
            )
        )
    reply = await admin_reply(discord_emulator, world.admin, "admin botstats")
    found = fields_of(reply)
    assert found["Revenue (all time)"] == "$30.00"
    assert "3 order(s), 3 paid" in found["Last 24h"]
    assert "Job queue" in found and "Webhook errors" in found
    (chart,) = reply.attachments
    assert chart.filename == "orders-per-day.png"
    assert reply.embeds[0]["image"]["url"] == "attachment://orders-per-day.png"
    image = Image.open(io.BytesIO(chart.content))
    assert image.format == "PNG" and image.size[0] > 100


async def test_panel_posts_the_shop_panel_in_the_chosen_channel(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    reply = await admin_reply(
        discord_emulator, world.admin, "admin panel", channel=world.shop_channel
    )
    assert "Shop panel posted" in text_of(reply)
    panel = await discord_emulator.message_in(
        world.shop_channel, lambda m: m.author.id == world.bot.id and bool(m.custom_ids())
    )
    assert "panel:shop" in panel.custom_ids()


async def test_addstock_releases_an_order_waiting_for_stock_to_its_buyer(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    waiting = await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.PAID,
            cause="generic:paid",
            reference="evt-waiting",
            external_id="waiting-1",
            discord_user_id=world.bob.id,
            product_key="game-key",
            amount=500,
            currency="USD",
        )
    )
    assert waiting.status is OrderStatus.AWAITING_STOCK
    code = f"GK-{secrets.token_hex(4).upper()}"
    reply = await admin_reply(
        discord_emulator, world.admin, "admin addstock", product="game-key", codes=code
    )
    assert "1 order(s) now get their codes" in fields_of(reply)["Waiting orders released"]
    # Bob may have been told first that his order is queued: wait for the codes.
    dm = await discord_emulator.next_dm(
        world.bob,
        where=lambda m: code in text_of(m) or any(code in a.text for a in m.attachments),
        within=WAIT,
    )
    assert code in text_of(dm) or any(code in a.text for a in dm.attachments)
