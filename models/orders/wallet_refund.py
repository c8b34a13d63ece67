"""What a wallet-paid order is owed back when it is refunded or cancelled (settle() books it)."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from models.base import OrderStatus, WalletKind
from models.customers.tables import Customer, WalletTransaction
from models.customers.wallet import credit_customer
from models.orders.facts import OrderFacts
from models.orders.tables import Order


async def refund_to_wallet(
    order: Order,
    facts: OrderFacts,
    status: OrderStatus,
    customer: Customer,
    conn: BaseDBAsyncClient,
) -> None:
    """Books what a wallet-paid order is owed back, once per amount (unique reference)."""
    if not facts.payment_implied():
        return
    if status in (OrderStatus.REFUNDED, OrderStatus.CANCELLED):
        owed = order.amount
    else:
        owed = facts.refunded_total(order.amount)
    prefix = f"order:{order.id}:refund:"
    already = sum(
        await WalletTransaction.filter(kind=WalletKind.REFUND, reference__startswith=prefix)
        .using_db(conn)
        .values_list("amount", flat=True)
    )
    if owed > already:
        await credit_customer(
            customer,
            owed - already,
            kind=WalletKind.REFUND,
            reference=f"{prefix}{owed}",
            connection=conn,
            note=f"refund of order {order.number}",
        )
