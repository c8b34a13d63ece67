"""Encrypted stock codes, one row per code."""

from __future__ import annotations

from pypika_tortoise.terms import Field
from tortoise import fields
from tortoise.indexes import PartialIndex

from models.base import StockStatus, TimestampedModel

AVAILABLE_INDEX = "idx_stock_item_available"


class StockItem(TimestampedModel):
    id = fields.IntField(primary_key=True)
    product = fields.ForeignKeyField(
        "models.Product", related_name="stock_items", on_delete=fields.RESTRICT
    )
    ciphertext = fields.TextField()
    # Keyed HMAC of the normalised code: finds duplicates without decrypting anything.
    fingerprint = fields.CharField(max_length=64)
    status = fields.CharEnumField(StockStatus, max_length=16, default=StockStatus.AVAILABLE)
    order = fields.ForeignKeyField(
        "models.Order", related_name="stock_items", null=True, on_delete=fields.SET_NULL
    )
    reserved_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    added_by = fields.BigIntField(null=True)

    class Meta:
        table = "stock_item"
        unique_together = (("product", "fingerprint"),)
        # "The codes of order O" and the per-status reads of a product are each one index
        # range, whatever the size of the stock (id is in the first explicitly: PostgreSQL's
        # index does not carry it as SQLite's rowid does). Reservation, "the first N available
        # codes of product P, oldest first", has its own partial index ordered by `id + 0`,
        # an order only that index provides: ordered by plain id, PostgreSQL walked the
        # primary key from the oldest code and filtered, reading every code sold before the
        # first available one (its estimate assumes available codes are spread evenly).
        indexes = (
            ("product", "status", "id"),
            ("order", "status"),
            PartialIndex(
                Field("product_id"),
                Field("id") + 0,
                name=AVAILABLE_INDEX,
                condition={"status": StockStatus.AVAILABLE.value},
            ),
        )
