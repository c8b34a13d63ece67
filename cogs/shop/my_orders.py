"""The My orders button: the customer's orders with live status, details, and Resend."""

from __future__ import annotations

import logging

import disnake

from cogs.shop.render import my_orders as render
from cogs.shop.reply import show_step
from cogs.shop.subscription_link import add_subscription
from models.errors import NotFound
from models.orders.queries import get_order_by_number, orders_for_customer
from models.orders.resends import resend_for_buyer
from models.orders.tables import Order

log = logging.getLogger(__name__)
ORDERS_PER_PAGE = 5
NOT_YOURS = "You have no order with that number."


async def _orders_message(inter: disnake.Interaction, page: int) -> dict:
    orders = await orders_for_customer(inter.author.id, page=page, per_page=ORDERS_PER_PAGE)
    if page > orders.pages:  # orders moved on since the buttons were drawn: show the last page
        orders = await orders_for_customer(
            inter.author.id, page=orders.pages, per_page=ORDERS_PER_PAGE
        )
    return {
        "embed": render.orders_embed(orders),
        "components": render.orders_components(orders),
    }


async def show_orders(inter: disnake.MessageInteraction) -> None:
    """The My orders button: a new ephemeral message with the newest orders."""
    await inter.response.send_message(**await _orders_message(inter, 1), ephemeral=True)


async def show_orders_page(inter: disnake.MessageInteraction, page: int) -> None:
    await show_step(inter, **await _orders_message(inter, max(page, 1)))


async def own_order(user_id: int, number: str) -> Order:
    """The order with this number if `user_id` bought it; NotFound otherwise (theirs or none)."""
    try:
        order = await get_order_by_number(number)
    except NotFound:
        raise NotFound(NOT_YOURS) from None
    if order.customer is None or order.customer.discord_id != user_id:
        raise NotFound(NOT_YOURS)
    return order


async def show_order(inter: disnake.MessageInteraction, number: str) -> None:
    order = await own_order(inter.author.id, number)
    embed, buttons = render.order_embed(order), render.order_components(order)
    await add_subscription(inter.bot, order, embed, buttons)
    await show_step(inter, embed=embed, components=buttons)


async def resend(inter: disnake.MessageInteraction, number: str) -> None:
    """Queues the codes again by DM; only the order's own buyer may ask, once a minute."""
    order = await own_order(inter.author.id, number)
    await resend_for_buyer(order.id, inter.author.id)
    log.info("resend of order %s asked by its buyer", order.number)
    await inter.response.send_message(render.resend_reply(order), ephemeral=True)
