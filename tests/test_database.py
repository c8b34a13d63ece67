"""Migrations from empty and model constraints, on every engine."""

from __future__ import annotations

import pytest
from tortoise import Tortoise
from tortoise.exceptions import IntegrityError

from models import (
    BotState,
    Customer,
    IdempotencyRecord,
    Job,
    Order,
    OrderEvent,
    Package,
    Product,
    StockItem,
    WalletTransaction,
    WebhookEvent,
)
from models.base import JobKind, OrderSource, OrderStatus, PaymentMethod, WalletKind
from models.catalog.sync import sync_catalog
from models.database import APP, MIGRATIONS, check_database, close_database, open_database
from settings import PackageConfig, ProductConfig
from tests.conftest import postgres_url

EXPECTED_TABLES = {
    "aerich",
    "audit_entry",
    "bot_state",
    "customer",
    "idempotency_record",
    "job",
    "order",
    "order_event",
    "package",
    "product",
    "stock_item",
    "wallet_transaction",
    "wallet_topup",
    "webhook_event",
}


def _all_migrations() -> list[str]:
    """Every migration file, in the order aerich applies them (by version number)."""
    names = [p.name for p in (MIGRATIONS / APP).glob("[0-9]*_*.py")]
    return sorted(names, key=lambda name: int(name.split("_", 1)[0]))


ALL_MIGRATIONS = _all_migrations()


async def _tables() -> set[str]:
    connection = Tortoise.get_connection("default")
    if connection.schema_generator.DIALECT == "postgres":
        rows = await connection.execute_query_dict(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        )
    else:
        rows = await connection.execute_query_dict(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    return {row["name"] for row in rows}


async def test_upgrade_from_empty_sqlite_creates_every_table(tmp_path) -> None:
    url = f"sqlite://{tmp_path}/fresh/stockroom.sqlite3"
    problems, notes = await check_database(url)
    assert problems == [] and "created and migrated" in notes[0]
    applied = await open_database(url)
    try:
        assert applied == ALL_MIGRATIONS
        assert EXPECTED_TABLES <= await _tables()
        mode = await Tortoise.get_connection("default").execute_query_dict("PRAGMA journal_mode")
        assert mode[0]["journal_mode"].lower() == "wal"
    finally:
        await close_database()
    assert await open_database(url) == []  # nothing pending the second time
    await close_database()
    assert (await check_database(url))[1] == [f"database: {url} is up to date"]


@pytest.mark.postgres
async def test_upgrade_from_empty_postgres_creates_every_table() -> None:
    url = postgres_url()
    base, _, _ = url.rpartition("/")
    scratch = f"{base}/stockroom_migration_test"
    await open_database(f"{base}/postgres", migrate=False)
    admin = Tortoise.get_connection("default")
    await admin.execute_script("DROP DATABASE IF EXISTS stockroom_migration_test")
    await admin.execute_script("CREATE DATABASE stockroom_migration_test")
    await close_database()
    try:
        assert await open_database(scratch) == ALL_MIGRATIONS
        assert EXPECTED_TABLES <= await _tables()
        await close_database()
        assert await open_database(scratch) == []
    finally:
        await close_database()


async def test_check_reports_unreachable_postgres() -> None:
    problems, _ = await check_database("postgres://nobody@127.0.0.1:1/none")
    assert len(problems) == 1 and problems[0].startswith("DATABASE_URL: cannot connect")


async def _product(key: str = "game-key") -> Product:
    return await Product.create(key=key, name="Game", kind="code", price=500, currency="USD")


async def test_unique_constraints(db: str) -> None:
    product = await _product()
    with pytest.raises(IntegrityError):
        await _product()
    await Package.create(product=product, quantity=5, price=2000)
    with pytest.raises(IntegrityError):
        await Package.create(product=product, quantity=5, price=1900)

    customer = await Customer.create(discord_id=111111111111111111)
    with pytest.raises(IntegrityError):
        await Customer.create(discord_id=111111111111111111)

    ref = {"customer": customer, "kind": WalletKind.TOPUP, "currency": "USD", "reference": "s:1"}
    await WalletTransaction.create(amount=100, balance_after=100, **ref)
    with pytest.raises(IntegrityError):
        await WalletTransaction.create(amount=100, balance_after=200, **ref)

    fields = {"product": product, "ciphertext": "x", "fingerprint": "f" * 64}
    await StockItem.create(**fields)
    with pytest.raises(IntegrityError):
        await StockItem.create(**fields)

    order = await Order.create(
        number="SR-1",
        source=OrderSource.STRIPE,
        external_id="cs_1",
        payment_method=PaymentMethod.STRIPE,
        customer=customer,
        product=product,
    )
    with pytest.raises(IntegrityError):
        await Order.create(
            number="SR-2",
            source=OrderSource.STRIPE,
            external_id="cs_1",
            payment_method=PaymentMethod.STRIPE,
        )
    # The same external id from another source is another order.
    await Order.create(
        number="SR-3",
        source=OrderSource.ECWID,
        external_id="cs_1",
        payment_method=PaymentMethod.EXTERNAL,
    )
    event = {"order": order, "to_status": OrderStatus.PAID, "cause": "stripe", "reference": "e1"}
    await OrderEvent.create(**event)
    with pytest.raises(IntegrityError):
        await OrderEvent.create(**event)

    await WebhookEvent.create(provider="stripe", event_id="evt_1", raw_body="{}")
    with pytest.raises(IntegrityError):
        await WebhookEvent.create(provider="stripe", event_id="evt_1", raw_body="{}")
    await WebhookEvent.create(provider="midtrans", event_id="evt_1", raw_body="{}")

    await IdempotencyRecord.create(key="k", request_hash="h")
    with pytest.raises(IntegrityError):
        await IdempotencyRecord.create(key="k", request_hash="h")
    await BotState.create(key="panel")
    with pytest.raises(IntegrityError):
        await BotState.create(key="panel")

    from datetime import UTC, datetime

    job = {"kind": JobKind.NOTIFY_ADMIN, "next_attempt_at": datetime.now(UTC), "dedupe_key": "a"}
    await Job.create(**job)
    with pytest.raises(IntegrityError):
        await Job.create(**job)


async def test_money_is_integer_minor_units(db: str) -> None:
    product = await Product.create(
        key="big", name="Big", kind="code", price=9_007_199_254_740_993, currency="IDR"
    )
    again = await Product.get(id=product.id)
    assert again.price == 9_007_199_254_740_993 and isinstance(again.price, int)


async def test_catalog_sync_upserts_and_hides(db: str) -> None:
    first = [
        ProductConfig("a", "A", "code", 100, "USD", packages=(PackageConfig(5, 450),)),
        ProductConfig("b", "B", "role", 200, "USD"),
    ]
    assert await sync_catalog(first) == {"created": 2, "updated": 0, "hidden": 0}
    second = [ProductConfig("a", "A2", "code", 120, "USD", packages=(PackageConfig(10, 900),))]
    assert await sync_catalog(second) == {"created": 0, "updated": 1, "hidden": 1}
    a = await Product.get(key="a")
    assert (a.name, a.price, a.active) == ("A2", 120, True)
    assert not (await Product.get(key="b")).active
    packages = {p.quantity: p.active for p in await Package.filter(product=a)}
    assert packages == {5: False, 10: True}
