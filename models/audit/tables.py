"""The audit trail table: one row per admin action, never updated or deleted by the bot."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AuditEntry(Model):
    id = fields.IntField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    actor_id = fields.BigIntField()
    # The sub-command or button, e.g. "order", "export orders", "job retry".
    action = fields.CharField(max_length=64)
    # What it was done to: an order number, "user:<id>", a product key, "job:<id>"; "" for none.
    target = fields.CharField(max_length=191, default="")
    # The options given (never a code, never a secret) and "outcome": done, or the error shown.
    details = fields.JSONField(default=dict)

    class Meta:
        table = "audit_entry"
        indexes = (("created_at",), ("actor_id", "created_at"))
