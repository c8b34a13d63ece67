"""Coupons and their redemptions: one redemption per discounted order, released when it lapses."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from models.base import TimestampedModel


class CouponKind(StrEnum):
    """How a coupon takes money off: a percent of the price, or a fixed amount."""

    PERCENT = "percent"
    FIXED = "fixed"


class Coupon(TimestampedModel):
    id = fields.IntField(primary_key=True)
    # Stored upper case, so "save10" and "SAVE10" are the same coupon.
    code = fields.CharField(max_length=14, unique=True)
    kind = fields.CharEnumField(CouponKind, max_length=8)
    # Percent: 1 to 99. Fixed: minor units of `currency`.
    value = fields.BigIntField()
    currency = fields.CharField(max_length=3, null=True)
    # Product keys it applies to; empty means every product.
    product_keys = fields.JSONField(default=list)
    max_uses = fields.IntField(null=True)  # None: unlimited
    # Orders holding a use now; only the conditional UPDATE in actions.redeem adds to it.
    uses = fields.IntField(default=0)
    once_per_customer = fields.BooleanField(default=False)
    valid_from = fields.DatetimeField(null=True)
    valid_until = fields.DatetimeField(null=True)
    active = fields.BooleanField(default=True)
    created_by = fields.BigIntField(null=True)

    class Meta:
        table = "coupon"


class CouponRedemption(TimestampedModel):
    id = fields.IntField(primary_key=True)
    coupon = fields.ForeignKeyField(
        "models.Coupon", related_name="redemptions", on_delete=fields.RESTRICT
    )
    customer = fields.ForeignKeyField(
        "models.Customer", related_name="coupon_redemptions", on_delete=fields.RESTRICT
    )
    order = fields.OneToOneField(
        "models.Order", related_name="coupon_redemption", on_delete=fields.CASCADE
    )
    discount = fields.BigIntField()
    # "<coupon id>:<customer id>" while a once-per-customer use is held, else NULL: the unique
    # index is what stops one buyer holding two uses, also when two of their clicks race.
    once_key = fields.CharField(max_length=48, null=True, unique=True)
    released_at = fields.DatetimeField(null=True)

    class Meta:
        table = "coupon_redemption"
