"""The normalised payment event every payment path hands to the order core.

Contract
--------
Every way an order can change — Stripe, Midtrans, Ecwid, orders-channel embeds, Refract,
the generic webhook, ``POST /api/orders``, a wallet purchase, an admin action, the delivery
worker — builds one ``PaymentEvent`` and passes it to
``models.orders.lifecycle.apply_payment_event(event) -> ApplyResult``. That function is the
only writer of ``Order.status``; it runs in one database transaction (pass ``connection=``
to join the caller's) and:

* finds the order: by ``order_id`` (our id), else by ``(source, external_id)``, else by
  ``checkout_id`` or ``payment_ref`` (so a ``charge.refunded`` carrying only a payment
  intent still lands on the right order). An unknown ``order_id`` raises ``NotFound``; an
  unknown external order is created from the creation fields below (only ``external_id``
  is required; an unknown ``product_key`` raises ``NotFound``).
* records the event once: ``(order, cause, reference)`` is unique, so a replayed provider
  event is a no-op (``ApplyResult.applied`` is False). Use the provider's event id as
  ``reference``; when a provider has none, use something stable for that fact
  (e.g. ``f"{order_id}:{transaction_status}"``).
* derives the status from the *set* of facts recorded for the order, not from the last
  event, so duplicates, late and out-of-order events end in the same state as a clean
  in-order run. Precedence, highest first::

      refunded (full)  >  disputed (not closed won)  >  cancelled
      >  [paid]  partially_refunded > delivered > awaiting_stock > paid
      >  expired  >  failed  >  pending

  A refund, partial refund or dispute implies the order was paid. Expiry or failure after a
  payment changes nothing; a payment after expiry or failure makes the order paid; a payment
  after a cancellation leaves it cancelled and flags it for attention (someone must refund).
  ``dispute_won`` cancels the dispute (entitlement and codes restored);
  ``dispute_lost`` keeps the order disputed.
* does the follow-up work of the new status in the same transaction: reserves stock and
  queues jobs (deliver codes, grant role, feed embed) on entering paid; on leaving it
  (refund, cancellation, dispute) queues a role revocation, revokes delivered codes or
  releases undelivered ones, and refunds wallet-paid orders to the wallet (once).

Provider events are never refused: a fact the precedence rule outranks is still recorded.
Admin events (``actor_id`` set) are checked: an action the order's status does not allow
raises ``InvalidTransition`` with a message for the admin.

``refund_amount`` is the provider's *cumulative* refunded amount in minor units (Stripe's
``charge.amount_refunded``); the order keeps the largest seen. For ``status=REFUNDED`` it
may be left ``None`` (= the whole amount). A partial refund without an amount (Ecwid's
PARTIALLY_REFUNDED) is recorded as a partial refund of unknown size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from models.base import OrderSource, OrderStatus, PaymentMethod


class PaymentStatus(StrEnum):
    """What a payment path says happened to an order (its target, not the final status)."""

    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
    DISPUTED = "disputed"
    DISPUTE_WON = "dispute_won"
    DISPUTE_LOST = "dispute_lost"
    # Internal facts, sent by the delivery worker and admin actions only.
    DELIVERED = "delivered"
    RETRY_DELIVERY = "retry_delivery"


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class PaymentEvent:
    """One fact about one order, from any payment path. See the module docstring."""

    source: OrderSource
    status: PaymentStatus
    # e.g. "stripe:checkout.session.completed", "ecwid:order.updated", "admin:refund".
    cause: str
    # Provider event id (or another stable id of this fact); unique per order and cause.
    reference: str
    # Which order: our id, or the provider's id of its order (unique per source).
    order_id: int | None = None
    external_id: str | None = None
    occurred_at: datetime = field(default_factory=_now)
    # Creation fields, used when an external order is seen for the first time.
    discord_user_id: int | None = None
    product_key: str | None = None
    quantity: int | None = None
    amount: int | None = None
    currency: str | None = None
    email: str | None = None
    product_name: str | None = None
    payment_method: PaymentMethod = PaymentMethod.EXTERNAL
    # When an unpaid order lapses (our own checkouts); see expire_overdue_orders.
    expires_at: datetime | None = None
    # An order without a product that still grants CUSTOMER_ROLE_ID (orders-channel embeds).
    grants_customer_role: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    # Refunds: the provider's cumulative refunded amount (minor units); None = all of it.
    refund_amount: int | None = None
    # Provider handles stored on the order so later events can find it.
    payment_ref: str | None = None
    checkout_id: str | None = None
    # Discord id of the admin who acted; set only for admin actions (audited, checked).
    actor_id: int | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if (
            self.order_id is None
            and not self.external_id
            and not (self.payment_ref or self.checkout_id)
        ):
            raise ValueError("a payment event needs order_id, external_id or a payment handle")
        if not self.reference or len(self.reference) > 191:
            raise ValueError("reference must be 1 to 191 characters")
        if len(self.cause) > 64:
            raise ValueError("cause must be at most 64 characters")
        if self.occurred_at.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware")
        if self.quantity is not None and self.quantity < 1:
            raise ValueError("quantity must be at least 1")
        if self.refund_amount is not None and self.refund_amount < 0:
            raise ValueError("refund_amount must not be negative")


@dataclass(frozen=True)
class ApplyResult:
    """What apply_payment_event did."""

    order_id: int
    order_number: str
    status: OrderStatus
    previous_status: OrderStatus | None
    # False when the (order, cause, reference) was seen before: nothing changed.
    applied: bool
    created: bool = False
    job_ids: tuple[int, ...] = ()

    @property
    def changed(self) -> bool:
        return self.applied and self.status != self.previous_status
