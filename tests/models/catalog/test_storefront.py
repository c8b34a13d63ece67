"""What the shop panel lists: active products, offers, live availability; the panel's place."""

from __future__ import annotations

import pytest

from models.catalog.storefront import (
    MAX_LISTED_PRODUCTS,
    Offer,
    get_shop_product,
    list_shop_products,
    panel_location,
    remember_panel,
)
from models.catalog.tables import Package, Product
from models.customers.wallet import credit
from models.errors import NotFound
from models.orders.purchases import purchase_with_wallet
from models.stock.restock import add_stock


async def test_products_list_with_offers_and_live_stock(catalog, cipher) -> None:
    await add_stock("game-key", [f"K-{n}" for n in range(7)], cipher)
    listed = {p.key: p for p in await list_shop_products()}
    assert sorted(listed) == ["bundle", "game-key", "vip"]
    game = listed["game-key"]
    assert game.offers == (Offer(1, 500), Offer(5, 2250))
    assert game.available == 7 and game.in_stock(5) and not game.in_stock(8)
    assert listed["bundle"].sold_out and listed["bundle"].delivers_codes
    assert listed["vip"].available is None and listed["vip"].in_stock(1000)

    await credit(1001, 5000, reference="storefront-topup")
    await purchase_with_wallet(1001, "game-key", package_quantity=5, reference="storefront-1")
    assert (await get_shop_product("game-key")).available == 2


async def test_retired_products_and_packages_are_not_offered(catalog) -> None:
    await Product.filter(key="vip").update(active=False)
    await Package.filter(quantity=5).update(active=False)
    assert [p.key for p in await list_shop_products()] == ["bundle", "game-key"]
    with pytest.raises(NotFound, match="not for sale"):
        await get_shop_product("vip")
    with pytest.raises(NotFound, match="not for sale"):
        await get_shop_product("no-such-thing")
    game = await get_shop_product("game-key")
    assert game.offers == (Offer(1, 500),)
    with pytest.raises(NotFound, match="not sold in packs of 5"):
        game.offer(5)


async def test_more_products_than_one_select_holds_are_all_listed(db) -> None:
    for n in range(30):
        await Product.create(
            key=f"p{n:02d}", name=f"P{n:02d}", kind="code", price=100, currency="USD"
        )
    listed = await list_shop_products()
    assert len(listed) == 30 <= MAX_LISTED_PRODUCTS
    assert len(await list_shop_products(limit=10)) == 10
    assert [p.name for p in listed] == sorted(p.name for p in listed)


async def test_the_panel_location_is_remembered_and_replaced(db) -> None:
    assert await panel_location() is None
    await remember_panel(11, 22)
    await remember_panel(33, 44)
    location = await panel_location()
    assert (location.channel_id, location.message_id) == (33, 44)
