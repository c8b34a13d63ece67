"""The feed round's raw event read (feed_events) against the ORM's OrderEvent, both engines."""

from __future__ import annotations

from models.base import OrderSource
from models.catalog.sync import sync_catalog
from models.orders.actions import admin_process_order
from models.orders.feed_entries import feed_events
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.tables import OrderEvent
from settings import ProductConfig

CATALOG = (ProductConfig(key="vip", name="VIP", kind="role", price=1000, currency="USD"),)


async def paid(external_id: str) -> int:
    result = await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=PaymentStatus.PAID,
            cause="generic:paid",
            reference=f"paid-{external_id}",
            external_id=external_id,
            discord_user_id=7 << 22,
            product_key="vip",
            quantity=1,
            amount=1000,
            currency="USD",
        )
    )
    return result.order_id


async def test_feed_events_are_what_the_orm_reads(db: str) -> None:
    await sync_catalog(CATALOG)
    first, second = [await paid(name) for name in ("e1", "e2")]
    await admin_process_order(
        (await OrderEvent.filter(order_id=first).first().prefetch_related("order")).order.number,
        "refund",
        actor_id=1,
        reference="refund-1",
        note="asked nicely ✓",
    )
    upto = max(await OrderEvent.filter(order_id=first).values_list("id", flat=True))
    third = await paid("e3")
    raw = await feed_events([first, second, third], upto)
    orm = await OrderEvent.filter(order_id__in=[first, second, third], id__lte=upto).order_by("id")
    assert [e.id for e in raw] == [e.id for e in orm]
    assert {e.order_id for e in raw} == {first, second}  # the third came after `upto`
    for got, want in zip(raw, orm, strict=True):
        assert got.order_id == want.order_id  # type: ignore[attr-defined]
        assert (got.to_status, got.cause, got.detail) == (want.to_status, want.cause, want.detail)
        assert got.created_at == want.created_at
        assert got.created_at.tzinfo is not None
    assert any(e.detail.get("note") == "asked nicely ✓" for e in raw)
