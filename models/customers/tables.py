"""Customers, their append-only wallet ledger and top-ups, and their restock requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields

from models.base import TimestampedModel, WalletKind

if TYPE_CHECKING:
    from models.catalog.tables import Product


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


class TopUp(TimestampedModel):
    """A credited top-up and what its payment provider said since: refunds and disputes.

    The facts only accumulate (a flag set stays set, the refund is the largest cumulative
    amount seen), so the clawback computed from them is the same in any order of events.
    """

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="topups", on_delete=fields.RESTRICT
    )
    # The credit's ledger reference ("stripe:cs_...", "midtrans:topup-...").
    reference = fields.CharField(max_length=191, unique=True)
    # The provider's payment handle later refunds and disputes name (a PaymentIntent id).
    payment_ref = fields.CharField(max_length=191, null=True, db_index=True)
    amount = fields.BigIntField()
    currency = fields.CharField(max_length=3)
    # The credit's ledger row: purchases booked after it were paid with this money.
    credit_entry_id = fields.IntField()
    refund_amount = fields.BigIntField(default=0)
    refunded_in_full = fields.BooleanField(default=False)
    dispute_opened = fields.BooleanField(default=False)
    dispute_won = fields.BooleanField(default=False)
    dispute_lost = fields.BooleanField(default=False)
    # What the ledger has taken back for this top-up so far (minor units).
    clawed = fields.BigIntField(default=0)

    class Meta:
        table = "wallet_topup"


class RestockRequest(TimestampedModel):
    """Notify me when restocked: a customer waiting for one sold-out product (one per pair).

    `notified_at` is set when a restock queues their DM: the request is then spent, and a
    later restock DMs them again only if they ask again (which clears it).
    """

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="restock_requests", on_delete=fields.CASCADE
    )
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="restock_requests", on_delete=fields.CASCADE
    )
    notified_at = fields.DatetimeField(null=True)

    class Meta:
        table = "restock_request"
        unique_together = (("customer", "product"),)
        # "the open requests of product P" when its stock arrives.
        indexes = (("product", "notified_at"),)
