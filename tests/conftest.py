"""Shared fixtures: a real database (SQLite temp file always, PostgreSQL when configured)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise import Tortoise

from models.database import close_database, open_database

pytest_plugins = ["tests.discord_plugin", "tests.provider_plugin"]

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ENGINES = ["sqlite", "postgres"]
_TABLES_IN_DELETE_ORDER = (
    "coupon_redemption",
    "coupon",
    "restock_request",
    "wallet_topup",
    "wallet_transaction",
    "order_event",
    "subscription",
    "stock_item",
    "job",
    '"order"',
    "customer",
    "package",
    "product",
    "webhook_event",
    "idempotency_record",
    "bot_state",
    "audit_entry",
    "adopted_role",
)


def postgres_url() -> str:
    """TEST_DATABASE_URL, or skip with the reason when it is not set."""
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL not set: PostgreSQL cases skipped (bash .ci/run sets it)")
    url = TEST_DATABASE_URL
    if url.startswith("postgresql://"):
        url = "postgres://" + url[len("postgresql://") :]
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test instead of migrating again."""
    import asyncio

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"

    async def build() -> None:
        await open_database(f"sqlite://{path}")
        await close_database()

    asyncio.run(build())
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


async def _reset_postgres() -> None:
    connection = Tortoise.get_connection("default")
    await connection.execute_script(
        "TRUNCATE " + ", ".join(_TABLES_IN_DELETE_ORDER) + " RESTART IDENTITY CASCADE"
    )


@pytest.fixture(params=ENGINES)
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> AsyncIterator[str]:
    """An open, migrated, empty database on each engine; yields its URL."""
    if request.param == "sqlite":
        path = tmp_path / "stockroom.sqlite3"
        shutil.copy(sqlite_template, path)
        url = f"sqlite://{path}"
        await open_database(url)
    else:
        url = postgres_url()
        await open_database(url)
        await _reset_postgres()
    try:
        yield url
    finally:
        await close_database()


@pytest.fixture
async def db(database_url: str) -> str:
    """Alias used by domain tests that only need the database to be open."""
    return database_url
