"""/admin package add|edit|remove: quantity packages of a code product, priced from Discord.

One item always costs the product's own price (/admin product edit price); a package sells
2 to 1000 at its own price. Removing a package takes it off sale and keeps the orders made
with it. Like product edits, package edits are kept until config.toml changes that package.
"""

from __future__ import annotations

import disnake
from disnake.ext import commands

from cogs import _embeds
from cogs.admin.catalog import PRECEDENCE, PriceText, ProductKeyText, product_choices
from cogs.admin.cog import Admin
from models.catalog.editing import (
    MAX_PACKAGE_QUANTITY,
    add_package,
    edit_package,
    packages_on_sale,
    remove_package,
)
from models.catalog.tables import Product
from models.money import format_money

Quantity = commands.Range[int, 1, MAX_PACKAGE_QUANTITY]


async def _package_embed(title: str, product: Product, lines: list[str]) -> disnake.Embed:
    embed = disnake.Embed(title=title, colour=_embeds.COMPLETED, description="\n".join(lines))
    on_sale = await packages_on_sale(product.id)
    offers = [f"1 × {format_money(product.price, product.currency)}"]
    offers += [f"{p.quantity} × {format_money(p.price, product.currency)}" for p in on_sale]
    embed.add_field(name=f"{product.name} ({product.key}) sells", value="\n".join(offers))
    embed.set_footer(text=PRECEDENCE)
    return _embeds.fit(embed)


@Admin.admin.sub_command_group(name="package")
async def package_group(inter: disnake.ApplicationCommandInteraction) -> None:
    """Add, re-price or remove quantity packages."""


@package_group.sub_command(name="add")
async def package_add(
    inter: disnake.ApplicationCommandInteraction,
    product: ProductKeyText,
    quantity: Quantity,
    price: PriceText,
) -> None:
    """Sell a code product in packs of `quantity` for `price`.

    Parameters
    ----------
    product: The product's key
    quantity: Codes in the pack (2 to 1000)
    price: The whole pack's price as you write it, e.g. 22.50
    """
    found, package = await add_package(product, quantity, price)
    shown = format_money(package.price, found.currency)
    embed = await _package_embed("Package added", found, [f"{quantity} for {shown}, on sale now."])
    await inter.response.send_message(embed=embed, ephemeral=True)


@package_group.sub_command(name="edit")
async def package_edit(
    inter: disnake.ApplicationCommandInteraction,
    product: ProductKeyText,
    quantity: Quantity,
    price: PriceText,
) -> None:
    """Change a package's price.

    Parameters
    ----------
    product: The product's key
    quantity: Which package (its number of codes)
    price: The whole pack's new price, e.g. 20.00
    """
    found, old, package = await edit_package(product, quantity, price)
    line = (
        f"Pack of {quantity}: {format_money(old, found.currency)} → "
        f"{format_money(package.price, found.currency)}"
    )
    await inter.response.send_message(
        embed=await _package_embed("Package re-priced", found, [line]), ephemeral=True
    )


@package_group.sub_command(name="remove")
async def package_remove(
    inter: disnake.ApplicationCommandInteraction,
    product: ProductKeyText,
    quantity: Quantity,
) -> None:
    """Stop selling a package (orders made with it are kept).

    Parameters
    ----------
    product: The product's key
    quantity: Which package (its number of codes)
    """
    found, _ = await remove_package(product, quantity)
    embed = await _package_embed("Package removed", found, [f"Pack of {quantity} is off sale."])
    await inter.response.send_message(embed=embed, ephemeral=True)


for _command in (package_add, package_edit, package_remove):
    _command.autocomplete("product")(product_choices)
