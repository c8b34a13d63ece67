"""Writes migrations/models/0_*_init.py with the schema for both SQLite and PostgreSQL.

aerich writes migration SQL for the one dialect it runs against; Stockroom ships a single
migration history for both engines, so each migration returns the SQL of the engine it is
applied to. Usage: python migrations/build_initial.py postgres://postgres@127.0.0.1/scratch
(the PostgreSQL database must exist and may be empty; nothing is written to it).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aerich.utils import get_formatted_compressed_data, get_models_describe
from tortoise import Tortoise
from tortoise.utils import get_schema_sql

from models.database import APP, tortoise_config

TEMPLATE = '''"""Initial schema: every table of SPEC section 4, for SQLite and PostgreSQL."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQLITE = """
{sqlite}
"""

POSTGRES = """
{postgres}
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return POSTGRES if db.schema_generator.DIALECT == "postgres" else SQLITE


async def downgrade(db: BaseDBAsyncClient) -> str:
    return ""


MODELS_STATE = (
    {state}
)
'''


async def schema_for(url: str) -> tuple[str, dict]:
    await Tortoise.init(config=tortoise_config(url))
    try:
        sql = get_schema_sql(Tortoise.get_connection("default"), safe=False)
        return sql.strip(), get_models_describe(APP)
    finally:
        await Tortoise.close_connections()


async def main(postgres_url: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sqlite, state = await schema_for(f"sqlite://{tmp}/schema.sqlite3")
    postgres, _ = await schema_for(postgres_url)
    target = Path(__file__).resolve().parent / APP
    for old in target.glob("0_*_init.py"):
        old.unlink()
    out = target / "0_20261122000000_init.py"
    out.write_text(
        TEMPLATE.format(
            sqlite=sqlite, postgres=postgres, state=get_formatted_compressed_data(state)
        ),
        encoding="utf-8",
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    asyncio.run(
        main(sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/postgres")
    )
