"""Admin refunds where no provider moves money: the wallet, and storefronts refunded by hand."""

from __future__ import annotations

import pytest

from models.base import OrderSource, OrderStatus, PaymentMethod, WalletKind
from models.customers.tables import WalletTransaction
from models.customers.wallet import balance, credit
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.purchases import purchase_with_wallet
from models.orders.tables import Order
from tests.webhooks.helpers import BUYER
from webhooks.refunds import refund_order

ADMIN = 323456789012345678


@pytest.mark.parametrize(
    ("source", "where"),
    [
        (OrderSource.ECWID, "in Ecwid yourself"),
        (OrderSource.REFRACT, "in Refract yourself"),
        (OrderSource.EMBED, "in the store that posted the order yourself"),
        (OrderSource.API, "in the system that sent the order yourself"),
    ],
)
async def test_storefront_orders_are_refunded_in_records_with_where_to_refund(
    client, settings, http, source, where
):
    result = await apply_payment_event(
        PaymentEvent(
            source=source,
            external_id=f"{source}-1",
            status=PaymentStatus.PAID,
            cause=f"{source}:paid",
            reference="paid",
            discord_user_id=BUYER,
            product_key="vip",
            amount=1000,
            currency="USD",
            payment_method=PaymentMethod.EXTERNAL,
        )
    )
    done = await refund_order(settings, http, result.order_number, amount_text="4", actor_id=ADMIN)
    assert done.result is not None and done.result.status is OrderStatus.PARTIALLY_REFUNDED
    assert done.lines == (f"Refunded in our records only: refund $4.00 {where}.",)
    assert (await Order.get(id=result.order_id)).refunded_amount == 400


async def test_a_wallet_order_is_refunded_to_the_wallet_once_per_amount(client, settings, http):
    await credit(BUYER, 3000, reference="topup-refund-test")
    order = await purchase_with_wallet(BUYER, "vip", reference="refund-test")
    assert await balance(BUYER) == 2000
    first = await refund_order(settings, http, order.number, amount_text="2.50", actor_id=ADMIN)
    again = await refund_order(settings, http, order.number, amount_text="2.50", actor_id=ADMIN)
    assert first.result is not None and first.result.status is OrderStatus.PARTIALLY_REFUNDED
    assert again.result is not None and not again.result.applied
    assert await balance(BUYER) == 2250
    rest = await refund_order(settings, http, order.number, amount_text=None, actor_id=ADMIN)
    assert rest.result is not None and rest.result.status is OrderStatus.REFUNDED
    assert await balance(BUYER) == 3000
    refunds = await WalletTransaction.filter(kind=WalletKind.REFUND).count()
    assert refunds == 2
