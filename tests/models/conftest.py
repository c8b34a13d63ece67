"""Fixtures for the order core: a small catalog, a cipher, and event builders."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from hypothesis import settings as hypothesis_settings

from models.base import OrderSource, PaymentMethod
from models.catalog.sync import sync_catalog
from models.database import close_database, open_database
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.stock.cipher import StockCipher
from settings import PackageConfig, ProductConfig
from tests.conftest import _reset_postgres, postgres_url

hypothesis_settings.register_profile("ci", max_examples=500, deadline=None)
hypothesis_settings.register_profile("dev", max_examples=60, deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

CATALOG = (
    ProductConfig(
        key="game-key",
        name="Game key",
        kind="code",
        price=500,
        currency="USD",
        low_stock=3,
        packages=(PackageConfig(quantity=5, price=2250),),
    ),
    ProductConfig(key="vip", name="VIP", kind="role", price=1000, currency="USD", role_id=777),
    ProductConfig(
        key="bundle", name="Bundle", kind="code+role", price=1500, currency="USD", low_stock=0
    ),
)


@pytest.fixture
async def catalog(db: str) -> str:
    await sync_catalog(CATALOG)
    return db


@pytest.fixture(scope="session")
def keys() -> tuple[str, str]:
    return Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def cipher(keys: tuple[str, str]) -> StockCipher:
    return StockCipher((keys[0],))


def external(
    external_id: str,
    status: PaymentStatus,
    reference: str,
    *,
    product_key: str | None = "game-key",
    quantity: int = 1,
    amount: int | None = 500,
    discord_user_id: int | None = 1001,
    refund_amount: int | None = None,
    cause: str | None = None,
    source: OrderSource = OrderSource.GENERIC,
) -> PaymentEvent:
    """A generic-webhook style event carrying its creation fields, like the real ones."""
    return PaymentEvent(
        source=source,
        external_id=external_id,
        status=status,
        cause=cause or f"generic:{status.value}",
        reference=reference,
        product_key=product_key,
        quantity=quantity,
        amount=amount,
        currency="USD",
        discord_user_id=discord_user_id,
        refund_amount=refund_amount,
        payment_method=PaymentMethod.EXTERNAL,
    )


@pytest.fixture(params=["sqlite", "postgres"])
def db_runner(
    request: pytest.FixtureRequest, tmp_path, sqlite_template
) -> Iterator[asyncio.Runner]:
    """An open database on one event loop, for synchronous hypothesis tests to drive."""
    runner = asyncio.Runner()
    if request.param == "sqlite":
        path = tmp_path / "stockroom.sqlite3"
        shutil.copy(sqlite_template, path)
        url = f"sqlite://{path}"
    else:
        url = postgres_url()
    try:
        runner.run(open_database(url))
        if request.param == "postgres":
            runner.run(_reset_postgres())
        runner.run(sync_catalog(CATALOG))
        yield runner
    finally:
        runner.run(close_database())
        runner.close()
