"""Coupon writes: add, withdraw, and the one place a use is counted or given back.

Invariant: ``coupon.uses`` is the number of orders holding a use (redemptions not released),
and never exceeds ``max_uses``. A use is taken only by ``redeem``, inside the transaction
that creates the order, with a conditional UPDATE (``uses < max_uses``): concurrent buyers
queue on the coupon's row and the ones after the last use are refused with the order rolled
back. A use is given back only by ``settle_coupon_use`` when the order is refunded,
cancelled, expired or failed (once: ``released_at``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q

from models import clock
from models.base import OrderStatus
from models.catalog.editing import parse_price
from models.catalog.tables import Product
from models.coupons.rules import (
    PERCENT_MAX,
    PERCENT_MIN,
    CouponRefused,
    Discount,
    check_usable,
    normalise_code,
)
from models.coupons.tables import Coupon, CouponKind, CouponRedemption
from models.customers.tables import Customer
from models.errors import InvalidInput, NotFound
from models.orders.tables import Order

log = logging.getLogger(__name__)

MAX_PRODUCTS = 25
# An order in one of these has given up what it bought (or never paid): its use goes back.
RELEASING = frozenset(
    {OrderStatus.REFUNDED, OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.FAILED}
)


async def add_coupon(
    code: str,
    kind: CouponKind,
    value: str,
    *,
    products: list[str],
    currency: str | None = None,
    max_uses: int | None = None,
    once_per_customer: bool = False,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    created_by: int | None = None,
) -> Coupon:
    """A new coupon, active at once; InvalidInput naming the first bad argument."""
    code = normalise_code(code)
    if await Coupon.filter(code=code).exists():
        raise InvalidInput(f"There is a coupon {code} already; pick another code.")
    keys = sorted(set(products))
    if len(keys) > MAX_PRODUCTS:
        raise InvalidInput(f"A coupon names at most {MAX_PRODUCTS} products (or none: all).")
    found = await Product.filter(key__in=keys).values_list("key", "currency") if keys else []
    unknown = sorted(set(keys) - {key for key, _ in found})
    if unknown:
        raise NotFound(f"products: there is no product {', '.join(unknown)}.")
    kind = CouponKind(kind)
    currency, amount = _value_of(kind, value, currency, {c for _, c in found})
    if max_uses is not None and max_uses < 1:
        raise InvalidInput("max_uses: at least 1 (leave it out for unlimited uses).")
    if valid_from and valid_until and valid_until <= valid_from:
        raise InvalidInput("valid_until: must be after valid_from.")
    coupon = await Coupon.create(
        code=code,
        kind=kind,
        value=amount,
        currency=currency,
        product_keys=keys,
        max_uses=max_uses,
        once_per_customer=once_per_customer,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=created_by,
    )
    log.info("coupon %s added by %s", code, created_by)
    return coupon


def _value_of(
    kind: CouponKind, value: str, currency: str | None, product_currencies: set[str]
) -> tuple[str | None, int]:
    """(currency, value) as stored: a whole percent, or minor units of one currency."""
    if kind is CouponKind.PERCENT:
        text = value.strip().removesuffix("%").strip()
        if not text.isdigit() or not PERCENT_MIN <= int(text) <= PERCENT_MAX:
            raise InvalidInput(
                f"value: a percent coupon takes {PERCENT_MIN} to {PERCENT_MAX} percent off, "
                f"e.g. 10; not {value!r}."
            )
        return None, int(text)
    if currency:
        currency = currency.strip().upper()
    elif len(product_currencies) == 1:
        currency = next(iter(product_currencies))
    else:
        raise InvalidInput("currency: a fixed-amount coupon needs the currency it takes off.")
    if product_currencies - {currency}:
        raise InvalidInput(f"currency: every product of a {currency} coupon is sold in {currency}.")
    try:
        return currency, parse_price(value, currency)
    except InvalidInput as exc:
        raise InvalidInput(f"value: {exc.message}") from None


async def disable_coupon(code: str) -> Coupon:
    """Withdraws a coupon: no new order gets it; orders that have it keep their discount."""
    coupon = await Coupon.filter(code=normalise_code(code)).first()
    if coupon is None:
        raise NotFound(f"There is no coupon {normalise_code(code)}.")
    if not coupon.active:
        raise InvalidInput(f"The coupon {coupon.code} is withdrawn already.")
    await Coupon.filter(id=coupon.id).update(active=False)
    coupon.active = False
    return coupon


async def check_coupon(
    code: str,
    *,
    product_key: str,
    product_name: str,
    currency: str,
    list_price: int,
    discord_id: int,
    now: datetime | None = None,
    connection: BaseDBAsyncClient | None = None,
) -> Discount:
    """The discount this buyer gets with `code` on this price, or CouponRefused saying why.

    A subscription takes no coupon: Stripe charges each renewal at the line's price, so a
    discounted line would discount every renewal for as long as it runs.
    """
    code = normalise_code(code)
    if await Product.filter(key=product_key, interval__isnull=False).using_db(connection).exists():
        raise CouponRefused(
            f"Coupons are for one-off purchases: {product_name} is a subscription, which "
            "renews at its full price."
        )
    coupon = await Coupon.filter(code=code).using_db(connection).first()
    discount = check_usable(
        coupon,
        code,
        product_key=product_key,
        product_name=product_name,
        currency=currency,
        list_price=list_price,
        now=now or clock.now(),
    )
    assert coupon is not None  # check_usable refused None
    if coupon.once_per_customer:
        customer = await Customer.filter(discord_id=discord_id).using_db(connection).first()
        if customer is not None:
            await _refuse_second_use(coupon, customer.id, connection)
    return discount


async def _refuse_second_use(
    coupon: Coupon, customer_id: int, conn: BaseDBAsyncClient | None
) -> None:
    """CouponRefused when the buyer holds a use of this once-per-customer coupon already:
    a paid order, or an unpaid checkout that keeps it until the checkout lapses."""
    held = (
        await CouponRedemption.filter(
            coupon_id=coupon.id, customer_id=customer_id, released_at__isnull=True
        )
        .using_db(conn)
        .values_list("order__number", "order__status")
    )
    if not held:
        return
    number, status = held[0]
    if OrderStatus(status) is OrderStatus.PENDING:
        raise CouponRefused(
            f"Your unpaid order {number} holds the coupon {coupon.code}: pay it, or use the "
            "coupon again once that checkout has expired."
        )
    raise CouponRefused(f"You have used the coupon {coupon.code} already.")


async def redeem(discount: Discount, order_id: int, conn: BaseDBAsyncClient) -> None:
    """Takes one use for the order inside its creation transaction; CouponRefused (which
    rolls the order back) when the last use went meanwhile. A second call for the same
    order is a no-op (a repeated click finds its order)."""
    if await CouponRedemption.filter(order_id=order_id).using_db(conn).exists():
        return
    order = await Order.get(id=order_id).using_db(conn)
    customer_id = order.customer_id  # type: ignore[attr-defined]
    # Buyer's row first, coupon's second, as a refund does (wallet credit, then the use back):
    # one lock order, no deadlock. The buyer's lock also queues their own racing clicks
    # (PostgreSQL), so the second sees the first's once-per-customer use; the unique
    # once_key is the backstop. NO KEY: the order row just inserted holds a KEY SHARE lock
    # on the buyer, which FOR UPDATE would deadlock with.
    await Customer.filter(id=customer_id).select_for_update(no_key=True).using_db(conn).first()
    coupon = await Coupon.get(id=discount.coupon_id).using_db(conn)
    once_key = None
    if coupon.once_per_customer:
        await _refuse_second_use(coupon, customer_id, conn)
        once_key = f"{coupon.id}:{customer_id}"
    taken = (
        await Coupon.filter(Q(id=coupon.id), Q(active=True))
        .filter(Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses")))
        .using_db(conn)
        .update(uses=F("uses") + 1)
    )
    if taken != 1:
        raise CouponRefused(f"The coupon {coupon.code} has been used up.")
    await CouponRedemption.create(
        coupon_id=coupon.id,
        customer_id=customer_id,
        order_id=order_id,
        discount=discount.discount,
        once_key=once_key,
        using_db=conn,
    )


async def settle_coupon_use(order: Order, status: OrderStatus, conn: BaseDBAsyncClient) -> None:
    """Gives the order's use back when it lapses (refund, cancellation, expiry, failure), and
    takes it again if a payment revives the order (it was sold at the discount all the same).
    Idempotent: released_at says which side the use is on."""
    if not order.details.get("coupon"):
        return  # most orders: no query at all
    now = datetime.now(UTC)
    if status in RELEASING:
        released = (
            await CouponRedemption.filter(order_id=order.id, released_at__isnull=True)
            .using_db(conn)
            .update(released_at=now, once_key=None)
        )
        change = -released
    else:
        revived = (
            await CouponRedemption.filter(order_id=order.id, released_at__isnull=False)
            .using_db(conn)
            .update(released_at=None)
        )
        change = revived
    if change:
        redemption = await CouponRedemption.get(order_id=order.id).using_db(conn)
        await (
            Coupon.filter(id=redemption.coupon_id)  # type: ignore[attr-defined]
            .using_db(conn)
            .update(uses=F("uses") + change)
        )
        log.info("order %s: coupon use %s", order.number, "back" if change < 0 else "taken")
