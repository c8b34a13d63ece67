"""How the coupon step looks: the modal asking for the code."""

from __future__ import annotations

from typing import Any

import disnake

from cogs._embeds import clip
from cogs.shop.ids import COUPON_CODE_FIELD, coupon_id
from cogs.shop.render.buying import price_line
from models.catalog.storefront import Offer, ShopProduct


def coupon_modal(product: ShopProduct, offer: Offer) -> dict[str, Any]:
    """Arguments for send_modal; the submit comes back to the shop's on_modal_submit."""
    return dict(
        title="I have a coupon",
        custom_id=coupon_id(product.key, offer.quantity),
        components=[
            disnake.ui.Label(
                text="Coupon code",
                description=clip(f"For {price_line(product, offer)}", 100),
                component=disnake.ui.TextInput(
                    custom_id=COUPON_CODE_FIELD,
                    style=disnake.TextInputStyle.short,
                    placeholder="SAVE10",
                    min_length=1,
                    max_length=20,
                ),
            )
        ],
    )
