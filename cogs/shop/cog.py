"""The customer side of the bot: the shop panel and every click, select and modal behind it.

Panel buttons go through the persistent ``ShopPanelView``; everything after them carries its
state in the custom id (see ``cogs.shop.ids``) and arrives here through the global
component and modal listeners, so an ephemeral shop message keeps working after a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import disnake
from disnake.ext import commands

from cogs.errors import reply_privately
from cogs.shop import buying, coupons, ids, my_orders, renewal, wallet
from cogs.shop.panel import ShopPanelView
from models.errors import ShopError

log = logging.getLogger(__name__)
AnyInteraction = TypeVar("AnyInteraction", bound=disnake.Interaction)


async def answer(inter: AnyInteraction, step: Callable[[AnyInteraction], Awaitable[None]]) -> None:
    """Runs one shop step; a ShopError becomes an ephemeral refusal and nothing else.

    Anything unexpected propagates to the bot's one error handler (cogs.errors).
    """
    try:
        await step(inter)
    except ShopError as exc:
        if inter.response.type is disnake.InteractionResponseType.deferred_channel_message:
            # The step answered "thinking…" before a provider call: the refusal replaces it.
            await inter.edit_original_response(content=exc.message)
        else:
            await reply_privately(inter, exc.message)


class Shop(commands.Cog):
    """Routes the shop's interactions to the buying, wallet and My orders steps."""

    def __init__(self, bot: commands.InteractionBot) -> None:
        self.bot = bot

    @commands.Cog.listener("on_button_click")
    async def on_shop_button(self, inter: disnake.MessageInteraction) -> None:
        if ids.is_shop_id(inter.data.custom_id):
            await answer(inter, self._on_component)

    @commands.Cog.listener("on_dropdown")
    async def on_shop_select(self, inter: disnake.MessageInteraction) -> None:
        if ids.is_shop_id(inter.data.custom_id):
            await answer(inter, self._on_component)

    @commands.Cog.listener("on_modal_submit")
    async def on_shop_modal(self, inter: disnake.ModalInteraction) -> None:
        if ids.is_shop_id(inter.custom_id):
            await answer(inter, self._on_modal)

    async def _on_component(self, inter: disnake.MessageInteraction) -> None:
        action = ids.parse(inter.data.custom_id)
        if not await self._on_buying_step(inter, action):
            await self._on_account_step(inter, action)

    async def _on_buying_step(self, inter: disnake.MessageInteraction, action: object) -> bool:
        """Shop → product → package → coupon → payment (and renewals); False: not one."""
        match action:
            case ids.ChooseProduct():
                await buying.choose_product(
                    inter, ids.product_key_part(ids.single_value(inter.values))
                )
            case ids.ShopPage(page=page):
                await buying.show_shop_page(inter, page)
            case ids.ChoosePackage(product_key=key):
                quantity = ids.quantity_part(ids.single_value(inter.values))
                await buying.choose_package_by_key(inter, key, quantity)
            case ids.Pay(method=method, product_key=key, quantity=quantity, coupon=coupon):
                await buying.pay(inter, method, key, quantity, coupon)
            case ids.AskCoupon(product_key=key, quantity=quantity):
                await coupons.ask_coupon(inter, key, quantity)
            case ids.NotifyRestock(product_key=key):
                await buying.notify_when_restocked(inter, key)
            case ids.Renew(product_key=key, quantity=quantity):
                await renewal.renew(inter, key, quantity)
            case _:
                return False
        return True

    async def _on_account_step(self, inter: disnake.MessageInteraction, action: object) -> None:
        """The wallet and My orders."""
        match action:
            case ids.WalletHistory(page=page):
                await wallet.show_history_page(inter, page)
            case ids.TopUp(method=method):
                await wallet.ask_topup_amount(inter, method)
            case ids.OrdersPage(page=page):
                await my_orders.show_orders_page(inter, page)
            case ids.ViewOrder():
                number = ids.order_number_part(ids.single_value(inter.values))
                await my_orders.show_order(inter, number)
            case ids.Resend(order_number=number):
                await my_orders.resend(inter, number)

    async def _on_modal(self, inter: disnake.ModalInteraction) -> None:
        action = ids.parse(inter.custom_id)
        match action:
            case ids.TopUp(method=method):
                await wallet.start_topup(inter, method)
            case ids.AskCoupon(product_key=key, quantity=quantity):
                await coupons.apply_coupon(inter, key, quantity)
            case _:
                raise ShopError(ids.STALE)


def panel_view() -> ShopPanelView:
    """The persistent view behind every shop panel message, old or new."""
    return ShopPanelView(
        on_shop=lambda inter: answer(inter, buying.show_shop),
        on_wallet=lambda inter: answer(inter, wallet.show_wallet),
        on_orders=lambda inter: answer(inter, my_orders.show_orders),
    )
