"""The shop: the panel, buying, the wallet and top-ups, My orders. Others may post the panel."""

from disnake.ext import commands

from cogs.shop.cog import Shop, panel_view
from cogs.shop.panel import post_shop_panel

__all__ = ["post_shop_panel", "setup"]


def setup(bot: commands.InteractionBot) -> None:
    bot.add_cog(Shop(bot))
    # Registered once per process: clicks on any panel message, old or new, land here.
    bot.add_view(panel_view())
