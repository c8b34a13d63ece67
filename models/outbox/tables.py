"""The outbox: side effects recorded in the same transaction as the change that caused them."""

from __future__ import annotations

from tortoise import fields

from models.base import JobKind, JobStatus, TimestampedModel


class Job(TimestampedModel):
    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(JobKind, max_length=24)
    payload = fields.JSONField(default=dict)
    status = fields.CharEnumField(JobStatus, max_length=16, default=JobStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    lease_owner = fields.CharField(max_length=64, null=True)
    lease_expires_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")
    order = fields.ForeignKeyField(
        "models.Order", related_name="jobs", null=True, on_delete=fields.SET_NULL
    )
    # Optional: a job that must exist at most once (e.g. one alert per crossing).
    dedupe_key = fields.CharField(max_length=191, null=True, unique=True)

    class Meta:
        table = "job"
        # order+kind: "the delivery job of order O" without a scan of every job.
        indexes = (("status", "next_attempt_at"), ("order", "kind"))
