"""Admin alerts: the one shape of the notify_admin job payload, built and read only here.

Payload: ``{"title": str, "message": str, "order_id": int}`` (``order_id`` only when the alert
is about one order). Plain text for the admin channel; never a code or a secret. Alerts are
queued with ``models.outbox.actions.queue_admin_alert``, whose `dedupe_key` is kept in the
job's own dedupe column, never in the payload.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Longest message kept; the admin embed's description holds 4096 characters.
MESSAGE_MAX = 3500
DEFAULT_TITLE = "Stockroom"


@dataclass(frozen=True)
class AdminAlert:
    """One alert as the delivery worker reads it back from a notify_admin job."""

    title: str
    message: str
    order_id: int | None = None

    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"title": self.title, "message": self.message}
        if self.order_id is not None:
            payload["order_id"] = self.order_id
        return payload

    @classmethod
    def build(cls, title: str, message: str | Iterable[str], order_id: int | None) -> AdminAlert:
        """From text or lines (joined one a line), cut to MESSAGE_MAX characters."""
        text = message if isinstance(message, str) else "\n".join(message)
        return cls(title or DEFAULT_TITLE, text[:MESSAGE_MAX], order_id)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> AdminAlert:
        """Reads a payload (also one queued before this shape, with ``order_id: null``)."""
        order_id = payload.get("order_id")
        return cls(
            title=str(payload.get("title") or DEFAULT_TITLE),
            message=str(payload.get("message", "")),
            order_id=int(order_id) if order_id else None,
        )
