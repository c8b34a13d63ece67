"""The feed round's raw event read (feed_events) against the ORM's OrderEvent, both engines."""

from __future__ import annotations

from models.catalog.sync import sync_catalog
from models.orders.actions import admin_process_order
from models.orders.feed_entries import feed_events
from models.orders.tables import OrderEvent
from settings import ProductConfig
from tests.models.orders.helpers import paid

CATALOG = (ProductConfig(key="vip", name="VIP", kind="role", price=1000, currency="USD"),)


async def test_feed_events_are_what_the_orm_reads(db: str) -> None:
    await sync_catalog(CATALOG)
    first, second = [await paid("vip", name, amount=1000) for name in ("e1", "e2")]
    await admin_process_order(
        first.number,
        "refund",
        actor_id=1,
        reference="refund-1",
        note="asked nicely ✓",
    )
    upto = max(await OrderEvent.filter(order_id=first.id).values_list("id", flat=True))
    third = await paid("vip", "e3", amount=1000)
    ids = [first.id, second.id, third.id]
    raw = await feed_events(ids, upto)
    orm = await OrderEvent.filter(order_id__in=ids, id__lte=upto).order_by("id")
    assert [e.id for e in raw] == [e.id for e in orm]
    assert {e.order_id for e in raw} == {first.id, second.id}  # the third came after `upto`
    for got, want in zip(raw, orm, strict=True):
        assert got.order_id == want.order_id  # type: ignore[attr-defined]
        assert (got.to_status, got.cause, got.detail) == (want.to_status, want.cause, want.detail)
        assert got.created_at == want.created_at
        assert got.created_at.tzinfo is not None
    assert any(e.detail.get("note") == "asked nicely ✓" for e in raw)
