"""/admin product add|edit|hide|show: the catalog edited from Discord.

Prices are typed as people write money ("5", "$5.00", "1,299.99") in the product's currency.
An edit is on sale at once (the shop reads the Product table) and is kept across restarts
until the config.toml value it replaced changes (models.catalog.sync); /admin viewstock shows
which values Discord set. The audit trail records every command (cogs/admin/audit.py).
"""

from __future__ import annotations

from typing import Literal

import disnake
from disnake.ext import commands

from cogs import _embeds
from cogs.admin.cog import Admin
from models.base import ProductKind
from models.catalog.editing import (
    CatalogChange,
    add_product,
    edit_product,
    find_products,
    set_product_active,
)
from models.catalog.tables import Product
from models.errors import InvalidInput
from models.money import format_money

KindChoice = Literal["code", "role", "code+role"]
ProductKeyText = commands.String[str, 1, 64]
NameText = commands.String[str, 1, 100]
PriceText = commands.String[str, 1, 32]
CurrencyText = commands.String[str, 3, 3]
DescriptionText = commands.String[str, 0, 500]
LowStock = commands.Range[int, 0, 1_000_000]
PRECEDENCE = "Kept across restarts until config.toml's value for it changes."


def role_id_of(role: disnake.Role | None) -> int | None:
    """The role's id once the bot can really give it; a refusal saying why otherwise."""
    if role is None:
        return None
    if role.is_default():
        raise InvalidInput("@everyone cannot be a product's role; pick a role members lack.")
    if role.managed:
        raise InvalidInput(f"{role.name} belongs to an integration; Discord lets no bot give it.")
    if not role.is_assignable():
        raise InvalidInput(
            f"I cannot give {role.name}: move my role above it under Server Settings → Roles."
        )
    return role.id


def _shown(field: str, value: object, product: Product) -> str:
    if field == "price":
        return format_money(int(value), product.currency)  # type: ignore[call-overload]
    if field == "role_id":
        return f"<@&{value}>" if value else "the customer role"
    if field == "low_stock":
        return f"below {value}" if value else "off"
    if field == "active":
        return "on sale" if value else "hidden"
    return str(value) or "(empty)"


def product_embed(title: str, product: Product, footer: str = PRECEDENCE) -> disnake.Embed:
    embed = disnake.Embed(title=title, colour=_embeds.COMPLETED)
    embed.add_field(name="Key", value=product.key)
    kind = ProductKind(product.kind)
    embed.add_field(name="Kind", value=kind.value)
    embed.add_field(name="Price", value=_shown("price", product.price, product))
    if kind.grants_role:
        embed.add_field(name="Role", value=_shown("role_id", product.role_id, product))
    if kind.delivers_codes:
        embed.add_field(
            name="Low-stock alert", value=_shown("low_stock", product.low_stock, product)
        )
    embed.add_field(name="In the shop", value=_shown("active", product.active, product))
    if product.description:
        embed.add_field(name="Description", value=product.description, inline=False)
    embed.set_footer(text=footer)
    return _embeds.fit(embed)


def change_embed(title: str, done: CatalogChange) -> disnake.Embed:
    embed = product_embed(title, done.product)
    for name, (before, after) in done.changes.items():
        label = name.replace("_id", "").replace("_", "-")
        embed.add_field(
            name=f"Changed: {label}",
            value=f"{_shown(name, before, done.product)} → {_shown(name, after, done.product)}",
            inline=False,
        )
    return _embeds.fit(embed)


@Admin.admin.sub_command_group(name="product")
async def product_group(inter: disnake.ApplicationCommandInteraction) -> None:
    """Add, edit, hide or show products."""


@product_group.sub_command(name="add")
async def product_add(
    inter: disnake.ApplicationCommandInteraction,
    product: ProductKeyText,
    name: NameText,
    price: PriceText,
    kind: KindChoice = "code",
    currency: CurrencyText | None = None,
    role: disnake.Role | None = None,
    low_stock: LowStock = 5,
    description: DescriptionText = "",
) -> None:
    """Add a product; it is in the shop at once.

    Parameters
    ----------
    product: The new product's key, e.g. game-key (lowercase letters, digits, - and _)
    name: What customers see
    price: One item's price as you write it, e.g. 5.00 or $5
    kind: code (deliver codes), role (grant a role) or code+role
    currency: 3-letter code, e.g. USD (default: the wallet currency)
    role: The role it grants (default: the customer role)
    low_stock: Alert the admins when fewer codes than this are left (0: never)
    description: Shown in the shop
    """
    added = await add_product(
        product,
        name,
        kind,
        price,
        currency or inter.bot.settings.wallet_currency,  # type: ignore[attr-defined]
        role_id=role_id_of(role) or 0,
        low_stock=low_stock,
        description=description,
    )
    footer = "Added in Discord: restarts keep it; config.toml takes it over if it lists the key."
    await inter.response.send_message(
        embed=product_embed(f"Product added: {added.name}", added, footer), ephemeral=True
    )


@product_group.sub_command(name="edit")
async def product_edit(
    inter: disnake.ApplicationCommandInteraction,
    product: ProductKeyText,
    name: NameText | None = None,
    price: PriceText | None = None,
    role: disnake.Role | None = None,
    customer_role: bool = False,
    low_stock: LowStock | None = None,
    description: DescriptionText | None = None,
) -> None:
    """Change a product's name, price, role, low-stock alert or description.

    Parameters
    ----------
    product: The product's key
    name: What customers see
    price: One item's price in the product's currency, e.g. 6.50
    role: The role it grants
    customer_role: True: grant the configured customer role instead of a role of its own
    low_stock: Alert the admins when fewer codes than this are left (0: never)
    description: Shown in the shop
    """
    if customer_role and role is not None:
        raise InvalidInput("Give `role` or `customer_role`, not both.")
    done = await edit_product(
        product,
        name=name,
        price=price,
        role_id=0 if customer_role else role_id_of(role),
        low_stock=low_stock,
        description=description,
    )
    await inter.response.send_message(
        embed=change_embed(f"Product edited: {done.product.name}", done), ephemeral=True
    )


@product_group.sub_command(name="hide")
async def product_hide(
    inter: disnake.ApplicationCommandInteraction, product: ProductKeyText
) -> None:
    """Take a product out of the shop (orders and stock are kept).

    Parameters
    ----------
    product: The product's key
    """
    done = await set_product_active(product, False)
    await inter.response.send_message(
        embed=change_embed(f"Product hidden: {done.product.name}", done), ephemeral=True
    )


@product_group.sub_command(name="show")
async def product_show(
    inter: disnake.ApplicationCommandInteraction, product: ProductKeyText
) -> None:
    """Put a hidden product back in the shop.

    Parameters
    ----------
    product: The product's key
    """
    done = await set_product_active(product, True)
    await inter.response.send_message(
        embed=change_embed(f"Product back on sale: {done.product.name}", done), ephemeral=True
    )


async def product_choices(
    inter: disnake.ApplicationCommandInteraction, typed: str
) -> dict[str, str]:
    """Every product (hidden ones too), matching what the admin typed."""
    return {
        f"{name} ({key}){'' if active else ' · hidden'}"[:100]: key
        for key, name, active in await find_products(typed)
    }


for _command in (product_edit, product_hide, product_show):
    _command.autocomplete("product")(product_choices)
