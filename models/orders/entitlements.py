"""Which role an order grants and who still holds an entitling order: the one owner of both.

Entitlement is always read from the orders as they are now. Role id 0 stands for
CUSTOMER_ROLE_ID (an order from a storefront that grants the customer role, or a product
without its own role); it is resolved here, so callers pass CUSTOMER_ROLE_ID as
`customer_role_id` and get real role ids back.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tortoise import Tortoise
from tortoise.expressions import Q

from models import clock
from models.base import JobKind, ProductKind
from models.catalog.tables import Product
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
    query = (
        Order.filter(status__in=tuple(ENTITLED), customer_id__isnull=False)
        .filter(Q(product__kind__in=ProductKind.granting_roles()) | Q(product_id__isnull=True))
        .filter(Q(access_until__isnull=True) | Q(access_until__gt=clock.now()))
    )
    if discord_id is not None:
        query = query.filter(customer__discord_id=discord_id)
    return await query.order_by("id").prefetch_related("product", "customer")


def _granted_role(order: Order, customer_role_id: int) -> int:
    """The real role id this (prefetched) order grants, 0 when none."""
    role = order_role_id(order, order.product)
    return 0 if role is None else _resolve(role, customer_role_id)


def _grants_sql(postgres: bool, *, by_member: bool, excluding: bool) -> str:
    """Distinct (discord_id, role_id) pairs the entitling orders grant, in the engine's SQL.

    role_id is the order's raw role (0 = CUSTOMER_ROLE_ID), as order_role_id() gives it.
    Raw SQL, not the ORM: reconciliation over 100k orders loaded every order with customer
    and product as objects (a quadratic prefetch that blocked the loop for ~50 s); this is
    one indexed join that returns a row per holder and role, never an order.

    Bound values, in order: the time now (an order whose access_until has passed grants
    nothing), the member ids when by_member, the excluded order id when excluding.
    """
    statuses = ", ".join(f"'{status.value}'" for status in sorted(ENTITLED))
    kinds = ", ".join(f"'{kind.value}'" for kind in ProductKind.granting_roles())
    # The storefront flag lives in the order's JSON details; each engine reads JSON its way.
    flag = (
        "(o.details::jsonb ->> 'grants_customer_role') = 'true'"
        if postgres
        else "json_extract(o.details, '$.grants_customer_role') = 1"
    )
    marks = iter(f"${n}" for n in range(1, 4)) if postgres else iter("???")
    sql = (
        "SELECT DISTINCT c.discord_id AS discord_id, "
        "CASE WHEN o.product_id IS NULL THEN 0 ELSE p.role_id END AS role_id "
        'FROM "order" o JOIN customer c ON c.id = o.customer_id '
        "LEFT JOIN product p ON p.id = o.product_id "
        f"WHERE o.status IN ({statuses}) "
        f"AND ((o.product_id IS NOT NULL AND p.kind IN ({kinds})) "
        f"OR (o.product_id IS NULL AND {flag})) "
        f"AND (o.access_until IS NULL OR o.access_until > {next(marks)})"
    )
    if by_member:
        # One bound list, whatever its length: an array on PostgreSQL, JSON on SQLite.
        sql += (
            f" AND c.discord_id = ANY({next(marks)}::bigint[])"
            if postgres
            else f' AND c.discord_id IN (SELECT "value" FROM json_each({next(marks)}))'
        )
    if excluding:
        sql += f" AND o.id <> {next(marks)}"
    return sql


async def _granted_pairs(
    customer_role_id: int,
    discord_ids: list[int] | None = None,
    excluding_order_id: int | None = None,
) -> set[tuple[int, int]]:
    """(discord id, resolved role id) pairs; role 0 when CUSTOMER_ROLE_ID is meant but unset."""
    connection = Tortoise.get_connection("default")
    postgres = connection.schema_generator.DIALECT == "postgres"
    values: list[Any] = [bound_time(clock.now(), postgres)]
    if discord_ids is not None:
        values.append(discord_ids if postgres else json.dumps(discord_ids))
    elif excluding_order_id is not None:
        raise ValueError("excluding_order_id needs discord_ids")
    if excluding_order_id is not None:
        values.append(excluding_order_id)
    sql = _grants_sql(
        postgres, by_member=discord_ids is not None, excluding=excluding_order_id is not None
    )
    _, rows = await connection.execute_query(sql, values)
    return {
        (int(row["discord_id"]), _resolve(int(row["role_id"]), customer_role_id)) for row in rows
    }


def bound_time(moment: datetime, postgres: bool) -> Any:
    """A time as each engine compares it with a stored DatetimeField.

    Tortoise stores SQLite datetimes as str() of the UTC time ("2026-12-02 18:00:00+00:00");
    text compares in time order only when written the same way.
    """
    if postgres:
        return moment
    return str(moment.astimezone(UTC))


async def role_holders(
    customer_role_id: int, discord_ids: list[int] | None = None
) -> dict[int, set[int]]:
    """discord id -> real role ids their active orders grant (only these members if given)."""
    holders: dict[int, set[int]] = {}
    for discord_id, role in await _granted_pairs(customer_role_id, discord_ids):
        if role:
            holders.setdefault(discord_id, set()).add(role)
    return holders


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
    pairs = await _granted_pairs(customer_role_id, [discord_id], excluding_order_id)
    return (discord_id, wanted) in pairs


async def entitled_roles(discord_id: int, customer_role_id: int) -> set[int]:
    """Role ids this member's active orders grant (0 resolved to CUSTOMER_ROLE_ID)."""
    return (await role_holders(customer_role_id, [discord_id])).get(discord_id, set())


async def entitled_role_holders(customer_role_id: int) -> dict[int, set[int]]:
    """discord id -> role ids their active orders grant, for every member at once.

    Reconciliation asks role_holders() a page of members at a time instead.
    """
    return await role_holders(customer_role_id)


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
