"""The catalog: products and their quantity packages."""

from __future__ import annotations

from tortoise import fields

from models.base import ProductKind, TimestampedModel


class Product(TimestampedModel):
    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=100)
    description = fields.CharField(max_length=500, default="")
    kind = fields.CharEnumField(ProductKind, max_length=16)
    price = fields.BigIntField()
    currency = fields.CharField(max_length=3)
    role_id = fields.BigIntField(default=0)
    low_stock = fields.IntField(default=5)
    # True while available stock sits below low_stock and the admins were told once.
    low_stock_alerted = fields.BooleanField(default=False)
    active = fields.BooleanField(default=True)
    # Timed access: each purchase grants the role for this many days (times the package
    # quantity), extending from the later of now and the current expiry. None: for ever.
    duration_days = fields.IntField(null=True)
    # A Stripe subscription product: "month" or "year"; access lasts while it is paid.
    interval = fields.CharField(max_length=8, null=True)
    # What config.toml last set (models.catalog.sync): the next start applies a file value
    # only where it differs from this. None: the product was added in Discord.
    seeded = fields.JSONField(null=True)

    class Meta:
        table = "product"


class Package(TimestampedModel):
    id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="packages", on_delete=fields.CASCADE
    )
    quantity = fields.IntField()
    price = fields.BigIntField()
    active = fields.BooleanField(default=True)

    class Meta:
        table = "package"
        unique_together = (("product", "quantity"),)
