"""Buying from Discord: a wallet purchase in one transaction, or a checkout awaiting payment."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.base import OrderSource, OrderStatus, PaymentMethod, ProductKind, WalletKind
from models.catalog.tables import Package, Product
from models.coupons.actions import check_coupon, redeem
from models.coupons.rules import Discount
from models.customers.actions import ensure_customer
from models.customers.tables import Customer
from models.customers.topups import purchase_hold
from models.customers.wallet import debit_customer
from models.errors import InvalidInput, NotFound, OutOfStock, PurchaseOnHold
from models.orders.holds import hold_codes
from models.orders.lifecycle import apply_in_transaction, apply_then
from models.orders.payment_event import ApplyResult, PaymentEvent, PaymentStatus
from models.orders.tables import Order
from models.stock.queries import available_count

log = logging.getLogger(__name__)

MAX_QUANTITY = 100


@dataclass(frozen=True)
class Price:
    product: Product
    package: Package | None
    quantity: int
    amount: int


async def price_of(
    product_key: str,
    *,
    quantity: int | None = None,
    package_quantity: int | None = None,
    connection: BaseDBAsyncClient | None = None,
) -> Price:
    """What `quantity` items (or the package of `package_quantity`) of a product cost."""
    product = await Product.filter(key=product_key, active=True).using_db(connection).first()
    if product is None:
        raise NotFound("That product is not on sale.")
    if package_quantity is not None:
        package = (
            await Package.filter(product_id=product.id, quantity=package_quantity, active=True)
            .using_db(connection)
            .first()
        )
        if package is None:
            raise NotFound(f"There is no package of {package_quantity} for {product.name}.")
        return Price(product, package, package.quantity, package.price)
    quantity = quantity or 1
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(f"The quantity must be between 1 and {MAX_QUANTITY}.")
    if not ProductKind(product.kind).delivers_codes and quantity != 1:
        raise InvalidInput(f"{product.name} is a role: buy it once.")
    return Price(product, None, quantity, product.price * quantity)


async def purchase_with_wallet(
    discord_id: int,
    product_key: str,
    *,
    quantity: int | None = None,
    package_quantity: int | None = None,
    reference: str,
    allow_backorder: bool = False,
    coupon_code: str | None = None,
) -> Order:
    """Creates the order, debits the wallet, reserves stock and marks it paid — atomically.

    `reference` (e.g. the interaction id) makes the purchase idempotent: the same reference
    returns the same order and debits once. Raises InsufficientFunds, or OutOfStock when
    codes are short (nothing is charged) unless `allow_backorder`, in which case the order
    waits in awaiting_stock. With `coupon_code` the order costs the discounted price and
    takes one use of the coupon in the same transaction (CouponRefused: nothing is written).
    """
    external_id = f"wallet:{reference}"
    existing = await Order.filter(source=OrderSource.DISCORD, external_id=external_id).first()
    if existing is not None:
        return existing
    try:
        async with in_transaction() as conn:
            return await _purchase(
                conn,
                discord_id,
                product_key,
                quantity,
                package_quantity,
                external_id,
                allow_backorder,
                coupon_code,
            )
    except IntegrityError:
        existing = await Order.filter(source=OrderSource.DISCORD, external_id=external_id).first()
        if existing is None:
            raise
        return existing


async def _refuse_early(
    price: Price, customer: Customer, allow_backorder: bool, conn: BaseDBAsyncClient
) -> None:
    """Refuses before anything is written: a debt or open dispute, another currency, no codes."""
    hold = await purchase_hold(customer, conn)
    if hold:
        raise PurchaseOnHold(hold)
    if price.product.currency != customer.currency:
        raise InvalidInput(
            f"{price.product.name} is sold in {price.product.currency}; the wallet holds "
            f"{customer.currency}. Pay by card instead."
        )
    delivers_codes = ProductKind(price.product.kind).delivers_codes
    if delivers_codes and not allow_backorder:
        # Cheap early refusal; the reservation in the order core is what really decides.
        if await available_count(price.product.id, conn) < price.quantity:
            raise OutOfStock(f"{price.product.name} is sold out right now.")


async def _purchase(
    conn: BaseDBAsyncClient,
    discord_id: int,
    product_key: str,
    quantity: int | None,
    package_quantity: int | None,
    external_id: str,
    allow_backorder: bool,
    coupon_code: str | None,
) -> Order:
    price = await price_of(
        product_key, quantity=quantity, package_quantity=package_quantity, connection=conn
    )
    customer = await ensure_customer(discord_id, conn)
    await _refuse_early(price, customer, allow_backorder, conn)
    discount = await _discount(coupon_code, price, discord_id, conn)
    price = _discounted(price, discount)
    created = await apply_in_transaction(
        _pending_event(
            price,
            discord_id,
            external_id=external_id,
            cause="wallet:checkout",
            reference=external_id,
            payment_method=PaymentMethod.WALLET,
            discount=discount,
        ),
        conn,
    )
    if discount is not None:
        await redeem(discount, created.order_id, conn)
    await debit_customer(
        customer,
        price.amount,
        kind=WalletKind.PURCHASE,
        reference=f"order:{created.order_id}",
        connection=conn,
        note=f"order {created.order_number}",
    )
    paid = await apply_in_transaction(
        PaymentEvent(
            source=OrderSource.DISCORD,
            external_id=external_id,
            payment_method=PaymentMethod.WALLET,
            order_id=created.order_id,
            status=PaymentStatus.PAID,
            cause="wallet:paid",
            reference=external_id,
        ),
        conn,
    )
    if paid.status is OrderStatus.AWAITING_STOCK and not allow_backorder:
        raise OutOfStock(f"{price.product.name} is sold out right now.")  # rolls back all
    log.info("wallet purchase %s by customer %s", paid.order_number, customer.id)
    return await Order.get(id=paid.order_id).using_db(conn)


async def start_checkout(
    discord_id: int,
    product_key: str,
    *,
    payment_method: PaymentMethod,
    reference: str,
    expires_at: datetime,
    quantity: int | None = None,
    package_quantity: int | None = None,
    coupon_code: str | None = None,
) -> Order:
    """A pending order for a card or QRIS payment holding its codes until it expires; the
    same reference returns the same order. Raises OutOfStock ("sold out" / "only N left")
    when the codes cannot all be held: nothing is written then.

    The cog then creates the provider checkout (put `order.id` in its metadata, and for
    Stripe also in payment_intent_data.metadata so charge and dispute events carry it) and
    stores its id with models.orders.actions.attach_checkout. With `coupon_code` the order
    costs the discounted price and its use is taken with the order (as purchase_with_wallet).
    """
    price = await price_of(product_key, quantity=quantity, package_quantity=package_quantity)
    if coupon_code is not None:
        # A repeated click finds its order: checking the coupon again would count its own use.
        found = await Order.filter(
            source=OrderSource.DISCORD, external_id=f"checkout:{reference}"
        ).first()
        if found is not None:
            return found
    discount = await _discount(coupon_code, price, discord_id)
    price = _discounted(price, discount)
    customer = await Customer.filter(discord_id=discord_id).first()
    hold = await purchase_hold(customer) if customer else ""
    if hold:
        raise PurchaseOnHold(hold)
    event = _pending_event(
        price,
        discord_id,
        external_id=f"checkout:{reference}",
        cause="checkout:started",
        reference=reference,
        payment_method=payment_method,
        expires_at=expires_at,
        discount=discount,
    )

    async def hold_for_checkout(result: ApplyResult, conn: BaseDBAsyncClient) -> Order:
        # Drop-safe: the codes are held now, or the buyer is refused before paying (the
        # OutOfStock rolls the pending order back with it). A repeated reference finds the
        # order and its hold (and coupon use) already there.
        if discount is not None and result.created:
            await redeem(discount, result.order_id, conn)
        if ProductKind(price.product.kind).delivers_codes and result.status is OrderStatus.PENDING:
            await hold_codes(
                result.order_id, price.product.id, price.product.name, price.quantity, conn
            )
        return await Order.get(id=result.order_id).using_db(conn)

    return await apply_then(event, hold_for_checkout)


def _pending_event(
    price: Price,
    discord_id: int,
    *,
    external_id: str,
    cause: str,
    reference: str,
    payment_method: PaymentMethod,
    expires_at: datetime | None = None,
    discount: Discount | None = None,
) -> PaymentEvent:
    """The first event of an order bought from Discord: what, for whom, how it will be paid."""
    return PaymentEvent(
        source=OrderSource.DISCORD,
        external_id=external_id,
        status=PaymentStatus.PENDING,
        cause=cause,
        reference=reference,
        discord_user_id=discord_id,
        product_key=price.product.key,
        quantity=price.quantity,
        amount=price.amount,
        currency=price.product.currency,
        payment_method=payment_method,
        expires_at=expires_at,
        details={"coupon": discount.order_details()} if discount else {},
    )


async def _discount(
    code: str | None, price: Price, discord_id: int, conn: BaseDBAsyncClient | None = None
) -> Discount | None:
    """The coupon's discount on this price (CouponRefused says why not), or None without one."""
    if code is None:
        return None
    return await check_coupon(
        code,
        product_key=price.product.key,
        product_name=price.product.name,
        currency=price.product.currency,
        list_price=price.amount,
        discord_id=discord_id,
        connection=conn,
    )


def _discounted(price: Price, discount: Discount | None) -> Price:
    """The price the order records and the buyer pays: every payment path reads order.amount."""
    return price if discount is None else replace(price, amount=discount.price)
