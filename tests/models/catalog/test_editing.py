"""Catalog edits from Discord: bad arguments are refused with a reason and change nothing."""

from __future__ import annotations

import pytest

from models.base import ProductKind
from models.catalog.editing import (
    add_package,
    add_product,
    edit_package,
    edit_product,
    remove_package,
    set_product_active,
)
from models.catalog.storefront import get_shop_product
from models.catalog.tables import Package, Product
from models.errors import InvalidInput, NotFound


async def snapshot() -> list[tuple]:
    products = (
        await Product.all()
        .order_by("id")
        .values_list("key", "name", "price", "role_id", "low_stock", "description", "active")
    )
    packages = await Package.all().order_by("id").values_list("quantity", "price", "active")
    return [*products, *packages]


async def test_a_product_added_in_discord_is_on_sale_with_its_price(catalog) -> None:
    product = await add_product(
        "sticker", " Sticker pack ", "code", "$1,299.99", "usd", low_stock=2, description="Fun"
    )
    assert (product.name, product.price, product.currency, product.seeded) == (
        "Sticker pack",
        129999,
        "USD",
        None,
    )
    offered = await get_shop_product("sticker")
    assert offered.offers[0].price == 129999 and offered.kind is ProductKind.CODE
    _, package = await add_package("sticker", 3, "3000")
    assert package.price == 300000
    assert [o.quantity for o in (await get_shop_product("sticker")).offers] == [1, 3]


async def test_zero_decimal_currencies_take_whole_amounts(db) -> None:
    product = await add_product("yen-key", "Yen key", "code", "¥500", "JPY")
    assert product.price == 500
    with pytest.raises(InvalidInput, match="not a price in JPY"):
        await edit_product("yen-key", price="5.50")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"key": "Game Key"}, "not a usable product key"),
        ({"key": "game-key"}, "exists; use /admin product edit"),
        ({"name": "   "}, "name must be 1 to 100"),
        ({"kind": "ticket"}, "not a product kind"),
        ({"price": "five dollars"}, "not a price in USD"),
        ({"price": "0"}, "more than zero"),
        ({"price": "-3"}, "more than zero"),
        ({"price": "9" * 20}, "more than Stockroom accepts"),
        ({"price": "1.234"}, "not a price in USD"),
        ({"currency": "dollars"}, "not a currency"),
        ({"role_id": 42}, "grants no role"),
        ({"low_stock": -1}, "0 or more"),
        ({"description": "x" * 501}, "at most 500"),
    ],
)
async def test_bad_product_arguments_are_refused_and_change_nothing(
    catalog, arguments, message
) -> None:
    before = await snapshot()
    call = {"key": "new-key", "name": "New", "kind": "code", "price": "5", "currency": "USD"}
    call.update(arguments)
    with pytest.raises(InvalidInput, match=message):
        await add_product(
            call.pop("key"),
            call.pop("name"),
            call.pop("kind"),
            call.pop("price"),
            call.pop("currency"),
            **call,
        )
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("key", "arguments", "error", "message"),
    [
        ("nope", {"price": "5"}, NotFound, "no product with the key"),
        ("game-key", {}, InvalidInput, "at least one of"),
        ("game-key", {"price": "5.00"}, InvalidInput, "already has those values"),
        ("game-key", {"price": "abc"}, InvalidInput, "not a price in USD"),
        ("game-key", {"role_id": 5}, InvalidInput, "grants no role"),
        ("game-key", {"name": "ok", "price": "x"}, InvalidInput, "not a price"),
    ],
)
async def test_bad_edits_are_refused_and_change_nothing(
    catalog, key, arguments, error, message
) -> None:
    before = await snapshot()
    with pytest.raises(error, match=message):
        await edit_product(key, **arguments)
    assert await snapshot() == before


async def test_an_edit_reports_what_changed(catalog) -> None:
    done = await edit_product("vip", price="12.5", role_id=999, description="Gold")
    assert done.changes == {
        "price": (1000, 1250),
        "role_id": (777, 999),
        "description": ("", "Gold"),
    }
    assert (done.product.price, done.product.role_id) == (1250, 999)


async def test_hide_and_show(catalog) -> None:
    await set_product_active("vip", False)
    with pytest.raises(NotFound):
        await get_shop_product("vip")
    with pytest.raises(InvalidInput, match="already hidden"):
        await set_product_active("vip", False)
    await set_product_active("vip", True)
    assert (await get_shop_product("vip")).name == "VIP"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: add_package("vip", 5, "10"), InvalidInput, "packages are for code products"),
        (lambda: add_package("game-key", 1, "10"), InvalidInput, "product's own price"),
        (lambda: add_package("game-key", 1001, "10"), InvalidInput, "2 to 1000"),
        (lambda: add_package("game-key", 5, "10"), InvalidInput, "already has a package of 5"),
        (lambda: add_package("game-key", 3, "ten"), InvalidInput, "not a price"),
        (lambda: edit_package("game-key", 7, "10"), NotFound, "no package of 7"),
        (lambda: edit_package("game-key", 5, "22.50"), InvalidInput, "already costs that"),
        (lambda: remove_package("game-key", 7), NotFound, "no package of 7"),
        (lambda: remove_package("nope", 5), NotFound, "no product with the key"),
    ],
)
async def test_bad_package_arguments_are_refused_and_change_nothing(
    catalog, call, error, message
) -> None:
    before = await snapshot()
    with pytest.raises(error, match=message):
        await call()
    assert await snapshot() == before


async def test_packages_are_edited_removed_and_added_back(catalog) -> None:
    _, old, package = await edit_package("game-key", 5, "$20")
    assert (old, package.price) == (2250, 2000)
    await remove_package("game-key", 5)
    assert [o.quantity for o in (await get_shop_product("game-key")).offers] == [1]
    await add_package("game-key", 5, "21")
    assert await Package.filter(quantity=5).values_list("price", "active") == [(2100, True)]
