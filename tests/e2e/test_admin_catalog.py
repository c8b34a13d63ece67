"""/admin product and /admin package end to end: edits sell at once and survive restarts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from demo.emulator import DiscordEmulator
from demo.emulator.state import Message
from models.audit.tables import AuditEntry
from models.catalog.storefront import get_shop_product
from models.catalog.tables import Package, Product
from models.customers import wallet
from models.orders.tables import Order
from models.stock.restock import add_stock
from settings import DEFAULT_CONFIG
from tests.discord_plugin import RunningBot, StartBot
from tests.e2e.test_admin import admin_reply, text_of
from tests.e2e.test_shop import open_panel

pytestmark = pytest.mark.e2e


def select_values(message: Message, custom_id: str) -> list[str]:
    """The option values of the select `custom_id` in `message`."""

    def walk(items: list[dict[str, Any]]) -> list[str]:
        for item in items:
            if item.get("custom_id") == custom_id:
                return [option["value"] for option in item.get("options", [])]
            if found := walk(item.get("components", [])):
                return found
        return []

    return walk(message.components)


async def catalog_rows() -> list[tuple]:
    products = (
        await Product.all()
        .order_by("id")
        .values_list("key", "name", "price", "role_id", "low_stock", "description", "active")
    )
    packages = await Package.all().order_by("id").values_list("quantity", "price", "active")
    return [*products, *packages]


async def buy(emulator: DiscordEmulator, panel: Message, who: str, key: str, qty: str) -> Order:
    shop = await emulator.reply(await emulator.click(who, panel, "panel:shop"))
    assert key in select_values(shop, "shop:product")
    step = await emulator.reply(await emulator.select(who, shop, "shop:product", [key]))
    pay = await emulator.reply(await emulator.select(who, step, f"shop:pkg:{key}", [qty]))
    paid = await emulator.reply(await emulator.click(who, pay, f"shop:pay:wallet:{key}:{qty}"))
    number = paid.embeds[0]["fields"][0]["value"]
    return await Order.get(number=number)


async def test_a_product_added_in_discord_is_buyable_at_once_and_survives_a_restart(
    start_bot: StartBot,
) -> None:
    first = await start_bot()
    emulator = first.emulator
    world = emulator.world
    added = await admin_reply(
        emulator,
        world.admin,
        "admin product add",
        product="sticker",
        name="Sticker pack",
        price="$2.50",
        low_stock=2,
        description="Ten stickers",
    )
    assert added.embeds[0]["title"] == "Product added: Sticker pack", added.content
    assert "$2.50" in text_of(added)
    package = await admin_reply(
        emulator, world.admin, "admin package add", product="sticker", quantity=3, price="6"
    )
    assert "3 × $6.00" in text_of(package)
    await add_stock("sticker", [f"ST-{n}" for n in range(6)], first.bot.cipher)
    await wallet.credit(world.alice.id, 5000, reference="catalog-topup")
    panel = await open_panel(first)

    order = await buy(emulator, panel, "alice", "sticker", "3")
    assert (order.product_name, order.quantity, order.amount) == ("Sticker pack", 3, 600)
    dm = await emulator.next_dm("alice")
    assert "ST-" in dm.embeds[0]["description"]
    audit = await AuditEntry.filter(action="product add").first()
    assert (audit.actor_id, audit.target, audit.details["price"]) == (
        world.admin.id,
        "sticker",
        "$2.50",
    )
    await first.bot.close()

    second = await start_bot(env={"DATABASE_URL": first.settings.database_url})
    sticker = await get_shop_product("sticker")
    assert [(o.quantity, o.price) for o in sticker.offers] == [(1, 250), (3, 600)]
    again = await buy(emulator, panel, "alice", "sticker", "1")
    assert again.amount == 250
    stock = await admin_reply(emulator, world.admin, "admin viewstock", product="sticker")
    assert "added in Discord" in text_of(stock)
    assert second.bot.is_ready()


def config_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


async def test_an_edited_price_survives_a_restart_until_the_config_value_changes(
    start_bot: StartBot, tmp_path: Path
) -> None:
    same = config_with(tmp_path, "same.toml", "price = 500", "price = 500")
    first = await start_bot(config_path=same)
    emulator = first.emulator
    world = emulator.world
    edited = await admin_reply(
        emulator,
        world.admin,
        "admin product edit",
        product="game-key",
        price="6.50",
        description="Edited in Discord",
    )
    assert "$5.00 → $6.50" in text_of(edited), edited.content
    assert (await get_shop_product("game-key")).offers[0].price == 650
    await first.bot.close()

    second = await start_bot(env={"DATABASE_URL": first.settings.database_url}, config_path=same)
    game = await Product.get(key="game-key")
    assert (game.price, game.description) == (650, "Edited in Discord")
    stock = await admin_reply(emulator, world.admin, "admin viewstock", product="game-key")
    assert "set in Discord: description, price" in text_of(stock)
    await second.bot.close()

    changed = config_with(tmp_path, "changed.toml", "price = 500", "price = 700")
    await start_bot(env={"DATABASE_URL": first.settings.database_url}, config_path=changed)
    game = await Product.get(key="game-key")
    # The file's price changed: it wins. Its description did not: Discord's edit stays.
    assert (game.price, game.description) == (700, "Edited in Discord")
    assert (await get_shop_product("game-key")).offers[0].price == 700


async def test_hide_show_and_package_edits_reach_the_shop(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    await add_stock("game-key", [f"GK-{n}" for n in range(6)], stockroom.bot.cipher)
    panel = await open_panel(stockroom)
    hidden = await admin_reply(emulator, world.admin, "admin product hide", product="vip")
    assert hidden.embeds[0]["title"] == "Product hidden: VIP access"
    shop = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    assert "vip" not in select_values(shop, "shop:product")
    await admin_reply(emulator, world.admin, "admin product show", product="vip")
    await admin_reply(
        emulator, world.admin, "admin package edit", product="game-key", quantity=5, price="20"
    )
    removed = await admin_reply(
        emulator, world.admin, "admin package remove", product="game-key", quantity=10
    )
    assert "10 ×" not in text_of(removed) and "5 × $20.00" in text_of(removed)
    shop = await emulator.reply(await emulator.click("alice", panel, "panel:shop"))
    assert "vip" in select_values(shop, "shop:product")
    step = await emulator.reply(await emulator.select("alice", shop, "shop:product", ["game-key"]))
    assert select_values(step, "shop:pkg:game-key") == ["1", "5"]
    choices = await emulator.autocomplete(
        world.admin, "admin product edit", focused="product", product="vi"
    )
    assert [c["value"] for c in choices] == ["vip", "vip-monthly"]  # the shipped catalog's two


@pytest.mark.parametrize(
    ("command", "options", "message"),
    [
        ("admin product edit", {"product": "game-key", "price": "five"}, "not a price in USD"),
        ("admin product edit", {"product": "game-key"}, "at least one of"),
        ("admin product edit", {"product": "nope", "price": "5"}, "no product with the key"),
        ("admin product add", {"product": "Bad Key", "name": "X", "price": "1"}, "product key"),
        ("admin product add", {"product": "vip", "name": "X", "price": "1"}, "exists"),
        ("admin product add", {"product": "x", "name": "X", "price": "0"}, "more than zero"),
        ("admin package add", {"product": "vip", "quantity": 5, "price": "1"}, "code products"),
        ("admin package add", {"product": "game-key", "quantity": 1, "price": "1"}, "own price"),
        ("admin package remove", {"product": "game-key", "quantity": 7}, "no package of 7"),
        ("admin product show", {"product": "vip"}, "already on sale"),
    ],
)
async def test_bad_arguments_get_a_reason_and_change_nothing(
    stockroom: RunningBot, command: str, options: dict, message: str
) -> None:
    emulator = stockroom.emulator
    before = await catalog_rows()
    reply = await admin_reply(emulator, emulator.world.admin, command, **options)
    assert message in reply.content
    assert await catalog_rows() == before


async def test_a_role_the_bot_cannot_give_is_refused(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    before = await catalog_rows()
    above = await admin_reply(
        emulator, world.admin, "admin product edit", product="vip", role=world.moderator_role
    )
    assert "move my role above it" in above.content
    everyone = await admin_reply(
        emulator, world.admin, "admin product edit", product="vip", role=world.everyone
    )
    assert "@everyone" in everyone.content
    assert await catalog_rows() == before
    done = await admin_reply(
        emulator, world.admin, "admin product edit", product="vip", role=world.customer_role
    )
    assert f"<@&{world.customer_role.id}>" in text_of(done)
    assert (await Product.get(key="vip")).role_id == world.customer_role.id
    both = await admin_reply(
        emulator,
        world.admin,
        "admin product edit",
        product="vip",
        role=world.customer_role,
        customer_role=True,
    )
    assert "not both" in both.content
    back = await admin_reply(
        emulator, world.admin, "admin product edit", product="vip", customer_role=True
    )
    assert "Changed: role" in text_of(back) and "the customer role" in text_of(back)
    assert (await Product.get(key="vip")).role_id == 0


async def test_members_who_are_not_admins_are_refused(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    alice = emulator.world.alice
    before = await catalog_rows()
    attempts = [
        ("admin product add", {"product": "mine", "name": "Mine", "price": "1"}),
        ("admin product edit", {"product": "game-key", "price": "0.01"}),
        ("admin product hide", {"product": "game-key"}),
        ("admin product show", {"product": "game-key"}),
        ("admin package add", {"product": "game-key", "quantity": 2, "price": "0.01"}),
        ("admin package edit", {"product": "game-key", "quantity": 5, "price": "0.01"}),
        ("admin package remove", {"product": "game-key", "quantity": 5}),
    ]
    for command, options in attempts:
        reply = await admin_reply(emulator, alice, command, **options)
        assert "Only shop admins" in reply.content, command
    assert await catalog_rows() == before
    refused = await AuditEntry.filter(actor_id=alice.id).values_list("action", "details")
    assert [a for a, _ in refused] == [c.removeprefix("admin ") for c, _ in attempts]
    assert all(d["outcome"].startswith("refused: Only shop admins") for _, d in refused)
