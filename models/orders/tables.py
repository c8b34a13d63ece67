"""Orders and their audit trail of events."""

from __future__ import annotations

from tortoise import fields

from models.base import OrderSource, OrderStatus, PaymentMethod, TimestampedModel


class Order(TimestampedModel):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, unique=True)
    source = fields.CharEnumField(OrderSource, max_length=16)
    external_id = fields.CharField(max_length=191, null=True)
    customer = fields.ForeignKeyField(
        "models.Customer", related_name="orders", null=True, on_delete=fields.RESTRICT
    )
    email = fields.CharField(max_length=254, null=True)
    product = fields.ForeignKeyField(
        "models.Product", related_name="orders", null=True, on_delete=fields.RESTRICT
    )
    package = fields.ForeignKeyField(
        "models.Package", related_name="orders", null=True, on_delete=fields.SET_NULL
    )
    product_name = fields.CharField(max_length=255, default="")
    quantity = fields.IntField(default=1)
    amount = fields.BigIntField(default=0)
    currency = fields.CharField(max_length=3, default="USD")
    status = fields.CharEnumField(OrderStatus, max_length=24, default=OrderStatus.PENDING)
    payment_method = fields.CharEnumField(PaymentMethod, max_length=16)
    # Provider handles used to map later events (charge, dispute) back to this order.
    checkout_id = fields.CharField(max_length=191, null=True, db_index=True)
    payment_ref = fields.CharField(max_length=191, null=True, db_index=True)
    refunded_amount = fields.BigIntField(default=0)
    needs_attention = fields.BooleanField(default=False)
    attention_reason = fields.CharField(max_length=255, default="")
    details = fields.JSONField(default=dict)
    expires_at = fields.DatetimeField(null=True)
    paid_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    # The role this order grants lasts until then (timed access, subscriptions); None: for
    # ever. models.orders.entitlements reads it; the access sweep revokes when it passes.
    access_until = fields.DatetimeField(null=True, db_index=True)
    # The access_until the access sweep last revoked for (models.orders.access).
    access_swept_until = fields.DatetimeField(null=True)
    # The access_until its buyer was reminded of (models.orders.access_reminders).
    access_reminded_until = fields.DatetimeField(null=True)

    class Meta:
        table = "order"
        unique_together = (("source", "external_id"),)
        # customer+status: a member's entitling orders without a scan of every order.
        indexes = (("status", "created_at"), ("customer", "status"))


class OrderEvent(TimestampedModel):
    id = fields.IntField(primary_key=True)
    order = fields.ForeignKeyField("models.Order", related_name="events", on_delete=fields.CASCADE)
    from_status = fields.CharEnumField(OrderStatus, max_length=24, null=True)
    to_status = fields.CharEnumField(OrderStatus, max_length=24)
    cause = fields.CharField(max_length=64)
    # Provider event id or other raw reference; unique per order so a replay is a no-op.
    reference = fields.CharField(max_length=191)
    actor_id = fields.BigIntField(null=True)
    detail = fields.JSONField(default=dict)

    class Meta:
        table = "order_event"
        unique_together = (("order", "cause", "reference"),)
