"""Encrypted stock codes, one row per code."""

from __future__ import annotations

from tortoise import fields

from models.base import StockStatus, TimestampedModel


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
        # "N available codes of product P, oldest first" and "the codes of order O" are each
        # one index range, whatever the size of the stock (id is in the first explicitly:
        # PostgreSQL's index does not carry it as SQLite's rowid does).
        indexes = (("product", "status", "id"), ("order", "status"))
