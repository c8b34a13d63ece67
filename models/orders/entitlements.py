"""Which shop roles a member is owed right now, for re-joins and role reconciliation.

Entitlement is always read from the orders as they are now (models.orders.actions has the shop-wide
views: ``entitled_role_holders`` and ``managed_role_ids``); role 0 stands for
CUSTOMER_ROLE_ID and is resolved here.
"""

from __future__ import annotations

from models.base import JobKind
from models.orders.effects import order_role_id
from models.orders.facts import ENTITLED
from models.orders.tables import Order
from models.outbox.actions import enqueue


async def _entitling_orders(discord_id: int) -> list[Order]:
    return (
        await Order.filter(status__in=tuple(ENTITLED), customer__discord_id=discord_id)
        .order_by("id")
        .prefetch_related("product")
    )


async def entitled_roles(discord_id: int, customer_role_id: int) -> set[int]:
    """Role ids this member's active orders grant (0 resolved to CUSTOMER_ROLE_ID)."""
    roles: set[int] = set()
    for order in await _entitling_orders(discord_id):
        role = order_role_id(order, order.product)
        if role is not None and (role or customer_role_id):
            roles.add(role or customer_role_id)
    return roles


async def queue_regrant(discord_id: int, customer_role_id: int) -> int:
    """Queues one grant_role job per role a (re-)joining member is owed; returns how many.

    Each job names the oldest active order that grants the role; the worker checks the
    entitlement again when it runs.
    """
    queued: set[int] = set()
    for order in await _entitling_orders(discord_id):
        role = order_role_id(order, order.product)
        if role is None or not (role or customer_role_id):
            continue
        resolved = role or customer_role_id
        if resolved in queued:
            continue
        queued.add(resolved)
        await enqueue(
            JobKind.GRANT_ROLE,
            {"order_id": order.id, "discord_id": discord_id, "role_id": role, "rejoin": True},
            order_id=order.id,
        )
    return len(queued)
