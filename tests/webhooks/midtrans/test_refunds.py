"""Admin refunds of QRIS orders go through Midtrans' refund API once; refusals change nothing."""

from __future__ import annotations

import dataclasses

import pytest

from models.base import OrderStatus
from models.orders.tables import Order, OrderEvent
from tests.webhooks.helpers import processed
from tests.webhooks.midtrans.test_midtrans import PULSA, notify, qris_order
from webhooks.errors import RefundNotMade
from webhooks.refunds import refund_order

ADMIN = 323456789012345678


@pytest.fixture
def idr_settings(settings):
    """A rupiah shop, as in test_midtrans."""
    return dataclasses.replace(settings, products=(PULSA,), wallet_currency="IDR")


@pytest.fixture
async def idr_client(make_client, idr_settings):
    return await make_client(idr_settings)


async def settled_order(idr_client, idr_settings, http, fake_midtrans) -> tuple[Order, str]:
    order, ref = await qris_order(idr_settings, http)
    fake_midtrans.set_status(ref, "settlement")
    assert (await notify(idr_client, fake_midtrans.notification(ref))).status == 200
    await processed(idr_client)
    order = await Order.get(id=order.id)
    assert order.status is OrderStatus.DELIVERED or order.status is OrderStatus.PAID
    return order, ref


def refund_posts(fake_midtrans, ref: str) -> int:
    return fake_midtrans.requests.count(("POST", f"/v2/{ref}/refund"))


async def test_full_refund_goes_through_midtrans_once_and_its_notification_agrees(
    idr_client, idr_settings, http, fake_midtrans
):
    order, ref = await settled_order(idr_client, idr_settings, http, fake_midtrans)
    done = await refund_order(
        idr_settings, http, order.number, amount_text=None, actor_id=ADMIN, note="asked"
    )
    assert done.result is not None and done.result.status is OrderStatus.REFUNDED
    (body,) = fake_midtrans.refund_bodies
    assert body["amount"] == 50_000 and body["refund_key"] == f"stockroom-refund-{order.id}-5000000"
    assert any("refund request is approved" in line for line in done.lines)
    with pytest.raises(Exception, match="cannot be refunded now"):
        await refund_order(idr_settings, http, order.number, amount_text=None, actor_id=ADMIN)
    assert refund_posts(fake_midtrans, ref) == 1
    # Midtrans then notifies the refund: the same refund, recorded once.
    assert (await notify(idr_client, fake_midtrans.notification(ref))).status == 200
    await processed(idr_client)
    order = await Order.get(id=order.id)
    assert (order.status, order.refunded_amount) == (OrderStatus.REFUNDED, 5_000_000)
    assert await OrderEvent.filter(order_id=order.id, cause="admin:refund").count() == 1


async def test_partial_refund_in_rupiah_as_written(idr_client, idr_settings, http, fake_midtrans):
    order, _ = await settled_order(idr_client, idr_settings, http, fake_midtrans)
    done = await refund_order(
        idr_settings, http, order.number, amount_text="Rp 20,000", actor_id=ADMIN
    )
    assert done.result is not None and done.result.status is OrderStatus.PARTIALLY_REFUNDED
    assert fake_midtrans.refund_bodies[0]["amount"] == 20_000
    assert (await Order.get(id=order.id)).refunded_amount == 2_000_000


async def test_a_refusal_by_midtrans_changes_nothing_and_says_why(
    idr_client, idr_settings, http, fake_midtrans
):
    order, ref = await settled_order(idr_client, idr_settings, http, fake_midtrans)
    # The transaction cannot be refunded at Midtrans any more (e.g. reversed there).
    fake_midtrans.set_status(ref, "deny")
    with pytest.raises(RefundNotMade, match="cannot modify status"):
        await refund_order(idr_settings, http, order.number, amount_text=None, actor_id=ADMIN)
    after = await Order.get(id=order.id)
    assert (after.status, after.refunded_amount) == (order.status, 0)
    assert not await OrderEvent.filter(order_id=order.id, cause="admin:refund").exists()
