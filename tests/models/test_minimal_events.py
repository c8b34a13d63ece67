"""Minimal events (SPEC §6): only the first event of an order carries its product and amount.

When those events arrive out of order, the event with the facts comes after the order was
already created from a bare one; it must still complete the order, exactly as in order.
"""

from __future__ import annotations

import pytest

from models.base import JobKind, JobStatus, OrderSource, OrderStatus, PaymentMethod, StockStatus
from models.customers.tables import Customer
from models.errors import NotFound
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.restock import add_stock
from models.stock.tables import StockItem

FULL = {"product_key": "bundle", "quantity": 2, "amount": 3000, "currency": "USD"}


def bare(external_id: str, status: PaymentStatus, reference: str, **fields) -> PaymentEvent:
    """A generic event with only what SPEC §6 requires after the first: ids and status."""
    return PaymentEvent(
        source=OrderSource.GENERIC,
        external_id=external_id,
        status=status,
        cause=f"generic:{status.value}",
        reference=reference,
        payment_method=PaymentMethod.EXTERNAL,
        **fields,
    )


async def play(events: list[PaymentEvent]) -> int:
    order_id = 0
    for event in events:
        order_id = (await apply_payment_event(event)).order_id
    return order_id


async def summary(order_id: int) -> dict:
    order = await Order.get(id=order_id).prefetch_related("product", "customer")
    jobs = await Job.filter(order_id=order_id).exclude(kind=JobKind.POST_FEED).order_by("id")
    live = [j.kind.value for j in jobs if j.status is not JobStatus.DONE]
    return {
        "status": order.status,
        "product": order.product.key if order.product else None,
        "quantity": order.quantity,
        "amount": order.amount,
        "currency": order.currency,
        "refunded_amount": order.refunded_amount,
        "reserved": await StockItem.filter(order_id=order_id, status=StockStatus.RESERVED).count(),
        "jobs": live,
        "total_spent": order.customer.total_spent if order.customer else None,
    }


@pytest.mark.parametrize("bare_has_buyer", [False, True], ids=["bare", "bare-with-buyer"])
async def test_payment_before_the_event_with_the_facts_still_delivers(
    catalog, cipher, bare_has_buyer
) -> None:
    await add_stock("bundle", ["B1", "B2", "B3", "B4"], cipher)

    def run(external_id: str, buyer: int) -> tuple[PaymentEvent, PaymentEvent]:
        extra = {"discord_user_id": buyer} if bare_has_buyer else {}
        first = bare(external_id, PaymentStatus.PENDING, "e1", discord_user_id=buyer, **FULL)
        return first, bare(external_id, PaymentStatus.PAID, "e2", **extra)

    pending, paid = run("in-order", 11)
    clean = await summary(await play([pending, paid]))
    pending, paid = run("shuffled", 12)
    shuffled = await summary(await play([paid, pending]))
    assert clean == {
        "status": OrderStatus.PAID,
        "product": "bundle",
        "quantity": 2,
        "amount": 3000,
        "currency": "USD",
        "refunded_amount": 0,
        "reserved": 2,
        "jobs": ["grant_role", "deliver_codes"],
        "total_spent": 3000,
    }
    assert shuffled == clean


async def test_refund_and_payment_before_the_facts_end_refunded(catalog, cipher) -> None:
    await add_stock("bundle", ["R1", "R2"], cipher)

    def run(external_id: str, buyer: int) -> list[PaymentEvent]:
        return [
            bare(external_id, PaymentStatus.PENDING, "e1", discord_user_id=buyer, **FULL),
            bare(external_id, PaymentStatus.PAID, "e2"),
            bare(external_id, PaymentStatus.REFUNDED, "e3"),
        ]

    clean = await summary(await play(run("in-order", 21)))
    pending, paid, refunded = run("shuffled", 22)
    shuffled = await summary(await play([refunded, paid, pending]))
    assert clean["status"] is OrderStatus.REFUNDED
    assert clean["refunded_amount"] == 3000 and clean["reserved"] == 0
    assert shuffled["jobs"] == []  # never entitled while it was known: nothing to undo
    clean.pop("jobs"), shuffled.pop("jobs")
    assert shuffled == clean
    assert await StockItem.filter(status=StockStatus.AVAILABLE).count() == 2


async def test_a_quantity_learnt_later_reserves_the_rest(catalog, cipher) -> None:
    await add_stock("game-key", ["G1", "G2", "G3"], cipher)
    await apply_payment_event(bare("q", PaymentStatus.PAID, "e2", product_key="game-key"))
    result = await apply_payment_event(
        bare("q", PaymentStatus.PENDING, "e1", product_key="game-key", quantity=3)
    )
    order = await Order.get(id=result.order_id)
    assert (order.status, order.quantity, order.amount) == (OrderStatus.PAID, 3, 1500)
    assert await StockItem.filter(order_id=order.id, status=StockStatus.RESERVED).count() == 3
    assert await Job.filter(order_id=order.id, kind=JobKind.DELIVER_CODES).count() == 1


async def test_first_value_wins_for_facts_already_known(catalog) -> None:
    await apply_payment_event(
        bare("fv", PaymentStatus.PAID, "e1", product_key="vip", amount=900, discord_user_id=31)
    )
    await apply_payment_event(
        bare("fv", PaymentStatus.PENDING, "e2", product_key="game-key", quantity=4, amount=1)
    )
    order = await Order.get(external_id="fv").prefetch_related("product")
    assert (order.product.key, order.amount) == ("vip", 900)
    # The quantity was not known yet: it is taken, the product and amount are not.
    assert order.quantity == 4
    assert (await Customer.get(discord_id=31)).total_spent == 900


async def test_an_unknown_product_learnt_later_is_refused_and_changes_nothing(catalog) -> None:
    await apply_payment_event(bare("up", PaymentStatus.PAID, "e2"))
    with pytest.raises(NotFound):
        await apply_payment_event(
            bare("up", PaymentStatus.PENDING, "e1", product_key="nope", amount=5)
        )
    order = await Order.get(external_id="up")
    assert (order.product_id, order.amount, order.status) == (None, 0, OrderStatus.PAID)  # type: ignore[attr-defined]
