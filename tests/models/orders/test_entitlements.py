"""Which role an order grants and who still holds one (models.orders.entitlements)."""

from __future__ import annotations

from models.base import JobKind, OrderSource, OrderStatus
from models.catalog.tables import Product
from models.orders.entitlements import (
    entitled_role_holders,
    entitled_roles,
    is_still_entitled,
    managed_role_ids,
    order_role_id,
    queue_regrant,
    role_holders,
)
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.restock import add_stock
from tests.models.conftest import external

CUSTOMER_ROLE = 900 << 22
VIP_ROLE = 777  # the vip product's role in tests/models/conftest.py; bundle has role_id 0
BUYER = 1001


async def paid(product_key: str, external_id: str, buyer: int = BUYER) -> Order:
    event = external(
        external_id, PaymentStatus.PAID, "paid", product_key=product_key, discord_user_id=buyer
    )
    return await Order.get(id=(await apply_payment_event(event)).order_id)


async def refunded(order: Order) -> None:
    assert order.external_id is not None
    await apply_payment_event(external(order.external_id, PaymentStatus.REFUNDED, "refund"))


async def test_the_role_an_order_grants_follows_its_product_kind(catalog) -> None:
    products = {p.key: p for p in await Product.all()}
    order = Order(details={})
    assert order_role_id(order, products["game-key"]) is None
    assert order_role_id(order, products["vip"]) == VIP_ROLE
    assert order_role_id(order, products["bundle"]) == 0  # CUSTOMER_ROLE_ID
    assert order_role_id(order, None) is None
    assert order_role_id(Order(details={"grants_customer_role": True}), None) == 0


async def test_managed_roles_are_product_roles_and_the_customer_role(catalog) -> None:
    assert await managed_role_ids(CUSTOMER_ROLE) == {VIP_ROLE, CUSTOMER_ROLE}
    assert await managed_role_ids(0) == {VIP_ROLE}


async def test_holders_and_still_entitled_read_the_orders_as_they_are_now(catalog) -> None:
    first = await paid("vip", "v1")
    second = await paid("vip", "v2")
    await paid("game-key", "g1", buyer=2002)  # codes only: no role holder
    assert await entitled_role_holders(CUSTOMER_ROLE) == {BUYER: {VIP_ROLE}}
    assert await is_still_entitled(BUYER, VIP_ROLE, excluding_order_id=first.id)
    await refunded(second)
    assert not await is_still_entitled(BUYER, VIP_ROLE, excluding_order_id=first.id)
    assert await is_still_entitled(BUYER, VIP_ROLE)
    assert not await is_still_entitled(2002, VIP_ROLE)
    await refunded(first)
    assert await entitled_role_holders(CUSTOMER_ROLE) == {}


async def test_an_embed_order_without_product_may_grant_the_customer_role(catalog) -> None:
    event = PaymentEvent(
        source=OrderSource.EMBED,
        status=PaymentStatus.PAID,
        cause="embed:paid",
        reference="e1",
        external_id="e1",
        amount=100,
        currency="USD",
        discord_user_id=3003,
        grants_customer_role=True,
    )
    await apply_payment_event(event)
    assert await entitled_roles(3003, CUSTOMER_ROLE) == {CUSTOMER_ROLE}
    assert await entitled_roles(3003, 0) == set()  # CUSTOMER_ROLE_ID not set
    assert await is_still_entitled(3003, 0, customer_role_id=CUSTOMER_ROLE)


async def test_re_join_queues_one_grant_per_role_still_owed(catalog, cipher) -> None:
    await add_stock("bundle", ["B-1"], cipher)
    first_vip = await paid("vip", "d1")
    await paid("vip", "d2")
    await paid("bundle", "d3")  # grants CUSTOMER_ROLE_ID (role_id 0)
    gone = await paid("game-key", "d4")  # codes only: no role
    await refunded(first_vip)
    assert (await Order.get(id=gone.id)).status is OrderStatus.AWAITING_STOCK

    assert await entitled_roles(BUYER, CUSTOMER_ROLE) == {VIP_ROLE, CUSTOMER_ROLE}
    assert await entitled_roles(BUYER, 0) == {VIP_ROLE}  # CUSTOMER_ROLE_ID not set

    await Job.filter(kind=JobKind.GRANT_ROLE).delete()
    assert await queue_regrant(BUYER, CUSTOMER_ROLE) == 2
    payloads = await Job.filter(kind=JobKind.GRANT_ROLE).values_list("payload", flat=True)
    assert sorted(p["role_id"] for p in payloads) == [0, VIP_ROLE]
    assert all(p["discord_id"] == BUYER and p["rejoin"] for p in payloads)
    assert await queue_regrant(6 << 22, CUSTOMER_ROLE) == 0


async def test_role_holders_of_a_page_of_members_name_only_those_members(catalog, cipher) -> None:
    await add_stock("bundle", ["P-1"], cipher)
    await paid("vip", "p1", buyer=4001)
    await paid("bundle", "p2", buyer=4002)  # CUSTOMER_ROLE_ID
    refunded_order = await paid("vip", "p3", buyer=4003)
    await refunded(refunded_order)
    await paid("game-key", "p4", buyer=4004)  # codes only
    await paid("vip", "p5", buyer=4005)  # not in the page
    page = [4001, 4002, 4003, 4004, 4999]
    assert await role_holders(CUSTOMER_ROLE, page) == {4001: {VIP_ROLE}, 4002: {CUSTOMER_ROLE}}
    assert await role_holders(0, page) == {4001: {VIP_ROLE}}
    assert await role_holders(CUSTOMER_ROLE, []) == {}
    everyone = await role_holders(CUSTOMER_ROLE)
    assert everyone == {4001: {VIP_ROLE}, 4002: {CUSTOMER_ROLE}, 4005: {VIP_ROLE}}


async def test_an_order_whose_access_has_ended_grants_nothing(catalog) -> None:
    """access_until (timed access, subscriptions) bounds the entitlement, on both engines."""
    from datetime import timedelta

    from models import clock

    order = await paid("vip", "t1")
    await Order.filter(id=order.id).update(access_until=clock.now() + timedelta(days=2))
    assert await is_still_entitled(BUYER, VIP_ROLE)
    assert await entitled_roles(BUYER, CUSTOMER_ROLE) == {VIP_ROLE}
    try:
        clock.advance(timedelta(days=2, seconds=1))
        assert not await is_still_entitled(BUYER, VIP_ROLE)
        assert await role_holders(CUSTOMER_ROLE) == {}
        assert await queue_regrant(BUYER, CUSTOMER_ROLE) == 0
    finally:
        clock.reset()
    assert await role_holders(CUSTOMER_ROLE) == {BUYER: {VIP_ROLE}}
