"""A Stripe subscription, the order whose checkout started it, and the facts seen about it."""

from __future__ import annotations

from tortoise import fields

from models.base import TimestampedModel


class Subscription(TimestampedModel):
    """A Stripe subscription and the order its checkout made, its columns derived from facts."""

    id = fields.IntField(primary_key=True)
    stripe_id = fields.CharField(max_length=191, unique=True)
    stripe_customer_id = fields.CharField(max_length=191, null=True)
    customer = fields.ForeignKeyField(
        "models.Customer", related_name="subscriptions", null=True, on_delete=fields.SET_NULL
    )
    product = fields.ForeignKeyField(
        "models.Product", related_name="subscriptions", null=True, on_delete=fields.SET_NULL
    )
    order = fields.ForeignKeyField(
        "models.Order", related_name="subscriptions", on_delete=fields.CASCADE, db_index=True
    )
    # incomplete | active | past_due | canceled
    status = fields.CharField(max_length=16, default="incomplete")
    current_period_end = fields.DatetimeField(null=True)
    cancel_at_period_end = fields.BooleanField(default=False)
    grace_until = fields.DatetimeField(null=True)
    # Invoices paid after the first one (renewals).
    renewals = fields.IntField(default=0)
    # Every fact seen, merged commutatively (see models.subscriptions.state.merge).
    facts = fields.JSONField(default=dict)

    class Meta:
        table = "subscription"
