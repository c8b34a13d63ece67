"""Raw statements on the hot paths of delivery, written once for both engines.

Statements are written with SQLite's `?` placeholders; on PostgreSQL (asyncpg) they are
numbered `$1…` here. No statement handed to this module may hold a `?` in a literal.
Used where the ORM's query building costs more than the database does (claim, complete,
the worker's order snapshot, the codes of an order): see docs/PERFORMANCE.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient

_PLACEHOLDER = re.compile(r"\?")
_numbered: dict[str, str] = {}


def is_postgres(connection: BaseDBAsyncClient) -> bool:
    return connection.schema_generator.DIALECT == "postgres"


def for_engine(sql: str, connection: BaseDBAsyncClient) -> str:
    """The statement with the engine's placeholders (`?` on SQLite, `$n` on PostgreSQL)."""
    if not is_postgres(connection):
        return sql
    numbered = _numbered.get(sql)
    if numbered is None:
        count = iter(range(1, 10**6))
        numbered = _numbered[sql] = _PLACEHOLDER.sub(lambda _: f"${next(count)}", sql)
    return numbered


def marks(count: int) -> str:
    """`?, ?, …` for an IN list of `count` values (at least one)."""
    return ", ".join("?" * max(count, 1))


def default_connection(connection: BaseDBAsyncClient | None = None) -> BaseDBAsyncClient:
    return connection or Tortoise.get_connection("default")


async def rows(
    sql: str, values: Sequence[Any], connection: BaseDBAsyncClient | None = None
) -> list[dict[str, Any]]:
    """The rows a SELECT (or a statement with RETURNING) answers, as dicts."""
    conn = default_connection(connection)
    return await conn.execute_query_dict(for_engine(sql, conn), list(values))


async def changed(
    sql: str, values: Sequence[Any], connection: BaseDBAsyncClient | None = None
) -> int:
    """How many rows an UPDATE or DELETE changed."""
    conn = default_connection(connection)
    count, _ = await conn.execute_query(for_engine(sql, conn), list(values))
    return count
