"""The adopted_role table: managed roles members held with no recorded order for them."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AdoptedRole(Model):
    """One member's shop role found in place with no order behind it (e.g. from a former bot).

    Role reconciliation leaves it in place, and a refund does not take it away, until an
    admin runs `/admin resyncroles strict:True`, which removes the role and the row.
    """

    id = fields.IntField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    discord_id = fields.BigIntField()
    role_id = fields.BigIntField()

    class Meta:
        table = "adopted_role"
        unique_together = (("discord_id", "role_id"),)
