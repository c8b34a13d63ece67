"""/admin: the seller's slash commands — stock, orders, wallets, statistics, panel, roles.

cog.py defines the /admin command and its first sub-commands; each module imported below adds
its own sub-commands to that same command (they must be added before the cog is built).
"""

from disnake.ext import commands

from cogs.admin import (  # noqa: F401 (they add sub-commands)
    audit,
    catalog,
    catchup,
    coupons,
    customer,
    exports,
    order_view,
    packages,
    recovery,
    roles_sync,
    wallet,
)
from cogs.admin.cog import Admin

__all__ = ["setup"]


def setup(bot: commands.InteractionBot) -> None:
    bot.add_cog(Admin(bot))
    bot.add_cog(audit.AuditTrail(bot))
    bot.add_cog(customer.CustomerPages(bot))
    bot.add_cog(order_view.OrderView(bot))
    bot.add_cog(recovery.JobButtons(bot))
    bot.add_cog(wallet.WalletAdjustments(bot))
