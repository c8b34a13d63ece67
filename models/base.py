"""Shared model pieces: timestamp columns and the enums every table speaks."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class TimestampedModel(Model):
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        abstract = True


class ProductKind(StrEnum):
    """What a product hands over; the one place that answers "codes?" and "a role?"."""

    CODE = "code"
    ROLE = "role"
    CODE_AND_ROLE = "code+role"

    @property
    def delivers_codes(self) -> bool:
        return self in (ProductKind.CODE, ProductKind.CODE_AND_ROLE)

    @property
    def grants_role(self) -> bool:
        return self in (ProductKind.ROLE, ProductKind.CODE_AND_ROLE)

    @property
    def role_only(self) -> bool:
        """A role and nothing else: granting it is the whole delivery."""
        return self.grants_role and not self.delivers_codes

    @classmethod
    def delivering_codes(cls) -> tuple[ProductKind, ...]:
        """The kinds that deliver codes, for `kind__in=` filters."""
        return tuple(kind for kind in cls if kind.delivers_codes)

    @classmethod
    def granting_roles(cls) -> tuple[ProductKind, ...]:
        """The kinds that grant a role, for `kind__in=` filters."""
        return tuple(kind for kind in cls if kind.grants_role)


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    AWAITING_STOCK = "awaiting_stock"
    DELIVERED = "delivered"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
    DISPUTED = "disputed"


class OrderSource(StrEnum):
    DISCORD = "discord"
    STRIPE = "stripe"
    ECWID = "ecwid"
    MIDTRANS = "midtrans"
    REFRACT = "refract"
    EMBED = "embed"
    API = "api"
    GENERIC = "generic"


class PaymentMethod(StrEnum):
    WALLET = "wallet"
    STRIPE = "stripe"
    MIDTRANS = "midtrans"
    EXTERNAL = "external"
    MANUAL = "manual"


class StockStatus(StrEnum):
    AVAILABLE = "available"
    RESERVED = "reserved"
    DELIVERED = "delivered"
    REVOKED = "revoked"


class WalletKind(StrEnum):
    TOPUP = "topup"
    PURCHASE = "purchase"
    REFUND = "refund"
    ADJUSTMENT = "adjustment"
    # A refunded or disputed top-up taken back (negative), or given back when a dispute is won.
    CLAWBACK = "clawback"


class JobKind(StrEnum):
    DELIVER_CODES = "deliver_codes"
    GRANT_ROLE = "grant_role"
    REVOKE_ROLE = "revoke_role"
    POST_FEED = "post_feed"
    NOTIFY_ADMIN = "notify_admin"
    UPDATE_STOREFRONT = "update_storefront"
    NOTIFY_BUYER = "notify_buyer"
    NOTIFY_RESTOCK = "notify_restock"
    REMIND_ACCESS = "remind_access"


class JobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    PARKED = "parked"


class InboxStatus(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    IGNORED = "ignored"
    FAILED = "failed"
