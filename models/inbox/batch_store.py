"""Storing many webhook rows in one statement: the inbox's group commit (webhooks.intake).

One multi-row INSERT … ON CONFLICT DO NOTHING RETURNING stores a batch of verified callbacks
in one transaction (one commit, one round trip) on both engines. Uniqueness of (provider,
event_id) is still the table's: a row already stored, by this batch or any process, is not
stored again and is reported as a duplicate with the id it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient

from models.base import InboxStatus
from models.inbox.tables import WebhookEvent
from models.outbox.actions import is_postgres

# Rows per statement: 11 parameters each stays far below either engine's parameter limit.
MAX_BATCH = 256
_COLUMNS = (
    "created_at",
    "updated_at",
    "provider",
    "event_id",
    "received_at",
    "signature_ok",
    "event_type",
    "raw_body",
    "status",
    "error",
    "attempts",
)


@dataclass(frozen=True)
class NewEvent:
    provider: str
    event_id: str
    event_type: str
    raw_body: str

    @property
    def key(self) -> tuple[str, str]:
        return self.provider, self.event_id[:191]


@lru_cache(maxsize=64)  # the batch sizes seen lately (a 256-row statement is ~20 KB)
def _insert_sql(rows: int, postgres: bool) -> str:
    width = len(_COLUMNS)
    if postgres:
        groups = (
            "(" + ", ".join(f"${r * width + c + 1}" for c in range(width)) + ")"
            for r in range(rows)
        )
    else:
        groups = ("(" + ", ".join("?" * width) + ")" for _ in range(rows))
    columns = ", ".join(f'"{c}"' for c in _COLUMNS)
    return (
        f'INSERT INTO "webhook_event" ({columns}) VALUES {", ".join(groups)} '
        'ON CONFLICT ("provider", "event_id") DO NOTHING RETURNING "id", "provider", "event_id"'
    )


async def store_webhook_events(
    events: list[NewEvent], connection: BaseDBAsyncClient | None = None
) -> list[tuple[int, bool]]:
    """Stores the events in one statement; (row id, created) for each, in the given order.

    The first of two events with the same key in one batch is the one created.
    """
    if not events:
        return []
    if len(events) > MAX_BATCH:
        raise ValueError(f"at most {MAX_BATCH} events a statement, not {len(events)}")
    conn = connection or Tortoise.get_connection("default")
    now = datetime.now(UTC)
    postgres = is_postgres(conn)
    stamp = now if postgres else str(now)  # the text Tortoise writes on SQLite
    values: list[object] = []
    for event in events:
        provider, event_id = event.key
        values += [stamp, stamp, provider, event_id, stamp, True, event.event_type[:64]]
        values += [event.raw_body, InboxStatus.RECEIVED.value, "", 0]
    stored = await conn.execute_query_dict(_insert_sql(len(events), postgres), values)
    created = {(row["provider"], row["event_id"]): int(row["id"]) for row in stored}
    existing = await _ids_of({e.key for e in events if e.key not in created}, conn)
    results: list[tuple[int, bool]] = []
    first_seen: set[tuple[str, str]] = set()
    for event in events:
        key = event.key
        if key in created and key not in first_seen:
            first_seen.add(key)
            results.append((created[key], True))
        else:
            results.append((created.get(key) or existing[key], False))
    return results


async def _ids_of(
    keys: set[tuple[str, str]], conn: BaseDBAsyncClient
) -> dict[tuple[str, str], int]:
    """Ids of rows stored before (duplicates are rare: one query per provider among them)."""
    found: dict[tuple[str, str], int] = {}
    for provider in {p for p, _ in keys}:
        ids = [e for p, e in keys if p == provider]
        rows = (
            await WebhookEvent.filter(provider=provider, event_id__in=ids)
            .using_db(conn)
            .values_list("id", "event_id")
        )
        found.update({(provider, event_id): row_id for row_id, event_id in rows})
    return found
