"""Adoption of shop roles found in place: who is adopted, who has a recorded order, and the end.

A managed role a member holds without an entitling order is either drift (an order for it
was paid once, then refunded or cancelled: reconciliation removes it) or was handed out
before Stockroom (no such order is recorded: it is adopted and kept). Adoption is
remembered, so later starts keep the role too, until a strict resync ends it.
"""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.expressions import Q

from models.base import ProductKind
from models.orders.tables import Order
from models.roles.tables import AdoptedRole

Pair = tuple[int, int]  # (discord id, role id)


async def adopted_pairs(discord_ids: list[int]) -> set[Pair]:
    """The adopted (member, role) pairs of these members."""
    if not discord_ids:
        return set()
    rows = await AdoptedRole.filter(discord_id__in=discord_ids).values_list("discord_id", "role_id")
    return {(int(member), int(role)) for member, role in rows}


async def is_adopted(discord_id: int, role_id: int) -> bool:
    return await AdoptedRole.filter(discord_id=discord_id, role_id=role_id).exists()


async def adopt(pairs: Iterable[Pair]) -> int:
    """Remembers these pairs as adopted (those already adopted stay as they are); the count."""
    wanted = set(pairs)
    if not wanted:
        return 0
    known = await adopted_pairs(sorted({member for member, _ in wanted}))
    fresh = sorted(wanted - known)
    # Two reconciliations never run at once in a process; another process adopting the same
    # pair first is the one race, and the unique index turns it into a skipped row.
    await AdoptedRole.bulk_create(
        [AdoptedRole(discord_id=member, role_id=role) for member, role in fresh],
        ignore_conflicts=True,
    )
    return len(fresh)


async def end_adoptions(role_ids: Iterable[int]) -> int:
    """Forgets every adoption of these roles (a strict resync); returns how many ended."""
    roles = sorted(set(role_ids))
    if not roles:
        return 0
    return await AdoptedRole.filter(role_id__in=roles).delete()


async def recorded_order_pairs(customer_role_id: int, discord_ids: list[int]) -> set[Pair]:
    """(member, real role id) pairs some order of theirs granted once: paid, whatever it is now.

    An order never paid (abandoned, expired) records nothing: it never granted the role.
    Role 0 (CUSTOMER_ROLE_ID) is resolved to `customer_role_id`.
    """
    if not discord_ids:
        return set()
    rows = (
        await Order.filter(customer__discord_id__in=discord_ids, paid_at__isnull=False)
        .filter(Q(product__kind__in=ProductKind.granting_roles()) | Q(product_id__isnull=True))
        .values_list("customer__discord_id", "product_id", "product__role_id", "details")
    )
    pairs: set[Pair] = set()
    for member, product_id, product_role, details in rows:
        if product_id is not None:
            role = int(product_role or 0)
        elif isinstance(details, dict) and details.get("grants_customer_role"):
            role = 0
        else:
            continue
        resolved = role or customer_role_id
        if resolved:
            pairs.add((int(member), resolved))
    return pairs
