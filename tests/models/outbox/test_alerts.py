"""Admin alerts: one payload shape, dedupe kept in the job's column, read back by the worker."""

from __future__ import annotations

from models.base import JobKind, OrderStatus
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.outbox.actions import queue_admin_alert
from models.outbox.alerts import MESSAGE_MAX, AdminAlert
from models.outbox.tables import Job
from tests.models.conftest import external


async def test_an_alert_is_queued_once_per_dedupe_key(catalog) -> None:
    order_id = (await apply_payment_event(external("a1", PaymentStatus.PENDING, "p"))).order_id
    job = await queue_admin_alert("Heads up", "first", order_id=order_id, dedupe_key="k:1")
    assert job is not None and job.kind is JobKind.NOTIFY_ADMIN
    assert await queue_admin_alert("Heads up", "again", order_id=order_id, dedupe_key="k:1") is None
    (stored,) = await Job.filter(kind=JobKind.NOTIFY_ADMIN)
    assert stored.payload == {"title": "Heads up", "message": "first", "order_id": order_id}
    assert (stored.dedupe_key, stored.order_id) == ("k:1", order_id)  # type: ignore[attr-defined]


async def test_lines_are_joined_and_a_long_message_is_cut(db: str) -> None:
    await queue_admin_alert("Role sync needs a fix", ["role A: move it", "role B: gone"])
    await queue_admin_alert("", "x" * (MESSAGE_MAX + 50))
    first, second = await Job.filter(kind=JobKind.NOTIFY_ADMIN).order_by("id")
    assert first.payload == {
        "title": "Role sync needs a fix",
        "message": "role A: move it\nrole B: gone",
    }
    assert second.payload["title"] == "Stockroom"
    assert len(second.payload["message"]) == MESSAGE_MAX


def test_the_worker_reads_every_payload_shape_back() -> None:
    alert = AdminAlert("Job parked", "Job 3 stopped", 12)
    assert AdminAlert.from_payload(alert.payload()) == alert
    # Queued before this module: order_id null, or no title at all.
    old = {"title": "Job parked: post_feed", "message": "m", "order_id": None}
    assert AdminAlert.from_payload(old) == AdminAlert("Job parked: post_feed", "m", None)
    assert AdminAlert.from_payload({"message": "m"}).title == "Stockroom"


async def test_order_alerts_carry_no_dedupe_key_in_their_payload(catalog) -> None:
    result = await apply_payment_event(external("w1", PaymentStatus.PAID, "p1"))
    assert result.status is OrderStatus.AWAITING_STOCK
    (alert,) = await Job.filter(kind=JobKind.NOTIFY_ADMIN, order_id=result.order_id)
    assert set(alert.payload) == {"title", "message", "order_id"}
    assert alert.payload["title"] == "Order waiting for stock"
    assert alert.dedupe_key == f"awaiting-stock:{result.order_id}:1"
    # The same fact again (a replayed webhook) queues nothing more.
    await apply_payment_event(external("w1", PaymentStatus.PAID, "p1"))
    assert await Job.filter(kind=JobKind.NOTIFY_ADMIN, order_id=result.order_id).count() == 1
