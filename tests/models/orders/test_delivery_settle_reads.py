"""product_and_customer and the order read that brings both rows, against the separate
reads (ORM gets, order_for_update), on both engines."""

from __future__ import annotations

import asyncio
from typing import Any

from tortoise import Tortoise
from tortoise.models import Model

from models.base import JobKind
from models.catalog.tables import Product
from models.customers.tables import Customer
from models.orders.lifecycle import apply_payment_event
from models.orders.order_sql import order_for_update
from models.orders.payment_event import PaymentStatus
from models.orders.settle_reads import order_with_product_and_customer, product_and_customer
from models.orders.tables import Order
from models.outbox.tables import Job
from tests.models.conftest import external


def _values(model: Model | None) -> dict[str, Any] | None:
    if model is None:
        return None
    return {name: getattr(model, name) for name in model._meta.db_fields}


async def test_the_joined_read_gives_the_rows_the_orm_gives(catalog) -> None:
    await apply_payment_event(external("a", PaymentStatus.PAID, "paid-a", discord_user_id=42))
    order = await Order.get(external_id="a")
    await Customer.filter(id=order.customer_id).update(balance=1234, dms_closed=True)
    conn = Tortoise.get_connection("default")
    product, customer = await product_and_customer(order.product_id, order.customer_id, conn)
    assert isinstance(product, Product) and isinstance(customer, Customer)
    assert _values(product) == _values(await Product.get(id=order.product_id))
    assert _values(customer) == _values(await Customer.get(id=order.customer_id))
    assert customer.dms_closed is True and customer.balance == 1234
    assert product.created_at.utcoffset() is not None
    # Settle writes through them: the objects are saved rows, not new ones.
    assert product._saved_in_db and customer._saved_in_db


async def test_a_missing_or_absent_id_reads_as_none(catalog) -> None:
    await apply_payment_event(external("b", PaymentStatus.PAID, "paid-b", product_key=None))
    order = await Order.get(external_id="b")
    conn = Tortoise.get_connection("default")
    assert order.product_id is None
    product, customer = await product_and_customer(None, order.customer_id, conn)
    assert product is None
    assert _values(customer) == _values(await Customer.get(id=order.customer_id))
    some = await Product.get(key="vip")
    product, customer = await product_and_customer(some.id, None, conn)
    assert _values(product) == _values(some) and customer is None
    assert await product_and_customer(None, None, conn) == (None, None)
    assert await product_and_customer(10**9, 10**9, conn) == (None, None)


async def test_the_order_read_with_its_rows_gives_what_the_two_reads_give(catalog) -> None:
    await apply_payment_event(external("c", PaymentStatus.PAID, "paid-c", discord_user_id=43))
    await apply_payment_event(external("d", PaymentStatus.PENDING, "open-d", discord_user_id=None))
    conn = Tortoise.get_connection("default")
    for by, values in (
        ("id", [(await Order.get(external_id="c")).id]),
        ("external", ["generic", "c"]),
        ("external", ["generic", "d"]),
    ):
        found = await order_with_product_and_customer(by, values, conn)
        alone = await order_for_update(by, values, conn)
        assert found is not None and alone is not None
        order, product, customer = found
        assert isinstance(order, Order) and order._saved_in_db
        assert _values(order) == _values(alone)
        assert order.created_at.utcoffset() is not None
        assert (_values(product), _values(customer)) == tuple(
            map(_values, await product_and_customer(alone.product_id, alone.customer_id, conn))
        )
    assert await order_with_product_and_customer("external", ["generic", "none"], conn) is None
    assert await order_with_product_and_customer("checkout", ["cs_none"], conn) is None


async def test_a_buyer_learnt_by_a_later_event_is_the_one_settled(catalog) -> None:
    # The order is read without a buyer; the paid event names one, so settle reads it again
    # (its role grant needs the buyer's Discord id).
    await apply_payment_event(
        external("e", PaymentStatus.PENDING, "open-e", product_key="vip", discord_user_id=None)
    )
    result = await apply_payment_event(
        external("e", PaymentStatus.PAID, "paid-e", product_key="vip", discord_user_id=4444)
    )
    grants = await Job.filter(id__in=result.job_ids, kind=JobKind.GRANT_ROLE)
    assert [job.payload["discord_id"] for job in grants] == [4444]


_VIP_WITHOUT_BUYER: dict[str, Any] = {"product_key": "vip", "discord_user_id": None}


async def test_a_buyer_learnt_by_a_concurrent_event_is_the_one_settled(catalog) -> None:
    # PostgreSQL: the paid event's read waits on the order's row lock while the other event
    # names the buyer; it then sees the new customer_id without the buyer's row (read from its
    # snapshot), and settle must read the buyer rather than settle without one.
    orders = [f"race-{n}" for n in range(20)]
    for external_id in orders:
        await apply_payment_event(
            external(
                external_id, PaymentStatus.PENDING, "open", product_key="vip", discord_user_id=None
            )
        )

    async def race(n: int, external_id: str) -> None:
        learn = external(
            external_id, PaymentStatus.PENDING, "buyer", product_key="vip", discord_user_id=5000 + n
        )
        pay = external(
            external_id, PaymentStatus.PAID, "paid", product_key="vip", discord_user_id=None
        )
        await asyncio.gather(apply_payment_event(learn), apply_payment_event(pay))

    await asyncio.gather(*(race(n, external_id) for n, external_id in enumerate(orders)))
    for n, external_id in enumerate(orders):
        order = await Order.get(external_id=external_id)
        grants = await Job.filter(order_id=order.id, kind=JobKind.GRANT_ROLE)
        assert [job.payload["discord_id"] for job in grants] == [5000 + n], external_id
