"""What /admin customer shows about one member: orders, wallet and ledger, roles, DMs, flags.

Read-only. Roles are worked out the way reconciliation does (models.orders.entitlements):
an active order of a role product entitles its buyer, role id 0 standing for the customer
role; each managed role is listed with the orders that entitle to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Q

from models import clock
from models.base import OrderStatus
from models.customers.tables import Customer, TopUp
from models.customers.topups import in_dispute
from models.customers.wallet import WalletPage, wallet_history
from models.errors import NotFound
from models.orders.entitlements import managed_role_ids, order_role_id
from models.orders.facts import ENTITLED
from models.orders.queries import OrderPage, orders_for_customer
from models.orders.tables import Order
from models.subscriptions.queries import SubscriptionLine, subscription_lines

ORDERS_PER_PAGE = 5
LEDGER_PER_PAGE = 5


@dataclass(frozen=True)
class RoleGrant:
    """A role the shop manages for this member: the orders entitling to it (oldest first)."""

    role_id: int
    orders: tuple[str, ...]


@dataclass(frozen=True)
class Flags:
    debt: int  # minor units owed to the wallet (a clawback below zero), 0 when none
    disputed_orders: tuple[str, ...]
    disputed_topups: int
    attention: tuple[tuple[str, str], ...]  # (order number, reason)

    @property
    def any(self) -> bool:
        return bool(self.debt or self.disputed_orders or self.disputed_topups or self.attention)


@dataclass(frozen=True)
class CustomerView:
    discord_id: int
    known: bool  # False: no order, wallet or ledger row yet
    currency: str
    dms_closed: bool
    total_spent: int
    total_topped_up: int
    orders: OrderPage
    ledger: WalletPage
    roles: tuple[RoleGrant, ...]
    managed_roles: frozenset[int]
    flags: Flags
    subscriptions: tuple[SubscriptionLine, ...] = ()


async def _page_or_last(load, page: int):  # type: ignore[no-untyped-def]
    """A page, or NotFound naming how many there are (a stale button after rows went away)."""
    found = await load(page)
    if page > found.pages:
        raise NotFound(f"There are only {found.pages} page(s); run /admin customer again.")
    return found


async def entitled_grants(customer_id: int, customer_role_id: int) -> tuple[RoleGrant, ...]:
    """Roles this customer's active orders grant (0 resolved to the customer role); an order
    whose timed access or subscription has ended grants nothing."""
    orders = (
        await Order.filter(customer_id=customer_id, status__in=tuple(ENTITLED))
        .filter(Q(access_until__isnull=True) | Q(access_until__gt=clock.now()))
        .order_by("id")
        .prefetch_related("product")
    )
    by_role: dict[int, list[str]] = {}
    for order in orders:
        role = order_role_id(order, order.product)
        if role is None:
            continue
        by_role.setdefault(role or customer_role_id, []).append(order.number)
    return tuple(RoleGrant(role, tuple(numbers)) for role, numbers in by_role.items())


async def _flags(customer: Customer) -> Flags:
    disputed = await Order.filter(customer_id=customer.id, status=OrderStatus.DISPUTED).values_list(
        "number", flat=True
    )
    attention = (
        await Order.filter(customer_id=customer.id, needs_attention=True)
        .order_by("-id")
        .values_list("number", "attention_reason")
    )
    topups = [t for t in await TopUp.filter(customer_id=customer.id) if in_dispute(t)]
    return Flags(
        debt=max(0, -customer.balance),
        disputed_orders=tuple(disputed),
        disputed_topups=len(topups),
        attention=tuple((n, r or "no reason kept") for n, r in attention),
    )


async def customer_view(
    discord_id: int,
    customer_role_id: int,
    *,
    orders_page: int = 1,
    ledger_page: int = 1,
) -> CustomerView:
    """One page of orders and one of the ledger, newest first, with roles and flags."""
    customer = await Customer.get_or_none(discord_id=discord_id)
    orders = await _page_or_last(
        lambda page: orders_for_customer(discord_id, page, ORDERS_PER_PAGE), orders_page
    )
    ledger = await wallet_history(discord_id, ledger_page, LEDGER_PER_PAGE)
    managed = frozenset(await managed_role_ids(customer_role_id))
    if customer is None:
        return CustomerView(
            discord_id=discord_id,
            known=False,
            currency=ledger.currency,
            dms_closed=False,
            total_spent=0,
            total_topped_up=0,
            orders=orders,
            ledger=ledger,
            roles=(),
            managed_roles=managed,
            flags=Flags(0, (), 0, ()),
        )
    return CustomerView(
        discord_id=discord_id,
        known=True,
        currency=customer.currency,
        dms_closed=customer.dms_closed,
        total_spent=customer.total_spent,
        total_topped_up=customer.total_topped_up,
        orders=orders,
        ledger=ledger,
        roles=await entitled_grants(customer.id, customer_role_id),
        managed_roles=managed,
        flags=await _flags(customer),
        subscriptions=tuple(await subscription_lines(customer.id, limit=5)),
    )
