"""Audit writes: the one way an admin action is recorded."""

from __future__ import annotations

from typing import Any

from models.audit.tables import AuditEntry

MAX_DETAIL_CHARS = 500


def _clip(value: Any) -> Any:
    if isinstance(value, str):
        return value[:MAX_DETAIL_CHARS]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)[:MAX_DETAIL_CHARS]


async def record_admin_action(
    actor_id: int,
    action: str,
    target: str = "",
    details: dict[str, Any] | None = None,
    *,
    outcome: str = "done",
) -> AuditEntry:
    """Appends one row to the audit trail; the caller keeps codes and secrets out of details."""
    kept = {str(key): _clip(value) for key, value in (details or {}).items()}
    kept["outcome"] = outcome[:MAX_DETAIL_CHARS]
    return await AuditEntry.create(
        actor_id=actor_id, action=action[:64], target=target[:191], details=kept
    )
