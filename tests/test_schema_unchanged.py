"""The models match the newest migration: aerich has nothing to migrate, old databases upgrade."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from aerich import Command
from aerich.utils import compress_dict, decompress_dict, get_models_describe, import_py_file
from tortoise import Tortoise

from models import AuditEntry, BotState, Customer, Product, TopUp, WalletTransaction
from models.audit.actions import record_admin_action
from models.base import WalletKind
from models.catalog.sync import sync_catalog
from models.database import (
    APP,
    MIGRATIONS,
    check_database,
    close_database,
    describe_url,
    open_database,
    tortoise_config,
)
from settings import PackageConfig, ProductConfig
from tests.conftest import postgres_url

INITIAL = "0_20261122000000_init.py"


def _migrations() -> list[str]:
    """Every migration file, oldest first (by the version number before the first "_")."""
    names = [p.name for p in (MIGRATIONS / APP).glob("[0-9]*_*.py")]
    return sorted(names, key=lambda name: int(name.split("_", 1)[0]))


MIGRATION_FILES = _migrations()
NEWEST = MIGRATION_FILES[-1]


def _recorded_state() -> dict[str, Any]:
    """The models' description the newest migration stored (MODELS_STATE)."""
    return decompress_dict(import_py_file(MIGRATIONS / APP / NEWEST).MODELS_STATE)


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """One line per model or describe key that differs, for a readable failure."""
    lines = [f"{name}: {'added' if name in new else 'removed'}" for name in old.keys() ^ new.keys()]
    for name in sorted(old.keys() & new.keys()):
        for key in sorted(old[name].keys() | new[name].keys()):
            if old[name].get(key) != new[name].get(key):
                lines.append(f"{name}.{key}: {old[name].get(key)!r} -> {new[name].get(key)!r}")
    return lines


async def test_the_models_describe_as_the_newest_migration_recorded(tmp_path: Path) -> None:
    await Tortoise.init(config=tortoise_config(f"sqlite://{tmp_path}/describe.sqlite3"))
    try:
        # Through aerich's own encoder, as it stores the state (tuples become lists).
        current = decompress_dict(compress_dict(get_models_describe(APP)))
    finally:
        await close_database()
    recorded = _recorded_state()
    assert _differences(recorded, current) == []
    assert current == recorded


async def test_aerich_has_nothing_to_migrate(tmp_path: Path) -> None:
    """`aerich migrate` on an upgraded database writes no migration (into a copy of the folder)."""
    location = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS / APP, location / APP)
    url = f"sqlite://{tmp_path}/migrate.sqlite3"
    assert await open_database(url) == MIGRATION_FILES
    try:
        command = Command(tortoise_config(url), app=APP, location=str(location))
        await command.init()
        written = await command.migrate("schema_check", no_input=True)
        new_files = sorted(
            p.name for p in (location / APP).glob("*.py") if p.name not in MIGRATION_FILES
        )
        shown = [(location / APP / name).read_text(encoding="utf-8") for name in new_files]
    finally:
        await close_database()
    assert (written, shown) == ("", [])


async def test_a_database_made_before_reopens_without_a_migration(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path}/kept/stockroom.sqlite3"
    assert await open_database(url) == MIGRATION_FILES
    try:
        catalog = [
            ProductConfig(
                key="game-key",
                name="Game key",
                kind="code",
                price=1500,
                currency="USD",
                packages=(PackageConfig(quantity=5, price=6000),),
            )
        ]
        await sync_catalog(catalog)
        await Customer.create(discord_id=123456789012345678, balance=250)
        await BotState.create(key="panel", value={"message_id": 42})
    finally:
        await close_database()

    assert await open_database(url) == []
    try:
        product = await Product.get(key="game-key").prefetch_related("packages")
        assert [(p.quantity, p.price) for p in product.packages] == [(5, 6000)]
        assert (await Customer.get(discord_id=123456789012345678)).balance == 250
        assert (await BotState.get(key="panel")).value == {"message_id": 42}
    finally:
        await close_database()
    assert (await check_database(url))[1] == [f"database: {url} is up to date"]


async def _at_initial_migration(url: str, tmp_path: Path) -> None:
    """Brings the database to migration 0 alone, as an install made before the audit trail."""
    only_initial = tmp_path / "initial"
    (only_initial / APP).mkdir(parents=True)
    shutil.copy(MIGRATIONS / APP / INITIAL, only_initial / APP / INITIAL)
    config = tortoise_config(url)
    await Tortoise.init(config=config)
    try:
        if url.startswith("postgres"):
            await Tortoise.get_connection("default").execute_script(
                "DROP SCHEMA public CASCADE; CREATE SCHEMA public"
            )
        command = Command(config, app=APP, location=str(only_initial))
        await command.init()
        assert await command.upgrade(run_in_transaction=True) == [INITIAL]
    finally:
        await close_database()


async def _database_at_the_initial_migration(url: str, tmp_path: Path) -> None:
    """Creates (or resets) a database holding only migration 0 and a customer with money."""
    location = tmp_path / "only-initial"
    (location / APP).mkdir(parents=True)
    shutil.copy(MIGRATIONS / APP / INITIAL, location / APP / INITIAL)
    await Tortoise.init(config=tortoise_config(url))
    try:
        if url.startswith("postgres"):
            await Tortoise.get_connection("default").execute_script(
                "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
            )
        command = Command(tortoise_config(url), app=APP, location=str(location))
        await command.init()
        assert await command.upgrade(run_in_transaction=True) == [INITIAL]
        await Customer.create(discord_id=123456789012345678, balance=250)
    finally:
        await close_database()


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_a_database_at_migration_0_upgrades_to_the_audit_trail(
    engine: str, tmp_path: Path
) -> None:
    url = postgres_url() if engine == "postgres" else f"sqlite://{tmp_path}/old.sqlite3"
    await _at_initial_migration(url, tmp_path)
    await open_database(url, migrate=False)
    try:
        await Customer.create(discord_id=42, balance=5)
    finally:
        await close_database()
    assert await open_database(url) == _migrations()[1:]
    try:
        entry = await record_admin_action(7, "viewstock", details={"product": "vip"})
        assert (await AuditEntry.get(id=entry.id)).details == {"product": "vip", "outcome": "done"}
        assert (await Customer.get(discord_id=42)).balance == 5
    finally:
        await close_database()
    assert (await check_database(url))[1] == [f"database: {url} is up to date"]


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
async def test_a_database_at_migration_0_upgrades_and_keeps_its_rows(
    tmp_path: Path, engine: str
) -> None:
    url = f"sqlite://{tmp_path}/old.sqlite3" if engine == "sqlite" else postgres_url()
    await _database_at_the_initial_migration(url, tmp_path)
    assert await open_database(url) == MIGRATION_FILES[1:]
    try:
        customer = await Customer.get(discord_id=123456789012345678)
        assert customer.balance == 250
        entry = await WalletTransaction.create(
            customer=customer,
            kind=WalletKind.CLAWBACK,
            amount=-250,
            currency="USD",
            balance_after=0,
            reference="topup:1:1",
        )
        topup = await TopUp.create(
            customer=customer,
            reference="stripe:cs_old",
            payment_ref="pi_old",
            amount=250,
            currency="USD",
            credit_entry_id=entry.id,
        )
        assert (await TopUp.get(payment_ref="pi_old")).id == topup.id
    finally:
        await close_database()
    assert (await check_database(url))[1] == [f"database: {describe_url(url)} is up to date"]
