"""Migration 1 (query indexes): a database made at migration 0 upgrades, its rows kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from aerich import Command
from tortoise import Tortoise

from models.database import APP, MIGRATIONS, close_database, open_database, tortoise_config
from tests.conftest import postgres_url

INITIAL = "0_20261122000000_init.py"
INDEXES = "1_20261201000001_query_indexes.py"
NEW_INDEXES = {
    "idx_stock_item_product_a995d3",
    "idx_stock_item_order_i_2a0cc9",
    "idx_order_custome_244850",
    "idx_job_order_i_570b12",
}

INDEX_NAMES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index'",
    "postgres": "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'",
}


async def _at_migration_zero(url: str, tmp_path: Path) -> None:
    """The database as the initial migration alone leaves it, with a product and a code."""
    location = tmp_path / "migrations"
    (location / APP).mkdir(parents=True)
    shutil.copy(MIGRATIONS / APP / INITIAL, location / APP / INITIAL)
    config = tortoise_config(url)
    await Tortoise.init(config=config)
    try:
        connection = Tortoise.get_connection("default")
        if url.startswith("postgres"):
            await connection.execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        command = Command(config, app=APP, location=str(location))
        await command.init()
        assert await command.upgrade(run_in_transaction=True) == [INITIAL]
        await connection.execute_script(
            "INSERT INTO product (created_at, updated_at, key, name, description, kind, price, "
            "currency, role_id, low_stock, low_stock_alerted, active) VALUES "
            "('2026-11-30 10:00:00+00:00', '2026-11-30 10:00:00+00:00', 'game-key', 'Game', "
            "'', 'code', 500, 'USD', 0, 5, false, true);"
            "INSERT INTO stock_item (created_at, updated_at, ciphertext, fingerprint, status, "
            "product_id) VALUES ('2026-11-30 10:00:00+00:00', '2026-11-30 10:00:00+00:00', "
            "'token', 'fp', 'available', 1)"
        )
    finally:
        await close_database()


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
async def test_a_database_at_migration_zero_gets_the_query_indexes(
    engine: str, tmp_path: Path
) -> None:
    url = f"sqlite://{tmp_path}/old.sqlite3" if engine == "sqlite" else postgres_url()
    await _at_migration_zero(url, tmp_path)
    applied = await open_database(url)
    assert applied[0] == INDEXES, applied  # and every later migration after it
    try:
        connection = Tortoise.get_connection("default")
        _, rows = await connection.execute_query(INDEX_NAMES[engine])
        names = {row["name"] for row in rows}
        assert NEW_INDEXES <= names
        assert "idx_stock_item_product_4147d4" not in names  # replaced, not kept beside
        _, stock = await connection.execute_query("SELECT fingerprint, status FROM stock_item")
        assert [(row["fingerprint"], row["status"]) for row in stock] == [("fp", "available")]
    finally:
        await close_database()
    assert await open_database(url) == []
    await close_database()
