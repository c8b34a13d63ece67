"""The Renew button of a timed access's reminder DM: the shop's payment step for the same pass.

The click comes from a DM, not the guild: the payment step is sent as a new message there
(the reminder stays as it is), and paying from it runs the shop's usual steps
(cogs.shop.buying.pay), whose purchase extends the access from its current end.
"""

from __future__ import annotations

import disnake

from cogs.shop import buying
from cogs.shop.render import buying as render
from models.catalog.storefront import get_shop_product
from models.customers import wallet
from models.errors import InvalidInput


async def renew(inter: disnake.MessageInteraction, product_key: str, quantity: int) -> None:
    """A new (ephemeral) payment step for the product, in the pack bought before if still sold."""
    product = await get_shop_product(product_key)
    if product.duration_days is None:
        raise InvalidInput(f"{product.name} is not a timed pass; buy it from the shop panel.")
    # The pack bought before, or one item when that pack is no longer sold.
    offer = next((o for o in product.offers if o.quantity == quantity), product.offers[0])
    balance = await wallet.balance(inter.author.id)
    choices = buying.payment_choices(inter.bot.settings, product, offer, balance)
    await inter.response.send_message(
        embed=render.payment_embed(product, offer, choices),
        components=render.payment_buttons(product, offer, choices),
        ephemeral=True,
    )
