"""Ecwid: signed webhooks, the order always re-fetched, the Discord field, fulfilment PUT."""

from __future__ import annotations

import dataclasses
import json
import time

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from demo.fakes.ecwid_api import sign_ecwid
from models.base import InboxStatus, OrderSource, OrderStatus
from models.customers.tables import Customer
from models.inbox.tables import WebhookEvent
from models.orders.tables import Order
from tests.webhooks.helpers import BUYER, ECWID_SECRET, ECWID_STORE, processed
from webhooks.app import INBOX_WORKER
from webhooks.ecwid.client import put_fulfilment_status
from webhooks.errors import ProviderUnavailable

URL = "/webhooks/ecwid"


@pytest.fixture
def ecwid_settings(settings):
    ecwid = dataclasses.replace(settings.ecwid, product_map={"GAME-KEY": "game-key", "VIP": "vip"})
    return dataclasses.replace(settings, ecwid=ecwid)


@pytest.fixture
async def ecwid_client(make_client, ecwid_settings):
    return await make_client(ecwid_settings)


def webhook(
    event_id: str,
    order_id: str,
    *,
    event_type: str = "order.created",
    payment_status: str = "PAID",
    secret: str = ECWID_SECRET,
    signed_event_id: str | None = None,
) -> tuple[str, dict[str, str]]:
    """An Ecwid webhook body (current docs' shape) and its signature header."""
    created = int(time.time())
    body = {
        "eventId": event_id,
        "eventCreated": created,
        "storeId": int(ECWID_STORE),
        "entityId": 987654,
        "eventType": event_type,
        "data": {"orderId": order_id, "newPaymentStatus": payment_status},
    }
    if event_type == "order.updated":
        body["data"]["oldPaymentStatus"] = "AWAITING_PAYMENT"
    signature = sign_ecwid(created, signed_event_id or event_id, secret)
    return json.dumps(body), {"X-Ecwid-Webhook-Signature": signature}


async def send(client, event_id: str, order_id: str, **options):
    body, headers = webhook(event_id, order_id, **options)
    return await client.post(f"{URL}?eventtype=order.created", data=body, headers=headers)


@pytest.mark.parametrize("shape", ["orderExtraFields", "extraFields"])
async def test_paid_order_is_fetched_and_recorded_for_the_discord_user(
    ecwid_client, fake_ecwid, shape
):
    fake_ecwid.add_order("XJ12H", sku="VIP", discord_user_id=str(BUYER), field_shape=shape)
    response = await send(ecwid_client, "evt-1", "XJ12H")
    assert response.status == 200
    await processed(ecwid_client)
    assert ("GET", f"/api/v3/{ECWID_STORE}/orders/XJ12H") in fake_ecwid.requests
    order = await Order.get(source=OrderSource.ECWID, external_id="XJ12H")
    assert order.status == OrderStatus.PAID
    customer = await Customer.get(id=order.customer_id)
    assert customer.discord_id == BUYER
    assert order.email == "shopper@example.com"
    assert order.amount == 500 and order.currency == "USD"


async def test_the_body_is_never_trusted_over_the_api(ecwid_client, fake_ecwid):
    fake_ecwid.add_order("AWAIT1", sku="VIP", payment_status="AWAITING_PAYMENT")
    await send(ecwid_client, "evt-claims-paid", "AWAIT1", payment_status="PAID")
    await processed(ecwid_client)
    order = await Order.get(external_id="AWAIT1")
    assert order.status == OrderStatus.PENDING


async def test_statuses_map_and_out_of_order_events_converge(ecwid_client, fake_ecwid):
    fake_ecwid.add_order("REF1", sku="VIP", discord_user_id=str(BUYER))
    fake_ecwid.orders["REF1"]["paymentStatus"] = "REFUNDED"
    # The update (refund) is delivered before the creation (paid): both fetch the truth.
    await send(ecwid_client, "evt-upd", "REF1", event_type="order.updated")
    await send(ecwid_client, "evt-new", "REF1")
    fake_ecwid.add_order("CAN1", sku="VIP", payment_status="CANCELLED")
    await send(ecwid_client, "evt-can", "CAN1")
    fake_ecwid.add_order("PART1", sku="VIP", payment_status="PARTIALLY_REFUNDED")
    await send(ecwid_client, "evt-part", "PART1")
    await processed(ecwid_client)
    statuses = {o.external_id: o.status for o in await Order.filter(source=OrderSource.ECWID)}
    assert statuses == {
        "REF1": OrderStatus.REFUNDED,
        "CAN1": OrderStatus.CANCELLED,
        "PART1": OrderStatus.PARTIALLY_REFUNDED,
    }


async def test_duplicate_event_is_fetched_once(ecwid_client, fake_ecwid):
    fake_ecwid.add_order("DUP1", sku="VIP")
    first = await send(ecwid_client, "evt-dup", "DUP1")
    second = await send(ecwid_client, "evt-dup", "DUP1")
    assert (first.status, second.status) == (200, 200)
    await processed(ecwid_client)
    assert await WebhookEvent.filter(provider="ecwid").count() == 1
    gets = [r for r in fake_ecwid.requests if r[0] == "GET"]
    assert len(gets) == 1


