"""config.toml seeds the catalog; an edit made in Discord stays until the file's value changes."""

from __future__ import annotations

from dataclasses import replace

from models.catalog.editing import (
    add_package,
    add_product,
    edit_product,
    remove_package,
    set_product_active,
)
from models.catalog.origin import FROM_DISCORD, FROM_FILE, catalog_origins
from models.catalog.sync import sync_catalog
from models.catalog.tables import Package, Product
from settings import PackageConfig, ProductConfig

GAME = ProductConfig(
    "game-key",
    "Game key",
    "code",
    500,
    "USD",
    low_stock=3,
    description="A key",
    packages=(PackageConfig(5, 2250), PackageConfig(10, 4000)),
)
VIP = ProductConfig("vip", "VIP", "role", 1000, "USD", role_id=777)


async def packages_of(key: str) -> dict[int, tuple[int, bool]]:
    rows = await Package.filter(product__key=key)
    return {p.quantity: (p.price, p.active) for p in rows}


async def test_an_edit_made_in_discord_survives_a_start_with_the_same_file(db) -> None:
    assert await sync_catalog([GAME, VIP]) == {"created": 2, "updated": 0, "hidden": 0}
    await edit_product("game-key", price="$6.50", description="Edited in Discord")
    await edit_product("vip", role_id=888)
    assert await sync_catalog([GAME, VIP]) == {"created": 0, "updated": 0, "hidden": 0}
    game = await Product.get(key="game-key")
    assert (game.price, game.description, game.name) == (650, "Edited in Discord", "Game key")
    assert (await Product.get(key="vip")).role_id == 888


async def test_a_value_changed_in_the_file_wins_over_the_discord_edit(db) -> None:
    await sync_catalog([GAME])
    await edit_product("game-key", price="6.50", name="Renamed in Discord")
    changed = replace(GAME, price=700)
    assert await sync_catalog([changed]) == {"created": 0, "updated": 1, "hidden": 0}
    game = await Product.get(key="game-key")
    # The price changed in the file: the file wins. The name did not: Discord's stays.
    assert (game.price, game.name) == (700, "Renamed in Discord")
    # Later starts with that file keep what is there.
    await edit_product("game-key", price="8")
    await sync_catalog([changed])
    assert (await Product.get(key="game-key")).price == 800


async def test_a_product_added_in_discord_is_not_hidden_for_missing_from_the_file(db) -> None:
    await sync_catalog([GAME, VIP])
    await add_product("sticker", "Sticker pack", "code", "$2", "USD", low_stock=0)
    assert await sync_catalog([GAME]) == {"created": 0, "updated": 0, "hidden": 1}
    assert (await Product.get(key="sticker")).active
    assert not (await Product.get(key="vip")).active


async def test_a_product_the_file_dropped_is_hidden_once_then_belongs_to_discord(db) -> None:
    await sync_catalog([GAME, VIP])
    await sync_catalog([GAME])
    vip = await Product.get(key="vip")
    assert (vip.active, vip.seeded) == (False, None)
    await set_product_active("vip", True)
    assert await sync_catalog([GAME]) == {"created": 0, "updated": 0, "hidden": 0}
    assert (await Product.get(key="vip")).active


async def test_hiding_sticks_until_the_file_lists_the_product_anew(db) -> None:
    await sync_catalog([GAME])
    await set_product_active("game-key", False)
    await sync_catalog([GAME])
    assert not (await Product.get(key="game-key")).active


async def test_the_file_listing_a_discord_product_takes_it_over(db) -> None:
    await add_product("game-key", "Mine", "code", "1.00", "USD")
    await set_product_active("game-key", False)
    assert await sync_catalog([GAME]) == {"created": 0, "updated": 1, "hidden": 0}
    game = await Product.get(key="game-key")
    assert (game.name, game.price, game.active) == ("Game key", 500, True)
    assert await packages_of("game-key") == {5: (2250, True), 10: (4000, True)}


async def test_package_edits_stick_until_the_file_changes_that_package(db) -> None:
    await sync_catalog([GAME])
    await remove_package("game-key", 10)
    await add_package("game-key", 3, "$14")
    await sync_catalog([GAME])
    assert await packages_of("game-key") == {
        3: (1400, True),
        5: (2250, True),
        10: (4000, False),
    }
    repriced = replace(GAME, packages=(PackageConfig(5, 2000), PackageConfig(10, 3800)))
    await sync_catalog([repriced])
    assert await packages_of("game-key") == {3: (1400, True), 5: (2000, True), 10: (3800, True)}
    # A package the file no longer lists goes off sale; the one added in Discord stays.
    await sync_catalog([replace(GAME, packages=(PackageConfig(5, 2000),))])
    assert await packages_of("game-key") == {
        3: (1400, True),
        5: (2000, True),
        10: (3800, False),
    }


async def test_products_seeded_before_seeds_were_kept_follow_the_file(db) -> None:
    """Migration 9 marks existing rows '{}': the next start applies the file as it used to."""
    await sync_catalog([GAME, VIP])
    await Product.all().update(seeded={}, price=1)
    await Package.filter(quantity=5).update(price=1)
    await Package.create(product=await Product.get(key="game-key"), quantity=20, price=9)
    assert await sync_catalog([GAME]) == {"created": 0, "updated": 1, "hidden": 1}
    assert (await Product.get(key="game-key")).price == 500
    assert await packages_of("game-key") == {5: (2250, True), 10: (4000, True), 20: (9, False)}
    assert not (await Product.get(key="vip")).active


async def test_origins_name_what_discord_changed(db) -> None:
    await sync_catalog([GAME, VIP])
    await add_product("sticker", "Sticker pack", "code", "$2", "USD")
    await edit_product("game-key", price="6", low_stock=1)
    await remove_package("game-key", 10)
    await set_product_active("vip", False)
    origins = await catalog_origins()
    assert origins["sticker"] == FROM_DISCORD
    assert origins["game-key"] == (
        f"{FROM_FILE}; set in Discord: price, low-stock, packages "
        "(kept until the file's value changes)"
    )
    assert origins["vip"].startswith(f"{FROM_FILE}; set in Discord: hidden")
    await sync_catalog([replace(GAME, price=600, low_stock=1), VIP])
    await add_package("game-key", 10, "40")
    assert (await catalog_origins())["game-key"] == FROM_FILE
