"""Customers and their append-only wallet ledger."""

from __future__ import annotations

from tortoise import fields

from models.base import TimestampedModel, WalletKind


class Customer(TimestampedModel):
    id = fields.IntField(primary_key=True)
    discord_id = fields.BigIntField(unique=True)
    # Cached sum of the ledger, changed only by models.customers.wallet in the same transaction.
    balance = fields.BigIntField(default=0)
    currency = fields.CharField(max_length=3, default="USD")
    total_spent = fields.BigIntField(default=0)
    total_topped_up = fields.BigIntField(default=0)
    dms_closed = fields.BooleanField(default=False)

    class Meta:
        table = "customer"


class WalletTransaction(TimestampedModel):
    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="wallet_transactions", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(WalletKind, max_length=16)
    amount = fields.BigIntField()
    currency = fields.CharField(max_length=3)
    balance_after = fields.BigIntField()
    # Unique per kind: a repeated provider callback or a retried refund never books twice.
    reference = fields.CharField(max_length=191)
    note = fields.CharField(max_length=255, default="")
    actor_id = fields.BigIntField(null=True)

    class Meta:
        table = "wallet_transaction"
        unique_together = (("kind", "reference"),)
