"""The shop panel: one persistent message with Shop, Wallet and My orders buttons.

The buttons have fixed custom ids and their view is registered at start
(``bot.add_view``), so a panel posted before a restart keeps working after it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import disnake

from cogs import _embeds
from cogs._embeds import fit
from cogs.errors import UNEXPECTED, reply_privately
from cogs.shop.ids import PANEL_ORDERS, PANEL_SHOP, PANEL_WALLET
from models.catalog.storefront import panel_location, remember_panel

log = logging.getLogger(__name__)

ButtonHandler = Callable[[disnake.MessageInteraction], Awaitable[None]]


def panel_embed(shop_name: str) -> disnake.Embed:
    embed = disnake.Embed(
        title=shop_name,
        colour=_embeds.INFO,
        description=(
            "**Shop** — browse products and buy.\n"
            "**Wallet** — your balance, history and top-ups.\n"
            "**My orders** — status of your orders; re-send your codes.\n\n"
            "Codes arrive by DM. Everything here is visible only to you."
        ),
    )
    return fit(embed)


def panel_buttons() -> list[disnake.ui.Button]:
    return [
        disnake.ui.Button(style=disnake.ButtonStyle.success, label="Shop", custom_id=PANEL_SHOP),
        disnake.ui.Button(
            style=disnake.ButtonStyle.primary, label="Wallet", custom_id=PANEL_WALLET
        ),
        disnake.ui.Button(
            style=disnake.ButtonStyle.secondary, label="My orders", custom_id=PANEL_ORDERS
        ),
    ]


class ShopPanelView(disnake.ui.View):
    """The panel's buttons; registered once at start, answering clicks on any panel message."""

    def __init__(
        self, *, on_shop: ButtonHandler, on_wallet: ButtonHandler, on_orders: ButtonHandler
    ) -> None:
        super().__init__(timeout=None)
        for button, handler in zip(panel_buttons(), (on_shop, on_wallet, on_orders), strict=True):
            button.callback = _forward(handler)
            self.add_item(button)

    async def on_error(
        self, error: Exception, item: disnake.ui.Item, inter: disnake.MessageInteraction
    ) -> None:
        # View errors do not reach Client.on_error; answer like the bot's error handler.
        log.error("shop panel button %s failed", item, exc_info=error)
        await reply_privately(inter, UNEXPECTED)


def _forward(handler: ButtonHandler) -> Callable[[disnake.MessageInteraction], Awaitable[None]]:
    async def callback(inter: disnake.MessageInteraction) -> None:
        await handler(inter)

    return callback


async def post_shop_panel(bot: disnake.Client, channel: disnake.abc.Messageable) -> disnake.Message:
    """Posts the shop panel in `channel`; an earlier panel is edited in place when it is there.

    The earlier panel (if any) is looked up where it was posted; when it is in the same
    channel it is edited, otherwise it is deleted (if it still exists) and a new one is sent.
    The new location is remembered for the next call.
    """
    embed = panel_embed(_shop_name(bot))
    previous = await panel_location()
    channel_id = getattr(channel, "id", None)
    if previous is not None:
        old = await _fetch_message(bot, previous.channel_id, previous.message_id)
        if old is not None and previous.channel_id == channel_id:
            await old.edit(embed=embed, components=panel_buttons())
            log.info("shop panel %s refreshed", old.id)
            return old
        if old is not None:
            try:
                await old.delete()
            except disnake.HTTPException as exc:
                log.warning("could not delete the old shop panel %s: %s", old.id, exc)
    message = await channel.send(embed=embed, components=panel_buttons())
    await remember_panel(message.channel.id, message.id)
    log.info("shop panel posted as message %s in channel %s", message.id, message.channel.id)
    return message


async def _fetch_message(
    bot: disnake.Client, channel_id: int, message_id: int
) -> disnake.Message | None:
    channel = bot.get_channel(channel_id)
    if channel is None or not isinstance(channel, disnake.abc.Messageable):
        return None
    try:
        return await channel.fetch_message(message_id)
    except (disnake.NotFound, disnake.Forbidden):
        return None


def _shop_name(bot: disnake.Client) -> str:
    guild = bot.guilds[0] if bot.guilds else None
    return f"{guild.name} shop" if guild is not None else "Shop"
