"""/admin coupon add|list|disable: discount codes for the shop, percent or a fixed amount.

A coupon takes a whole percent (1 to 99) or a fixed amount in the product's currency off an
order, for the products named (or all), up to max_uses orders, once per customer if asked,
between valid_from and valid_until (UTC). Withdrawing one stops new orders using it; orders
that have it keep their discount. Every command is in the audit trail (cogs/admin/audit.py).
"""

from __future__ import annotations

from typing import Literal

import disnake
from disnake.ext import commands

from cogs import _embeds
from cogs.admin.cog import Admin
from models.coupons.actions import add_coupon, disable_coupon
from models.coupons.queries import list_coupons
from models.coupons.rules import parse_moment
from models.coupons.tables import Coupon, CouponKind
from models.money import format_money

CodeText = commands.String[str, 1, 20]
ValueText = commands.String[str, 1, 32]
ProductsText = commands.String[str, 0, 1000]
DateText = commands.String[str, 1, 20]
CurrencyText = commands.String[str, 3, 3]
MaxUses = commands.Range[int, 1, 1_000_000]
KindChoice = Literal["percent", "fixed"]


def coupon_summary(coupon: Coupon) -> str:
    """One coupon in a line or three: what it takes off, on what, how often, when."""
    if CouponKind(coupon.kind) is CouponKind.PERCENT:
        off = f"{coupon.value}% off"
    else:
        off = f"{format_money(coupon.value, coupon.currency or 'USD')} off"
    products = ", ".join(coupon.product_keys) if coupon.product_keys else "every product"
    used = f"{coupon.uses} of {coupon.max_uses} used" if coupon.max_uses else f"{coupon.uses} used"
    lines = [
        f"{off} · {products}",
        used + (" · once per customer" if coupon.once_per_customer else ""),
    ]
    window = []
    if coupon.valid_from:
        window.append(f"from {disnake.utils.format_dt(coupon.valid_from, 'f')}")
    if coupon.valid_until:
        window.append(f"until {disnake.utils.format_dt(coupon.valid_until, 'f')}")
    if window:
        lines.append(" ".join(window))
    if not coupon.active:
        lines.append("withdrawn")
    return _embeds.clip("\n".join(lines), _embeds.FIELD_VALUE_MAX)


def coupon_embed(title: str, coupon: Coupon) -> disnake.Embed:
    embed = disnake.Embed(title=title, colour=_embeds.COMPLETED)
    embed.add_field(name=coupon.code, value=coupon_summary(coupon), inline=False)
    return _embeds.fit(embed)


@Admin.admin.sub_command_group(name="coupon")
async def coupon_group(inter: disnake.ApplicationCommandInteraction) -> None:
    """Add, list or withdraw coupons."""


@coupon_group.sub_command(name="add")
async def coupon_add(
    inter: disnake.ApplicationCommandInteraction,
    coupon: CodeText,
    kind: KindChoice,
    value: ValueText,
    products: ProductsText = "",
    max_uses: MaxUses | None = None,
    once_per_customer: bool = False,
    valid_from: DateText | None = None,
    valid_until: DateText | None = None,
    currency: CurrencyText | None = None,
) -> None:
    """Add a coupon, usable at once.

    Parameters
    ----------
    coupon: The code buyers type, 3 to 14 letters, digits or dashes (e.g. SAVE10)
    kind: percent (a whole percent off) or fixed (an amount off)
    value: The percent (e.g. 10) or the amount as you write money (e.g. 2.50)
    products: Product keys it applies to, separated by commas; empty for every product
    max_uses: How many orders may use it; empty for no limit
    once_per_customer: Each customer may use it on one order only
    valid_from: First moment it works, UTC (2026-12-24 or 2026-12-24 18:00)
    valid_until: When it stops working, UTC (same format)
    currency: A fixed coupon's currency (default: its products' currency)
    """
    keys = [key.strip() for key in products.replace(";", ",").split(",") if key.strip()]
    created = await add_coupon(
        coupon,
        CouponKind(kind),
        value,
        products=keys,
        currency=currency,
        max_uses=max_uses,
        once_per_customer=once_per_customer,
        valid_from=parse_moment(valid_from, "valid_from") if valid_from else None,
        valid_until=parse_moment(valid_until, "valid_until") if valid_until else None,
        created_by=inter.author.id,
    )
    await inter.response.send_message(embed=coupon_embed("Coupon added", created), ephemeral=True)


@coupon_group.sub_command(name="list")
async def coupon_list(
    inter: disnake.ApplicationCommandInteraction, include_withdrawn: bool = False
) -> None:
    """The coupons, newest first (25 at most).

    Parameters
    ----------
    include_withdrawn: Also show withdrawn coupons
    """
    coupons = await list_coupons(include_withdrawn=include_withdrawn)
    embed = disnake.Embed(title="Coupons", colour=_embeds.INFO)
    if not coupons:
        embed.description = "No coupons yet: add one with /admin coupon add."
    for found in coupons[: _embeds.FIELDS_MAX]:
        embed.add_field(name=found.code, value=coupon_summary(found), inline=False)
    await inter.response.send_message(embed=_embeds.fit(embed), ephemeral=True)


@coupon_group.sub_command(name="disable")
async def coupon_disable(inter: disnake.ApplicationCommandInteraction, coupon: CodeText) -> None:
    """Withdraw a coupon: no new order can use it; orders that have it keep their discount.

    Parameters
    ----------
    coupon: The coupon's code
    """
    withdrawn = await disable_coupon(coupon)
    await inter.response.send_message(
        embed=coupon_embed("Coupon withdrawn", withdrawn), ephemeral=True
    )
