"""The inbox of provider callbacks and the idempotency records of the order API."""

from __future__ import annotations

from tortoise import fields

from models.base import InboxStatus, TimestampedModel


class WebhookEvent(TimestampedModel):
    id = fields.IntField(primary_key=True)
    provider = fields.CharField(max_length=16)
    event_id = fields.CharField(max_length=191)
    received_at = fields.DatetimeField(auto_now_add=True)
    signature_ok = fields.BooleanField(default=True)
    event_type = fields.CharField(max_length=64, default="")
    raw_body = fields.TextField()
    status = fields.CharEnumField(InboxStatus, max_length=16, default=InboxStatus.RECEIVED)
    error = fields.TextField(default="")
    attempts = fields.IntField(default=0)
    processed_at = fields.DatetimeField(null=True)
    # The worker processing the row now, and until when; a row no one holds with a
    # lease_until in the future waits for a retry. See models.inbox.leases.
    claimed_by = fields.CharField(max_length=64, null=True)
    lease_until = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_event"
        unique_together = (("provider", "event_id"),)
        # status+lease_until: "received rows whose lease is free" for the claim.
        indexes = (("status", "received_at"), ("status", "lease_until"))


class IdempotencyRecord(TimestampedModel):
    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=191, unique=True)
    request_hash = fields.CharField(max_length=64)
    response_status = fields.IntField(null=True)
    response_body = fields.JSONField(null=True)

    class Meta:
        table = "idempotency_record"
