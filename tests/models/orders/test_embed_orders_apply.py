"""Orders-channel embeds through the order core, against a real database."""

from __future__ import annotations

from models.base import JobKind, OrderSource, OrderStatus
from models.orders.feed_embeds import (
    apply_order_embed,
    last_read_message_id,
    remember_read_message,
)
from models.orders.tables import Order, OrderEvent
from models.outbox.tables import Job

USER_ID = 412345678901234567


def fields(status: str, order_id: str = "XJ12H", user: str = str(USER_ID)):
    return [
        ("Order ID", order_id),
        ("Payment Status", status),
        ("Email", "buyer@example.com"),
        ("Discord User ID", user),
    ]


async def test_paid_embed_creates_an_embed_order_that_grants_the_customer_role(db) -> None:
    outcome = await apply_order_embed(1001, fields("PAID"))
    assert outcome.applied and outcome.result.created
    order = await Order.get(source=OrderSource.EMBED, external_id="XJ12H")
    assert order.status in (OrderStatus.PAID, OrderStatus.DELIVERED)
    assert order.details.get("grants_customer_role") is True
    await order.fetch_related("customer")
    assert order.customer.discord_id == USER_ID
    grant = await Job.filter(order_id=order.id, kind=JobKind.GRANT_ROLE).first()
    assert grant is not None


async def test_the_same_message_twice_is_applied_once(db) -> None:
    first = await apply_order_embed(1001, fields("PAID"))
    again = await apply_order_embed(1001, fields("PAID"))
    assert first.result.applied and not again.result.applied
    assert await OrderEvent.filter(reference="1001").count() == 1


async def test_refunded_embed_after_paid_refunds_and_revokes(db) -> None:
    await apply_order_embed(1001, fields("PAID"))
    outcome = await apply_order_embed(1002, fields("REFUNDED"))
    assert outcome.result.status is OrderStatus.REFUNDED
    order = await Order.get(external_id="XJ12H")
    assert await Job.filter(order_id=order.id, kind=JobKind.REVOKE_ROLE).exists()


async def test_refund_seen_before_the_payment_ends_refunded_all_the_same(db) -> None:
    await apply_order_embed(1002, fields("REFUNDED"))
    outcome = await apply_order_embed(1001, fields("PAID"))
    assert outcome.result.status is OrderStatus.REFUNDED


async def test_malformed_embed_is_rejected_and_changes_nothing(db) -> None:
    outcome = await apply_order_embed(1003, fields("PAID", user="not-an-id"))
    assert not outcome.applied
    assert "Discord User ID" in outcome.rejection.reason
    assert await Order.all().count() == 0
    assert await Job.all().count() == 0


async def test_the_catch_up_cursor_only_moves_forward(db) -> None:
    assert await last_read_message_id() is None
    await remember_read_message(1_300_000_000_000_000_000)
    await remember_read_message(1_200_000_000_000_000_000)
    assert await last_read_message_id() == 1_300_000_000_000_000_000
    await remember_read_message(1_300_000_000_000_000_001)
    assert await last_read_message_id() == 1_300_000_000_000_000_001