@pytest.mark.parametrize("case", ["forged", "other-event-signed", "missing-header"])
async def test_bad_signatures_are_401_and_change_nothing(ecwid_client, fake_ecwid, case):
    fake_ecwid.add_order("SIG1", sku="VIP")
    body, headers = webhook(
        "evt-sig",
        "SIG1",
        secret="not-the-secret" if case == "forged" else ECWID_SECRET,
        signed_event_id="evt-other" if case == "other-event-signed" else None,
    )
    if case == "missing-header":
        headers = {}
    response = await ecwid_client.post(URL, data=body, headers=headers)
    assert response.status == 401
    assert await WebhookEvent.all().count() == 0
    assert fake_ecwid.requests == []


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps([1, 2]),
        json.dumps({"eventCreated": 1, "eventType": "order.created"}),
        json.dumps({"eventId": "e", "eventCreated": [1], "eventType": "order.created"}),
        json.dumps({"eventId": "e", "eventCreated": 1}),
    ],
)
async def test_malformed_bodies_are_400(ecwid_client, body):
    response = await ecwid_client.post(URL, data=body)
    assert response.status == 400
    assert await WebhookEvent.all().count() == 0


async def test_signed_order_event_without_order_id_is_400(ecwid_client):
    created = int(time.time())
    body = json.dumps({"eventId": "e1", "eventCreated": created, "eventType": "order.updated"})
    headers = {"X-Ecwid-Webhook-Signature": sign_ecwid(created, "e1", ECWID_SECRET)}
    response = await ecwid_client.post(URL, data=body, headers=headers)
    assert response.status == 400
    assert await WebhookEvent.all().count() == 0


async def test_unknown_orders_and_other_events_are_ignored(ecwid_client, fake_ecwid):
    await send(ecwid_client, "evt-unknown", "NOPE1")
    await send(ecwid_client, "evt-product", "P1", event_type="product.updated")
    await processed(ecwid_client)
    rows = {r.event_id: r.status for r in await WebhookEvent.all()}
    assert rows == {"evt-unknown": InboxStatus.IGNORED, "evt-product": InboxStatus.IGNORED}
    assert await Order.all().count() == 0


async def test_api_outage_is_retried_until_it_answers(ecwid_client, fake_ecwid):
    fake_ecwid.add_order("OUT1", sku="VIP")
    fake_ecwid.fail_next(502)
    await send(ecwid_client, "evt-out", "OUT1")
    await processed(ecwid_client)
    row = await WebhookEvent.get(event_id="evt-out")
    assert (row.status, row.attempts) == (InboxStatus.RECEIVED, 1)
    await ecwid_client.app[INBOX_WORKER].resume()
    await processed(ecwid_client)
    assert (await WebhookEvent.get(id=row.id)).status == InboxStatus.PROCESSED
    assert (await Order.get(external_id="OUT1")).status == OrderStatus.PAID


async def test_unmapped_sku_and_bad_discord_field_are_recorded_not_fulfilled(
    ecwid_client, fake_ecwid
):
    fake_ecwid.add_order("UNM1", sku="T-SHIRT", discord_user_id="not an id")
    await send(ecwid_client, "evt-unm", "UNM1")
    await processed(ecwid_client)
    order = await Order.get(external_id="UNM1")
    assert order.product_id is None and order.customer_id is None
    assert order.details["unfulfilled_skus"] == ["T-SHIRT"]
    assert order.details["discord_field_invalid"] is True


async def test_put_fulfilment_status_puts_the_fulfilment_status(ecwid_settings, http, fake_ecwid):
    fake_ecwid.add_order("FUL1")
    await put_fulfilment_status(ecwid_settings, http, "FUL1", "DELIVERED")
    assert fake_ecwid.puts == [("FUL1", {"fulfillmentStatus": "DELIVERED"})]
    assert fake_ecwid.orders["FUL1"]["fulfillmentStatus"] == "DELIVERED"
    fake_ecwid.fail_next(503)
    with pytest.raises(ProviderUnavailable):
        await put_fulfilment_status(ecwid_settings, http, "FUL1", "DELIVERED")
    with pytest.raises(ProviderUnavailable):
        await put_fulfilment_status(ecwid_settings, http, "MISSING", "DELIVERED")


_KEYS = st.sampled_from(["eventId", "eventCreated", "eventType", "storeId", "data", "entityId"])
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.dictionaries(_KEYS, _JSON) | _JSON)
async def test_arbitrary_json_is_refused_never_500(ecwid_client, body):
    response = await ecwid_client.post(URL, data=json.dumps(body))
    assert response.status in (400, 401)
    assert await WebhookEvent.all().count() == 0
