"""/admin: the seller's slash commands — stock, orders, wallets, statistics, panel, roles."""

from disnake.ext import commands

from cogs.admin.cog import Admin

__all__ = ["setup"]


def setup(bot: commands.InteractionBot) -> None:
    bot.add_cog(Admin(bot))
