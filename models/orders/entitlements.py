"""Which role an order grants and who still holds an entitling order: the one owner of both.

Entitlement is always read from the orders as they are now. Role id 0 stands for
CUSTOMER_ROLE_ID (an order from a storefront that grants the customer role, or a product
without its own role); it is resolved here, so callers pass CUSTOMER_ROLE_ID as
`customer_role_id` and get real role ids back.
"""

from __future__ import annotations

from tortoise.expressions import Q

from models.base import JobKind, ProductKind
from models.catalog.tables import Product
from models.customers.tables import Customer
from models.orders.facts import ENTITLED
from models.orders.tables import Order
from models.outbox.actions import enqueue


def order_role_id(order: Order, product: Product | None) -> int | None:
    """The role an order entitles to (0 = CUSTOMER_ROLE_ID), or None when it grants none."""
    if product is not None:
        return product.role_id if ProductKind(product.kind).grants_role else None
    return 0 if order.details.get("grants_customer_role") else None


def _resolve(role_id: int, customer_role_id: int) -> int:
    """A real role id (0 when CUSTOMER_ROLE_ID is meant but not set)."""
    return role_id or customer_role_id


async def _entitling_orders(discord_id: int | None = None) -> list[Order]:
    """Active orders that may grant a role, oldest first, with product and customer loaded."""
    query = Order.filter(status__in=tuple(ENTITLED), customer_id__isnull=False).filter(
        Q(product__kind__in=ProductKind.granting_roles()) | Q(product_id__isnull=True)
    )
    if discord_id is not None:
        query = query.filter(customer__discord_id=discord_id)
    return await query.order_by("id").prefetch_related("product", "customer")


def _granted_role(order: Order, customer_role_id: int) -> int:
    """The real role id this (prefetched) order grants, 0 when none."""
    role = order_role_id(order, order.product)
    return 0 if role is None else _resolve(role, customer_role_id)


async def is_still_entitled(
    discord_id: int,
    role_id: int,
    excluding_order_id: int | None = None,
    *,
    customer_role_id: int = 0,
) -> bool:
    """Whether some active order (other than the excluded one) still grants this role.

    Role id 0 stands for CUSTOMER_ROLE_ID on both sides; pass that id as customer_role_id.
    """
    wanted = _resolve(role_id, customer_role_id)
    for order in await _entitling_orders(discord_id):
        if order.id == excluding_order_id:
            continue
        granted = order_role_id(order, order.product)
        if granted is not None and _resolve(granted, customer_role_id) == wanted:
            return True
    return False


async def entitled_roles(discord_id: int, customer_role_id: int) -> set[int]:
    """Role ids this member's active orders grant (0 resolved to CUSTOMER_ROLE_ID)."""
    orders = await _entitling_orders(discord_id)
    return {_granted_role(order, customer_role_id) for order in orders} - {0}


async def entitled_role_holders(customer_role_id: int) -> dict[int, set[int]]:
    """discord id -> role ids their active orders grant, for start-up role reconciliation."""
    holders: dict[int, set[int]] = {}
    for order in await _entitling_orders():
        role = _granted_role(order, customer_role_id)
        customer: Customer = order.customer
        if role:
            holders.setdefault(customer.discord_id, set()).add(role)
    return holders


async def managed_role_ids(customer_role_id: int) -> set[int]:
    """Every role the shop grants, so reconciliation knows which roles it may remove."""
    roles = {
        _resolve(role, customer_role_id)
        for role in await Product.filter(kind__in=ProductKind.granting_roles()).values_list(
            "role_id", flat=True
        )
    }
    roles.add(customer_role_id)
    return {r for r in roles if r}


async def queue_regrant(discord_id: int, customer_role_id: int) -> int:
    """Queues one grant_role job per role a (re-)joining member is owed; returns how many.

    Each job names the oldest active order that grants the role; the worker checks the
    entitlement again when it runs.
    """
    queued: set[int] = set()
    for order in await _entitling_orders(discord_id):
        resolved = _granted_role(order, customer_role_id)
        if not resolved or resolved in queued:
            continue
        queued.add(resolved)
        await enqueue(
            JobKind.GRANT_ROLE,
            {
                "order_id": order.id,
                "discord_id": discord_id,
                "role_id": order_role_id(order, order.product),
                "rejoin": True,
            },
            order_id=order.id,
        )
    return len(queued)
