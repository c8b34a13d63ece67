"""The raw statements of order creation against the ORM calls they replace (both engines)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from tortoise.exceptions import ValidationError

from models.base import OrderSource, OrderStatus, PaymentMethod, ProductKind
from models.catalog.tables import Package, Product
from models.customers.tables import Customer
from models.orders.order_insert import insert_order
from models.orders.order_sql import product_and_package, recorded_events
from models.orders.tables import Order, OrderEvent
from models.outbox.raw_sql import default_connection, rows

_STAMPS = ("created_at", "updated_at")


async def _stored(order_id: int) -> dict:
    (row,) = await rows('SELECT * FROM "order" WHERE "id" = ?', [order_id])
    return row


async def _catalog() -> tuple[Product, Package, Customer]:
    product = await Product.create(
        key="vip", name="VIP pass", kind=ProductKind.CODE, price=500, currency="EUR"
    )
    package = await Package.create(product=product, quantity=3, price=1200)
    customer = await Customer.create(discord_id=4242)
    return product, package, customer


def _full(number: str, external_id: str, product: Product, package: Package, customer: Customer):
    return {
        "number": number,
        "source": "stripe",  # a str, as events may carry it: the field makes it the enum
        "external_id": external_id,
        "customer_id": customer.id,
        "email": "buyer@example.com",
        "status": OrderStatus.PENDING,
        "payment_method": PaymentMethod.STRIPE,
        "checkout_id": f"cs_{external_id}",
        "payment_ref": None,
        "details": {"grants_customer_role": True, "missing": ["amount"], "note": "café ✓"},
        "expires_at": datetime(2026, 12, 4, 3, 4, 5, 678901, tzinfo=timezone(timedelta(hours=7))),
        "product_id": product.id,
        "package_id": package.id,
        "product_name": "VIP pass",
        "quantity": 3,
        "amount": 1200,
        "currency": "EUR",
    }


def _assert_same_rows(raw: dict, orm: dict, differ: tuple[str, ...]) -> None:
    assert raw.keys() == orm.keys()
    for column in raw:
        if column in ("id", *differ):
            continue
        if column in _STAMPS:
            assert type(raw[column]) is type(orm[column]), column
            continue
        assert raw[column] == orm[column], column
        assert type(raw[column]) is type(orm[column]), column


def _assert_same_models(raw: Order, orm: Order, differ: tuple[str, ...]) -> None:
    for name in Order._meta.fields_db_projection:
        if name in ("id", *differ, *_STAMPS):
            continue
        assert getattr(raw, name) == getattr(orm, name), name
        assert type(getattr(raw, name)) is type(getattr(orm, name)), name


async def test_insert_order_stores_what_order_create_stores(db: str) -> None:
    product, package, customer = await _catalog()
    conn = default_connection()
    raw = await insert_order(_full("SR-RAW001", "ext-raw", product, package, customer), conn)
    orm = await Order.create(**_full("SR-ORM001", "ext-orm", product, package, customer))
    differ = ("number", "external_id", "checkout_id")
    raw_row, orm_row = await _stored(raw.id), await _stored(orm.id)
    _assert_same_rows(raw_row, orm_row, differ)
    assert raw_row["number"] == "SR-RAW001" and raw_row["source"] == "stripe"
    # The model returned is the row as stored, as a read of it gives.
    _assert_same_models(raw, await Order.get(id=orm.id), differ)
    _assert_same_models(raw, await Order.get(id=raw.id), ())
    assert raw._saved_in_db and raw.expires_at == orm.expires_at
    assert raw.created_at is not None and raw.created_at == raw.updated_at
    assert abs(raw.created_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert raw.customer_id == customer.id and raw.status is OrderStatus.PENDING


async def test_insert_order_defaults_what_is_not_given(db: str) -> None:
    conn = default_connection()
    given = {"source": OrderSource.GENERIC, "payment_method": PaymentMethod.EXTERNAL}
    raw = await insert_order({"number": "SR-RAW002", **given}, conn)
    orm = await Order.create(number="SR-ORM002", **given)
    _assert_same_rows(await _stored(raw.id), await _stored(orm.id), ("number",))
    _assert_same_models(raw, await Order.get(id=orm.id), ("number",))
    assert (raw.product_name, raw.quantity, raw.amount, raw.currency) == ("", 1, 0, "USD")
    assert raw.details == {} and raw.needs_attention is False and raw.customer_id is None


async def test_insert_order_refuses_what_the_orm_refuses(db: str) -> None:
    conn = default_connection()
    with pytest.raises(ValueError):
        await insert_order({"number": None, "source": "api", "payment_method": "manual"}, conn)
    with pytest.raises(TypeError):
        await insert_order({"number": "SR-X", "source": "api", "colour": "red"}, conn)
    with pytest.raises(ValidationError):  # a required field not given, as Order.create
        await insert_order({"source": "api", "payment_method": "manual"}, conn)
    with pytest.raises(ValidationError):
        await Order.create(source="api", payment_method="manual")
    assert await Order.all().count() == 0


async def test_product_and_package_reads_what_the_orm_reads(db: str) -> None:
    product, _, _ = await _catalog()
    await Package.create(product=product, quantity=5, price=1800)
    other = await Product.create(
        key="other", name="O", kind=ProductKind.ROLE, price=1, currency="USD"
    )
    await Package.create(product=other, quantity=3, price=99)
    conn = default_connection()
    for quantity in (1, 3, 5):
        raw_product, raw_package = await product_and_package("vip", quantity, conn)
        orm_product = await Product.filter(key="vip").first()
        orm_package = await Package.filter(product_id=orm_product.id, quantity=quantity).first()
        for name in Product._meta.fields_db_projection:
            assert getattr(raw_product, name) == getattr(orm_product, name), name
        expected = (orm_package.id, orm_package.price) if orm_package else None
        assert raw_package == expected
    assert await product_and_package("nope", 3, conn) == (None, None)


async def test_recorded_events_reads_what_values_list_reads(db: str) -> None:
    conn = default_connection()
    order = await insert_order(
        {"number": "SR-EV", "source": "api", "payment_method": "manual"}, conn
    )
    for reference, detail in (("a", {"fact": "paid", "note": "ü"}), ("b", {"fact": None})):
        await OrderEvent.create(
            order_id=order.id,
            to_status=OrderStatus.PAID,
            cause="c",
            reference=reference,
            detail=detail,
        )
    expected = await OrderEvent.filter(order_id=order.id).values_list(
        "cause", "reference", "detail"
    )
    assert sorted(await recorded_events(order.id, conn)) == sorted(expected)
    assert await recorded_events(order.id + 1, conn) == []
