"""/admin customer's query: which orders entitle to which role, flags, pages."""

from __future__ import annotations

import pytest

from models.base import OrderStatus
from models.customers.wallet import credit
from models.errors import NotFound
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.tables import Order
from models.reports.customer_view import RoleGrant, customer_view
from tests.models.conftest import external

CUSTOMER_ROLE = 4242


async def paid(external_id: str, product: str, discord_id: int = 1001) -> Order:
    result = await apply_payment_event(
        external(
            external_id,
            PaymentStatus.PAID,
            f"{external_id}-paid",
            product_key=product,
            discord_user_id=discord_id,
        )
    )
    return await Order.get(number=result.order_number)


async def test_roles_name_the_active_orders_that_entitle_to_them(catalog, cipher) -> None:
    vip_1 = await paid("v1", "vip")
    vip_2 = await paid("v2", "vip")
    bundle = await paid("b1", "bundle")  # code+role with role_id 0: the customer role
    await paid("g1", "game-key")  # codes only: no role
    await apply_payment_event(
        external("v2", PaymentStatus.REFUNDED, "v2-refund", product_key="vip")
    )
    view = await customer_view(1001, CUSTOMER_ROLE)
    assert set(view.roles) == {
        RoleGrant(777, (vip_1.number,)),
        RoleGrant(CUSTOMER_ROLE, (bundle.number,)),
    }
    assert (await Order.get(id=vip_2.id)).status is OrderStatus.REFUNDED
    assert {777, CUSTOMER_ROLE} <= view.managed_roles
    assert view.orders.total == 4 and not view.flags.any


async def test_a_disputed_order_is_flagged_and_entitles_to_nothing(catalog) -> None:
    order = await paid("v1", "vip")
    await apply_payment_event(
        external("v1", PaymentStatus.DISPUTED, "v1-dispute", product_key="vip")
    )
    view = await customer_view(1001, CUSTOMER_ROLE)
    assert view.flags.disputed_orders == (order.number,)
    assert view.roles == ()


async def test_pages_past_the_end_are_refused(catalog) -> None:
    await credit(1001, 100, reference="t1")
    view = await customer_view(1001, CUSTOMER_ROLE)
    assert (view.ledger.pages, view.orders.pages, view.known) == (1, 1, True)
    with pytest.raises(NotFound, match="only 1 page"):
        await customer_view(1001, CUSTOMER_ROLE, orders_page=2)
    with pytest.raises(NotFound, match="only 1 page"):
        await customer_view(1001, CUSTOMER_ROLE, ledger_page=2)
    stranger = await customer_view(5555, CUSTOMER_ROLE)
    assert (stranger.known, stranger.orders.total, stranger.ledger.entries) == (False, 0, [])


async def test_an_order_whose_access_ended_entitles_to_nothing(catalog) -> None:
    """Timed access and subscriptions: past access_until the role is not listed as owed."""
    from datetime import timedelta

    from models import clock

    order = await paid("t1", "vip")
    await Order.filter(id=order.id).update(access_until=clock.now() + timedelta(days=1))
    assert (await customer_view(1001, CUSTOMER_ROLE)).roles == (RoleGrant(777, (order.number,)),)
    try:
        clock.advance(timedelta(days=1, seconds=1))
        assert (await customer_view(1001, CUSTOMER_ROLE)).roles == ()
    finally:
        clock.reset()
