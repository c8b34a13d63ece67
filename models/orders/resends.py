"""A buyer's Resend from My orders: at most once a minute per order, each one in the audit trail.

The audit row is the rate limit's memory: a resend is allowed when the order's last one is
RESEND_INTERVAL_SECONDS old. The check, the queued DM and the audit row are one transaction
under the order's row lock, so two clicks at once queue one resend and the other is refused.
A refused resend writes nothing.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from models.audit.actions import record_admin_action
from models.audit.tables import AuditEntry
from models.errors import NotFound, ShopError
from models.orders.actions import resend_codes
from models.orders.tables import Order

RESEND_ACTION = "resend"
RESEND_INTERVAL_SECONDS = 60


class ResendTooSoon(ShopError):
    """The order's codes were re-sent less than a minute ago."""


async def seconds_until_resend(order_number: str, now: datetime | None = None) -> int:
    """0 when the order may be re-sent now, else the whole seconds left to wait."""
    now = now or datetime.now(UTC)
    last = (
        await AuditEntry.filter(action=RESEND_ACTION, target=order_number)
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None:
        return 0
    left = RESEND_INTERVAL_SECONDS - (now - last.created_at).total_seconds()
    return max(0, math.ceil(left))


async def resend_for_buyer(order_id: int, discord_id: int) -> None:
    """Queues the order's codes DM again for its buyer, unless re-sent under a minute ago.

    Raises NotFound for an order that is not theirs, InvalidTransition for one without codes
    to send, ResendTooSoon ("You can resend again in N s.") inside the minute.
    """
    async with in_transaction() as conn:
        # Queries below without using_db run in this transaction too (Tortoise's context).
        order = await Order.filter(id=order_id).select_for_update().using_db(conn).first()
        if order is None:
            raise NotFound("That order does not exist.")
        wait = await seconds_until_resend(order.number)
        if wait:
            raise ResendTooSoon(f"You can resend again in {wait} s.")
        await resend_codes(order_id, discord_id)
        await record_admin_action(discord_id, RESEND_ACTION, order.number, {"by": "buyer"})
