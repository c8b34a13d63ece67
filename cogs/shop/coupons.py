"""The "I have a coupon" step: a modal for the code, then the payment step at the new price."""

from __future__ import annotations

import logging

import disnake

from cogs.shop import buying
from cogs.shop.ids import COUPON_CODE_FIELD
from cogs.shop.render import coupons as render
from models.catalog.storefront import get_shop_product

log = logging.getLogger(__name__)


async def ask_coupon(inter: disnake.MessageInteraction, product_key: str, quantity: int) -> None:
    """ "I have a coupon": the modal asking for the code."""
    product = await get_shop_product(product_key)
    await inter.response.send_modal(**render.coupon_modal(product, product.offer(quantity)))


async def apply_coupon(inter: disnake.ModalInteraction, product_key: str, quantity: int) -> None:
    """The coupon modal was sent: the payment step again at the discounted price, or an
    ephemeral refusal saying why the coupon cannot be used (the step stays as it was)."""
    product = await get_shop_product(product_key)
    offer = product.offer(quantity)
    discount = await buying.discount_for(
        inter, product, offer, inter.text_values.get(COUPON_CODE_FIELD)
    )
    log.info("coupon %s applied by %s", discount.code if discount else "-", inter.author.id)
    await buying.choose_package(inter, product, offer, discount)
