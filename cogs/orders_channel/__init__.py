"""The orders channel reader: order embeds a trusted webhook posts become orders."""

from disnake.ext import commands

from cogs.orders_channel.cog import CatchUpReport, OrdersChannelReader

__all__ = ["CatchUpReport", "OrdersChannelReader", "setup"]


def setup(bot: commands.InteractionBot) -> None:
    bot.add_cog(OrdersChannelReader(bot))
