"""Audit reads: the trail newest first, in pages."""

from __future__ import annotations

from dataclasses import dataclass

from models.audit.tables import AuditEntry
from models.errors import InvalidInput


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int


async def audit_page(
    page: int = 1, per_page: int = 10, *, actor_id: int | None = None, action: str | None = None
) -> AuditPage:
    """One page of the audit trail, newest first, optionally one admin's or one action's."""
    query = AuditEntry.all()
    if actor_id is not None:
        query = query.filter(actor_id=actor_id)
    if action:
        query = query.filter(action__istartswith=action.strip())
    total = await query.count()
    pages = max(1, -(-total // per_page))
    if page < 1 or page > pages:
        raise InvalidInput(f"Page {page} does not exist: the audit trail has {pages} page(s).")
    entries = (
        await query.order_by("-created_at", "-id").offset((page - 1) * per_page).limit(per_page)
    )
    return AuditPage(list(entries), page, pages, total)
