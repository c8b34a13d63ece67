"""Coupon redemption: counted with the order, never past max_uses, given back when it lapses."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from models.base import OrderSource, OrderStatus, PaymentMethod
from models.coupons.actions import add_coupon, check_coupon, disable_coupon
from models.coupons.rules import CouponRefused
from models.coupons.tables import Coupon, CouponKind, CouponRedemption
from models.customers.wallet import balance, credit
from models.orders.lifecycle import apply_payment_event, expire_overdue_orders
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.purchases import purchase_with_wallet, start_checkout
from models.orders.tables import Order
from models.stock.restock import add_stock

BUYERS = 200
USES = 50
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


async def refusal(
    code: str,
    *,
    product_key: str = "vip",
    product_name: str = "VIP",
    list_price: int = 1000,
    discord_id: int = 1,
    now: datetime | None = None,
) -> str:
    """Why check_coupon refuses `code` on a USD price; fails the test if it is accepted."""
    with pytest.raises(CouponRefused) as refused:
        await check_coupon(
            code,
            product_key=product_key,
            product_name=product_name,
            currency="USD",
            list_price=list_price,
            discord_id=discord_id,
            now=now,
        )
    return refused.value.message


async def card_checkout(discord_id: int, product_key: str, coupon_code: str) -> Order:
    """A card checkout holding `coupon_code`, due to expire at NOW (reference "chk")."""
    return await start_checkout(
        discord_id,
        product_key,
        payment_method=PaymentMethod.STRIPE,
        reference="chk",
        expires_at=NOW,
        coupon_code=coupon_code,
    )


async def test_200_concurrent_redemptions_of_50_uses_discount_exactly_50(catalog) -> None:
    await add_coupon("HALF", CouponKind.PERCENT, "50", products=["vip"], max_uses=USES)
    for buyer in range(BUYERS):
        await credit(buyer + 1, 1000, reference=f"topup-{buyer}")

    async def buy(buyer: int) -> str:
        try:
            await purchase_with_wallet(
                buyer + 1, "vip", reference=f"click-{buyer}", coupon_code="half"
            )
        except CouponRefused as refused:
            assert refused.message == "The coupon HALF has been used up."
            return "used up"
        return "bought"

    results = Counter(await asyncio.gather(*(buy(b) for b in range(BUYERS))))
    assert results == {"bought": USES, "used up": BUYERS - USES}
    orders = await Order.all()
    assert len(orders) == USES  # the refused ones rolled back with their order
    assert {o.amount for o in orders} == {500}
    assert all(
        o.details["coupon"] == {"code": "HALF", "discount": 500, "list_price": 1000} for o in orders
    )
    assert (await Coupon.get(code="HALF")).uses == USES
    assert await CouponRedemption.filter(released_at__isnull=True).count() == USES
    charged = [await balance(b + 1) for b in range(BUYERS)]
    assert charged.count(500) == USES and charged.count(1000) == BUYERS - USES


async def test_a_refund_gives_the_use_back_and_the_discounted_amount(catalog) -> None:
    await add_coupon("ONE", CouponKind.FIXED, "2.50", products=[], currency="USD", max_uses=1)
    await credit(7, 1000, reference="topup")
    order = await purchase_with_wallet(7, "vip", reference="a", coupon_code="ONE")
    assert order.amount == 750 and await balance(7) == 250
    with pytest.raises(CouponRefused, match="used up"):
        await purchase_with_wallet(7, "vip", reference="b", coupon_code="ONE")
    refund = PaymentEvent(
        source=OrderSource.DISCORD,
        order_id=order.id,
        status=PaymentStatus.REFUNDED,
        cause="admin:refund",
        reference="r1",
        actor_id=99,
    )
    await apply_payment_event(refund)
    await apply_payment_event(refund)  # a replay gives nothing back twice
    assert (await Order.get(id=order.id)).status is OrderStatus.REFUNDED
    assert await balance(7) == 1000  # the 7.50 paid, not the list price
    assert (await Coupon.get(code="ONE")).uses == 0
    again = await purchase_with_wallet(7, "vip", reference="c", coupon_code="ONE")
    assert again.amount == 750 and (await Coupon.get(code="ONE")).uses == 1


async def test_an_expired_checkout_gives_the_use_back(catalog, cipher) -> None:
    await add_stock("game-key", ["K-1"], cipher)
    await add_coupon("TEN", CouponKind.PERCENT, "10%", products=["game-key"], max_uses=1)
    order = await card_checkout(5, "game-key", "ten")
    assert order.amount == 450 and (await Coupon.get(code="TEN")).uses == 1
    repeated = await card_checkout(5, "game-key", "ten")
    assert repeated.id == order.id and (await Coupon.get(code="TEN")).uses == 1
    assert await expire_overdue_orders(NOW + timedelta(minutes=1)) == [order.id]
    assert (await Coupon.get(code="TEN")).uses == 0
    redemption = await CouponRedemption.get(order_id=order.id)
    assert redemption.released_at is not None


async def test_once_per_customer_refuses_a_second_use(catalog) -> None:
    await add_coupon("WELCOME", CouponKind.PERCENT, "20", products=[], once_per_customer=True)
    await credit(3, 5000, reference="topup")
    await purchase_with_wallet(3, "vip", reference="a", coupon_code="WELCOME")
    with pytest.raises(CouponRefused, match="You have used the coupon WELCOME already"):
        await purchase_with_wallet(3, "vip", reference="b", coupon_code="WELCOME")
    assert "already" in await refusal("welcome", discord_id=3)
    assert await Order.all().count() == 1 and await balance(3) == 4200
    # Someone else may.
    await credit(4, 1000, reference="topup")
    assert (
        await purchase_with_wallet(4, "vip", reference="a", coupon_code="WELCOME")
    ).amount == 800


async def test_once_per_customer_racing_clicks_take_one_use(catalog) -> None:
    await add_coupon("ONCE", CouponKind.PERCENT, "20", products=[], once_per_customer=True)
    await credit(3, 5000, reference="topup")

    async def buy(n: int) -> str:
        try:
            await purchase_with_wallet(3, "vip", reference=f"r{n}", coupon_code="ONCE")
        except CouponRefused:
            return "refused"
        return "bought"

    assert Counter(await asyncio.gather(*(buy(n) for n in range(5)))) == {
        "bought": 1,
        "refused": 4,
    }
    assert (await Coupon.get(code="ONCE")).uses == 1


@pytest.mark.parametrize(
    ("setup", "product", "message"),
    [
        ({}, "vip", "There is no coupon NOPE."),
        ({"valid_until": NOW - timedelta(days=1)}, "vip", "has expired (2026-12-01 12:00 UTC)"),
        ({"valid_from": NOW + timedelta(days=1)}, "vip", "is not valid yet"),
        ({"products": ["game-key"]}, "vip", "The coupon NOPE is not for VIP."),
        ({"max_uses": 1, "uses": 1}, "vip", "The coupon NOPE has been used up."),
        ({"active": False}, "vip", "The coupon NOPE has been withdrawn."),
    ],
)
async def test_each_refusal_says_which(catalog, setup, product, message) -> None:
    if setup:
        coupon = await add_coupon(
            "NOPE",
            CouponKind.PERCENT,
            "10",
            products=setup.get("products", []),
            max_uses=setup.get("max_uses"),
            valid_from=setup.get("valid_from"),
            valid_until=setup.get("valid_until"),
        )
        if "uses" in setup:
            await Coupon.filter(id=coupon.id).update(uses=setup["uses"])
        if setup.get("active") is False:
            await disable_coupon("nope")
    assert message in await refusal("nope", product_key=product, now=NOW)


async def test_bad_coupon_definitions_are_refused_naming_the_argument(catalog) -> None:
    with pytest.raises(CouponRefused, match="3 to 14 letters"):
        await add_coupon("a b", CouponKind.PERCENT, "10", products=[])
    with pytest.raises(Exception, match="value: a percent coupon takes 1 to 99"):
        await add_coupon("X100", CouponKind.PERCENT, "100", products=[])
    with pytest.raises(Exception, match="products: there is no product nothing"):
        await add_coupon("X10", CouponKind.PERCENT, "10", products=["nothing"])
    with pytest.raises(Exception, match="currency: a fixed-amount coupon needs"):
        await add_coupon("X10", CouponKind.FIXED, "1", products=[])
    with pytest.raises(Exception, match="valid_until: must be after valid_from"):
        await add_coupon(
            "X10", CouponKind.PERCENT, "10", products=[], valid_from=NOW, valid_until=NOW
        )
    await add_coupon("X10", CouponKind.FIXED, "1", products=["vip"])
    with pytest.raises(Exception, match="There is a coupon X10 already"):
        await add_coupon("x10", CouponKind.PERCENT, "10", products=[])
    assert await Coupon.all().count() == 1


async def test_a_fixed_coupon_worth_the_whole_price_is_refused(catalog) -> None:
    await add_coupon("BIG", CouponKind.FIXED, "10.00", products=[], currency="USD")
    await credit(1, 1000, reference="topup")
    with pytest.raises(CouponRefused, match="as much as VIP costs"):
        await purchase_with_wallet(1, "vip", reference="a", coupon_code="BIG")
    assert await Order.all().count() == 0 and await balance(1) == 1000


async def test_a_coupon_that_takes_nothing_off_is_refused(catalog) -> None:
    await add_coupon("TINY", CouponKind.PERCENT, "1", products=[])
    message = await refusal("tiny", product_name="Sticker", list_price=50)
    assert "takes nothing off Sticker's price" in message


async def test_refunds_racing_new_purchases_of_one_buyer_keep_the_count(catalog) -> None:
    # Both take the buyer's row, then the coupon's: no deadlock on PostgreSQL.
    await add_coupon("MANY", CouponKind.PERCENT, "10", products=[])
    await credit(8, 100_000, reference="topup")
    first = [
        await purchase_with_wallet(8, "vip", reference=f"old-{n}", coupon_code="MANY")
        for n in range(10)
    ]

    async def refund(order_id: int) -> None:
        await apply_payment_event(
            PaymentEvent(
                source=OrderSource.DISCORD,
                order_id=order_id,
                status=PaymentStatus.REFUNDED,
                cause="admin:refund",
                reference=f"r{order_id}",
                actor_id=99,
            )
        )

    async def buy(n: int) -> None:
        await purchase_with_wallet(8, "vip", reference=f"new-{n}", coupon_code="MANY")

    await asyncio.gather(*(refund(o.id) for o in first), *(buy(n) for n in range(10)))
    assert (await Coupon.get(code="MANY")).uses == 10
    assert await CouponRedemption.filter(released_at__isnull=True).count() == 10
    assert await balance(8) == 100_000 - 10 * 900


async def test_a_subscription_takes_no_coupon(catalog) -> None:
    """Stripe charges each renewal at the line's price: a discounted line would discount
    every renewal, so a subscription product refuses coupons and nothing is counted."""
    from models.catalog.tables import Product

    await Product.filter(key="vip").update(interval="month")
    await add_coupon("WELCOME", CouponKind.PERCENT, "20", products=[])
    assert "VIP is a subscription" in await refusal("welcome", discord_id=3)
    assert (await Coupon.get(code="WELCOME")).uses == 0


async def test_an_unpaid_checkout_holding_a_once_coupon_is_named(catalog, cipher) -> None:
    await add_stock("game-key", ["K-1", "K-2"], cipher)
    await add_coupon("HELLO", CouponKind.PERCENT, "10", products=[], once_per_customer=True)
    order = await card_checkout(6, "game-key", "hello")
    await credit(6, 1000, reference="topup")
    with pytest.raises(CouponRefused, match=f"Your unpaid order {order.number} holds the coupon"):
        await purchase_with_wallet(6, "game-key", reference="w", coupon_code="HELLO")
    await expire_overdue_orders(NOW + timedelta(minutes=1))
    bought = await purchase_with_wallet(6, "game-key", reference="w", coupon_code="HELLO")
    assert bought.amount == 450 and (await Coupon.get(code="HELLO")).uses == 1
