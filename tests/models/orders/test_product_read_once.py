"""A transaction reads a product and its package once for all its orders (both engines);
outside one, and in the next one, it reads them again."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from models.catalog.tables import Package, Product
from models.orders.lifecycle import apply_payment_event
from models.orders.order_sql import product_and_package
from models.orders.payment_event import PaymentStatus
from models.orders.tables import Order
from models.outbox.raw_sql import default_connection
from tests.models.conftest import external
from tests.models.sql_log import sql_run


def _product_reads(sql: list[str]) -> int:
    return sum(1 for s in sql if s.startswith('SELECT "product".*'))


async def _vip() -> Product:
    product = await Product.create(
        key="vip", name="VIP", kind="role", price=500, currency="USD", role_id=1
    )
    await Package.create(product=product, quantity=3, price=1200)
    return product


async def test_a_transaction_reads_a_product_once_for_each_quantity(db) -> None:
    vip = await _vip()
    with sql_run() as sql:
        async with in_transaction() as conn:
            first, one = await product_and_package("vip", 1, conn)
            again, same = await product_and_package("vip", 1, conn)
            _, three = await product_and_package("vip", 3, conn)
            assert await product_and_package("nope", 1, conn) == (None, None)
            assert await product_and_package("nope", 1, conn) == (None, None)
    assert _product_reads(sql) == 3  # vip x1, vip x3, nope
    assert first is not again  # a new object each time: changing one changes no other
    for name in Product._meta.fields_db_projection:
        assert getattr(first, name) == getattr(again, name) == getattr(vip, name), name
    assert (one, same, three[1]) == (None, None, 1200)


async def test_outside_a_transaction_and_in_the_next_an_edit_is_seen(db) -> None:
    vip = await _vip()
    conn = default_connection()
    async with in_transaction() as tx:
        assert (await product_and_package("vip", 1, tx))[0].price == 500
    await Product.filter(id=vip.id).update(price=700)
    assert (await product_and_package("vip", 1, conn))[0].price == 700
    await Product.filter(id=vip.id).update(price=800)
    assert (await product_and_package("vip", 1, conn))[0].price == 800
    async with in_transaction() as tx:
        assert (await product_and_package("vip", 1, tx))[0].price == 800


async def test_orders_applied_in_one_transaction_read_their_product_once(catalog) -> None:
    with sql_run() as sql:
        async with in_transaction() as conn:
            for n in range(3):
                event = external(f"t{n}", PaymentStatus.PAID, f"p{n}", product_key="vip")
                await apply_payment_event(
                    type(event)(**{**event.__dict__, "discord_user_id": 40 + n}), connection=conn
                )
    assert _product_reads(sql) == 1
    orders = await Order.all().order_by("id").prefetch_related("product")
    assert [o.product.key for o in orders] == ["vip"] * 3
    assert len({o.number for o in orders}) == 3
