"""Order lifecycle scenarios: entitlement, disputes, admin actions, lookups, expiry, queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.base import JobKind, JobStatus, OrderSource, OrderStatus, PaymentMethod, StockStatus
from models.errors import InvalidTransition, NotFound
from models.orders.actions import admin_process_order, mark_delivered
from models.orders.entitlements import entitled_role_holders, is_still_entitled
from models.orders.lifecycle import apply_payment_event, expire_overdue_orders, new_order_number
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.purchases import start_checkout
from models.orders.queries import get_order_by_number, list_orders, orders_for_customer
from models.orders.tables import Order, OrderEvent
from models.outbox.actions import claim, complete
from models.outbox.tables import Job
from models.reports.stats import order_stats
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from tests.models.conftest import external

CUSTOMER_ROLE = 555


async def role_jobs(order_id: int) -> list[str]:
    jobs = await Job.filter(
        order_id=order_id, kind__in=(JobKind.GRANT_ROLE, JobKind.REVOKE_ROLE)
    ).order_by("id")
    return [j.kind.value for j in jobs]


async def test_role_entitlement_survives_refund_of_one_of_two_orders(catalog) -> None:
    a = await apply_payment_event(external("vip-a", PaymentStatus.PAID, "1", product_key="vip"))
    b = await apply_payment_event(external("vip-b", PaymentStatus.PAID, "1", product_key="vip"))
    assert await role_jobs(a.order_id) == ["grant_role"]
    await apply_payment_event(external("vip-a", PaymentStatus.REFUNDED, "2", product_key="vip"))
    assert await role_jobs(a.order_id) == ["grant_role", "revoke_role"]
    revoke = await Job.get(order_id=a.order_id, kind=JobKind.REVOKE_ROLE)
    assert revoke.payload == {"order_id": a.order_id, "discord_id": 1001, "role_id": 777}
    assert await is_still_entitled(1001, 777, excluding_order_id=a.order_id)
    await apply_payment_event(external("vip-b", PaymentStatus.CANCELLED, "2", product_key="vip"))
    assert not await is_still_entitled(1001, 777, excluding_order_id=b.order_id)


async def test_dispute_revokes_and_a_won_dispute_restores(catalog, cipher) -> None:
    await add_stock("bundle", ["BUNDLE-1"], cipher)
    paid = await apply_payment_event(external("d", PaymentStatus.PAID, "1", product_key="bundle"))
    await mark_delivered(paid.order_id)
    disputed = await apply_payment_event(
        external("d", PaymentStatus.DISPUTED, "dp_1", product_key="bundle")
    )
    assert disputed.status is OrderStatus.DISPUTED
    assert await StockItem.filter(status=StockStatus.REVOKED).count() == 1
    won = await apply_payment_event(
        external("d", PaymentStatus.DISPUTE_WON, "dp_1:won", product_key="bundle")
    )
    assert won.status is OrderStatus.DELIVERED
    assert await StockItem.filter(status=StockStatus.DELIVERED).count() == 1
    assert await role_jobs(paid.order_id) == ["grant_role", "revoke_role", "grant_role"]
    kinds = await Job.filter(order_id=paid.order_id, kind=JobKind.POST_FEED).values_list(
        "payload", flat=True
    )
    assert [p["kind"] for p in kinds] == ["completed", "delivered", "disputed", "dispute_won"]
    # The codes were already sent: a restored dispute does not DM them again.
    assert await Job.filter(order_id=paid.order_id, kind=JobKind.DELIVER_CODES).count() == 1


async def test_late_refund_then_payment_is_found_by_payment_ref(catalog, cipher) -> None:
    await add_stock("game-key", ["X"], cipher)
    order = await start_checkout(
        1,
        "game-key",
        payment_method=PaymentMethod.STRIPE,
        reference="int-1",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
    )
    assert order.status is OrderStatus.PENDING and order.number.startswith("SR-")
    feed = await Job.get(order_id=order.id, kind=JobKind.POST_FEED)
    assert feed.payload["kind"] == "pending"  # awaiting payment at Stripe
    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.STRIPE,
            order_id=order.id,
            status=PaymentStatus.PAID,
            cause="stripe:checkout.session.completed",
            reference="evt_1",
            payment_ref="pi_123",
            checkout_id="cs_1",
        )
    )
    refund = await apply_payment_event(
        PaymentEvent(
            source=OrderSource.STRIPE,
            payment_ref="pi_123",
            status=PaymentStatus.REFUNDED,
            cause="stripe:charge.refunded",
            reference="evt_2",
            refund_amount=200,
        )
    )
    assert refund.order_id == order.id and refund.status is OrderStatus.PARTIALLY_REFUNDED
    assert (await Order.get(id=order.id)).refunded_amount == 200
    with pytest.raises(NotFound):
        await apply_payment_event(
            PaymentEvent(
                source=OrderSource.STRIPE,
                payment_ref="pi_unknown",
                status=PaymentStatus.PAID,
                cause="stripe:x",
                reference="e",
            )
        )


async def test_admin_actions_are_checked_and_audited(catalog, cipher) -> None:
    await add_stock("game-key", ["A1", "A2"], cipher)
    result = await apply_payment_event(external("adm", PaymentStatus.PENDING, "p"))
    order = await Order.get(id=result.order_id)
    with pytest.raises(InvalidTransition, match="cannot be refunded"):
        await admin_process_order(order.number, "refund", actor_id=9, reference="i1")
    done = await admin_process_order(order.number, "complete", actor_id=9, reference="i2")
    assert done.status is OrderStatus.PAID
    retried = await admin_process_order(order.number, "retry", actor_id=9, reference="i3")
    assert retried.status is OrderStatus.PAID  # a delivery is still queued: not doubled
    assert await Job.filter(order_id=order.id, kind=JobKind.DELIVER_CODES).count() == 1
    # The worker runs the delivery: claims it, DMs, marks the order delivered, completes.
    [delivery] = await claim("worker", kinds=(JobKind.DELIVER_CODES,))
    await mark_delivered(order.id)
    assert await complete(delivery.id, "worker")
    await admin_process_order(order.number, "retry", actor_id=9, reference="i4")
    resend = await Job.filter(order_id=order.id, kind=JobKind.DELIVER_CODES).order_by("-id")
    assert len(resend) == 2 and resend[0].payload["resend"] is True
    with pytest.raises(InvalidTransition, match="cannot be cancelled"):
        await admin_process_order(order.number, "cancel", actor_id=9, reference="i5")
    audit = await OrderEvent.filter(order_id=order.id, actor_id=9).values_list("cause", flat=True)
    assert audit == ["admin:complete", "admin:retry", "admin:retry"]


async def test_payment_after_cancellation_stays_cancelled_and_asks_for_attention(catalog) -> None:
    await apply_payment_event(external("c", PaymentStatus.CANCELLED, "1", product_key="vip"))
    late = await apply_payment_event(external("c", PaymentStatus.PAID, "2", product_key="vip"))
    order = await Order.get(id=late.order_id)
    assert order.status is OrderStatus.CANCELLED and order.needs_attention
    assert await role_jobs(order.id) == []


async def test_expiry_releases_nothing_and_payment_after_expiry_wins(catalog, cipher) -> None:
    await add_stock("game-key", ["E1"], cipher)
    order = await start_checkout(
        2,
        "game-key",
        payment_method=PaymentMethod.MIDTRANS,
        reference="int-2",
        expires_at=datetime.now(UTC) - timedelta(minutes=1),
    )
    assert await expire_overdue_orders() == [order.id]
    assert (await Order.get(id=order.id)).status is OrderStatus.EXPIRED
    late = await apply_payment_event(
        PaymentEvent(
            source=OrderSource.MIDTRANS,
            order_id=order.id,
            status=PaymentStatus.PAID,
            cause="midtrans:settlement",
            reference="tx-1",
        )
    )
    assert late.status is OrderStatus.PAID
    again = await apply_payment_event(
        PaymentEvent(
            source=OrderSource.MIDTRANS,
            order_id=order.id,
            status=PaymentStatus.EXPIRED,
            cause="midtrans:expire",
            reference="tx-2",
        )
    )
    assert again.status is OrderStatus.PAID


async def test_embed_orders_without_product_grant_the_customer_role(db) -> None:
    event = PaymentEvent(
        source=OrderSource.EMBED,
        external_id="ORD-1",
        status=PaymentStatus.PAID,
        cause="embed:message",
        reference="m1",
        discord_user_id=3003,
        grants_customer_role=True,
    )
    result = await apply_payment_event(event)
    grant = await Job.get(order_id=result.order_id, kind=JobKind.GRANT_ROLE)
    assert grant.payload["role_id"] == 0
    assert await entitled_role_holders(CUSTOMER_ROLE) == {3003: {CUSTOMER_ROLE}}
    assert await is_still_entitled(3003, CUSTOMER_ROLE, customer_role_id=CUSTOMER_ROLE)


async def test_ecwid_delivery_queues_the_storefront_update(catalog, cipher) -> None:
    await add_stock("game-key", ["EC"], cipher)
    paid = await apply_payment_event(
        external("77", PaymentStatus.PAID, "w1", source=OrderSource.ECWID, cause="ecwid:updated")
    )
    await mark_delivered(paid.order_id)
    await mark_delivered(paid.order_id)
    job = await Job.get(kind=JobKind.UPDATE_STOREFRONT)
    assert job.payload == {
        "provider": "ecwid",
        "external_id": "77",
        "fulfillment_status": "DELIVERED",
    }


async def test_unknown_product_or_order_is_refused(catalog) -> None:
    with pytest.raises(NotFound):
        await apply_payment_event(external("u", PaymentStatus.PAID, "1", product_key="nope"))
    with pytest.raises(NotFound):
        await apply_payment_event(
            PaymentEvent(
                source=OrderSource.API,
                order_id=999,
                status=PaymentStatus.PAID,
                cause="api",
                reference="1",
            )
        )


async def test_queries_and_stats(catalog, cipher) -> None:
    await add_stock("game-key", ["Q1", "Q2"], cipher)
    for i in range(3):
        await apply_payment_event(external(f"q{i}", PaymentStatus.PAID, "1", discord_user_id=50))
    await apply_payment_event(external("q0", PaymentStatus.REFUNDED, "2", discord_user_id=50))
    mine = await orders_for_customer(50, page=1, per_page=2)
    assert (mine.total, mine.pages, len(mine.orders)) == (3, 2, 2)
    waiting = await list_orders(status=OrderStatus.AWAITING_STOCK)
    assert waiting.total == 0  # the refund handed its code to the third order
    order = mine.orders[0]
    assert (await get_order_by_number(f" {order.number.lower()} ")).id == order.id
    stats = await order_stats(datetime.now(UTC))
    assert stats.revenue == {"USD": 1000}
    assert stats.orders_by_status["paid"] == 2 and stats.orders_by_status["refunded"] == 1
    assert stats.windows["24h"].paid_orders == 3
    assert stats.stock["game-key"]["reserved"] == 2
    assert stats.queue.pending == await Job.filter(status=JobStatus.PENDING).count()
    assert len(await claim("w", limit=100)) == stats.queue.pending


def test_order_numbers_are_short_and_unambiguous() -> None:
    numbers = {new_order_number() for _ in range(2000)}
    assert len(numbers) == 2000
    for number in numbers:
        assert len(number) == 9 and number.startswith("SR-")
        assert not set(number[3:]) & set("01OIL")
