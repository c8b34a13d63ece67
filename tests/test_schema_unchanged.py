"""The models are what the migrations made: aerich sees them as the newest migration left them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from aerich import Command
from aerich.utils import compress_dict, decompress_dict, get_models_describe, import_py_file
from tortoise import Tortoise

from models import BotState, Customer, Product
from models.catalog.sync import sync_catalog
from models.database import (
    APP,
    MIGRATIONS,
    check_database,
    close_database,
    open_database,
    tortoise_config,
)
from settings import PackageConfig, ProductConfig


def _migrations() -> list[str]:
    """Every migration file, in the order aerich applies them (by version number)."""
    names = [p.name for p in (MIGRATIONS / APP).glob("[0-9]*_*.py")]
    return sorted(names, key=lambda name: int(name.split("_", 1)[0]))


def _recorded_state() -> dict[str, Any]:
    """The models' description the newest migration stored (MODELS_STATE)."""
    return decompress_dict(import_py_file(MIGRATIONS / APP / _migrations()[-1]).MODELS_STATE)


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
    assert await open_database(url) == _migrations()
    try:
        command = Command(tortoise_config(url), app=APP, location=str(location))
        await command.init()
        written = await command.migrate("schema_check", no_input=True)
        new_files = sorted(
            p.name for p in (location / APP).glob("*.py") if p.name not in _migrations()
        )
        shown = [(location / APP / name).read_text(encoding="utf-8") for name in new_files]
    finally:
        await close_database()
    assert (written, shown) == ("", [])


async def test_a_database_made_before_reopens_without_a_migration(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path}/kept/stockroom.sqlite3"
    assert await open_database(url) == _migrations()
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
