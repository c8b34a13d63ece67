"""Order reads for the cogs and reports: pages of orders, one order, its timeline."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Q

from models.base import OrderStatus
from models.errors import InvalidInput, NotFound
from models.orders.tables import Order, OrderEvent
from models.outbox.tables import Job

MAX_PER_PAGE = 25


@dataclass(frozen=True)
class OrderPage:
    orders: list[Order]
    page: int
    pages: int
    total: int


async def _page(query, page: int, per_page: int) -> OrderPage:  # type: ignore[no-untyped-def]
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(f"Page numbers start at 1; at most {MAX_PER_PAGE} orders a page.")
    total = await query.count()
    pages = max(1, -(-total // per_page))
    orders = (
        await query.order_by("-created_at", "-id")
        .offset((page - 1) * per_page)
        .limit(per_page)
        .prefetch_related("product")
    )
    return OrderPage(orders, page, pages, total)


async def orders_for_customer(discord_id: int, page: int = 1, per_page: int = 5) -> OrderPage:
    """A customer's own orders, newest first ("My orders")."""
    return await _page(Order.filter(customer__discord_id=discord_id), page, per_page)


async def list_orders(
    status: OrderStatus | None = None,
    discord_id: int | None = None,
    page: int = 1,
    per_page: int = 10,
    needs_attention: bool | None = None,
) -> OrderPage:
    """Orders for /admin vieworders, filtered by status and customer."""
    query = Order.all()
    if status is not None:
        query = query.filter(status=status)
    if discord_id is not None:
        query = query.filter(customer__discord_id=discord_id)
    if needs_attention is not None:
        query = query.filter(needs_attention=needs_attention)
    return await _page(query, page, per_page)


async def get_order(order_id: int) -> Order:
    order = await Order.get_or_none(id=order_id).prefetch_related("product", "customer")
    if order is None:
        raise NotFound("That order does not exist.")
    return order


async def get_order_by_number(number: str) -> Order:
    """The order with this public number (case and blanks forgiven)."""
    order = await Order.get_or_none(number=number.strip().upper()).prefetch_related(
        "product", "customer"
    )
    if order is None:
        raise NotFound(f"There is no order {number.strip()!r}.")
    return order


async def order_history(order_id: int) -> list[OrderEvent]:
    """The audit trail of one order, oldest first."""
    return list(await OrderEvent.filter(order_id=order_id).order_by("id"))


@dataclass(frozen=True)
class OrderTimeline:
    """An order, every OrderEvent from every source oldest first, and the jobs it spawned."""

    order: Order
    events: list[OrderEvent]
    jobs: list[Job]


async def order_timeline(number: str) -> OrderTimeline:
    """What happened to one order (/admin order): its events and its jobs, oldest first."""
    order = await get_order_by_number(number)
    jobs = await Job.filter(order_id=order.id).order_by("id")
    return OrderTimeline(order, await order_history(order.id), list(jobs))


async def recent_order_choices(typed: str, discord_ids: list[int], limit: int = 25) -> list[Order]:
    """Newest orders whose number contains `typed`, or whose buyer is one of `discord_ids`."""
    typed = typed.strip().upper()
    query = Order.all()
    if typed or discord_ids:
        match = Q(number__contains=typed) if typed else Q(id=-1)
        if discord_ids:
            match |= Q(customer__discord_id__in=discord_ids)
        query = query.filter(match)
    return list(
        await query.order_by("-created_at", "-id").limit(limit).prefetch_related("customer")
    )
