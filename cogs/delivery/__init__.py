"""Delivery: the worker that runs outbox jobs against Discord (DMs, roles, feed, alerts).

Other features may use the Discord error codes and role advice that delivery classifies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.delivery.cog import DeliveryWorker
from cogs.delivery.outcomes import MISSING_PERMISSIONS, UNKNOWN_MEMBER
from cogs.delivery.roles import role_fix_advice

if TYPE_CHECKING:
    from bot import Stockroom

__all__ = ["MISSING_PERMISSIONS", "UNKNOWN_MEMBER", "role_fix_advice", "setup"]


def setup(bot: Stockroom) -> None:
    bot.add_cog(DeliveryWorker(bot))
