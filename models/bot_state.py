"""BotState: small durable facts the bot keeps between starts (panel message, last message read)."""

from __future__ import annotations

from tortoise import fields

from models.base import TimestampedModel


class BotState(TimestampedModel):
    """Small durable facts: the shop panel message, the last orders-channel message read."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=64, unique=True)
    value = fields.JSONField(default=dict)

    class Meta:
        table = "bot_state"
