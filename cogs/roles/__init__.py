"""Role sync: roles back on re-join, and reconciliation at start-up and on /admin resyncroles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.roles.cog import RoleSync, resync_roles
from cogs.roles.sync import RoleSyncReport

if TYPE_CHECKING:
    from bot import Stockroom

__all__ = ["RoleSyncReport", "resync_roles", "setup"]


def setup(bot: Stockroom) -> None:
    bot.add_cog(RoleSync(bot))
