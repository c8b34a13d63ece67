"""Bad input is refused with a 4xx and changes nothing (defects 3 and 4 of "Field-hardening")."""

from __future__ import annotations

import gzip
import json
import time

import pytest

from demo.fakes.ecwid_api import sign_ecwid
from models.base import InboxStatus
from models.customers.tables import Customer
from models.inbox.tables import WebhookEvent
from models.orders.tables import Order
from tests.http.wire import exchange, request_bytes
from tests.webhooks.helpers import (
    ECWID_SECRET,
    admin_headers,
    checkout_session,
    generic_headers,
    processed,
    stripe_event,
    stripe_headers,
)

GENERIC = {
    "event_id": "e-1",
    "order_id": "o-1",
    "status": "paid",
    "product": "vip",
    "quantity": 1,
    "amount": 1000,
    "currency": "USD",
    "email": "buyer@example.com",
}


def nested(depth: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(depth):
        value = {"a": value}
    return value


async def raw_post(client, path: bytes, headers: list[tuple[bytes, bytes]], body: bytes = b""):
    return await exchange(client.port, request_bytes(b"POST", path, headers, body))


async def assert_nothing_stored() -> None:
    assert await WebhookEvent.all().count() == 0
    assert await Order.all().count() == 0


@pytest.mark.parametrize(
    ("path", "header"),
    [
        (b"/api/orders", b"Authorization: Bearer \xff\xfeadmin"),
        (b"/api/orders", b"Authorization: Bearer caf\xc3\xa9"),
        (b"/webhooks/refract", b"X-Refract-Token: \xe9\xff"),
        (b"/webhooks/generic", b"X-Signature: t=%d,v1=\xff\xfe" % int(time.time())),
        (b"/webhooks/stripe", b"Stripe-Signature: t=%d,v1=\xe9" % int(time.time())),
        (b"/webhooks/stripe", b"Stripe-Signature: t=\xff,v1=00"),
        (b"/webhooks/ecwid", b"X-Ecwid-Webhook-Signature: \xff\xfe"),
    ],
)
async def test_non_utf8_credentials_are_401_not_500(client, path, header):
    name, _, value = header.partition(b": ")
    body = json.dumps({"eventId": "e", "eventCreated": 1, "eventType": "order.created"})
    answer = await raw_post(client, path, [(name, value)], body.encode())
    assert answer.status == 401, answer
    await assert_nothing_stored()


async def test_refract_token_in_the_query_with_odd_bytes_is_401(client):
    answer = await raw_post(client, b"/webhooks/refract?token=%ff%fe", [], b"Order Number\n1")
    assert answer.status == 401, answer


@pytest.mark.parametrize("path", ["/webhooks/midtrans", "/webhooks/ecwid"])
async def test_deep_json_is_400_before_any_signature(client, path):
    response = await client.post(path, data="[" * 5000 + "]" * 5000)
    assert response.status in (400, 401)
    response = await client.post(path, data=json.dumps({"x": nested(900)})[:-1] + "}")
    assert response.status in (400, 401)


async def test_deep_signed_json_is_400_everywhere(client, stripe_fixtures):
    deep = "[" * 5000 + "]" * 5000
    generic = await client.post("/webhooks/generic", data=deep, headers=generic_headers(deep))
    stripe = await client.post("/webhooks/stripe", data=deep, headers=stripe_headers(deep))
    api = await client.post(
        "/api/orders", data=deep, headers=admin_headers(**{"Idempotency-Key": "deep-1"})
    )
    assert [generic.status, stripe.status, api.status] == [400, 400, 400]


async def test_signed_json_deeper_than_providers_send_is_400_and_the_log_still_answers(client):
    body = json.dumps({**GENERIC, "extra": nested(900)})
    response = await client.post("/webhooks/generic", data=body, headers=generic_headers(body))
    assert response.status == 400
    logs = await client.get("/api/webhooks/logs", headers=admin_headers())
    assert logs.status == 200


async def test_lone_surrogate_escape_in_signed_json_is_400(client):
    # The email pattern lets any non-space through; the database cannot store a lone surrogate.
    body = json.dumps({**GENERIC, "email": "\ud800@example.com"})
    response = await client.post("/webhooks/generic", data=body, headers=generic_headers(body))
    assert response.status == 400
    await assert_nothing_stored()


@pytest.mark.parametrize("encoding", [b"gzip", b"deflate", b"x-unknown", b"gzip, gzip"])
async def test_body_that_does_not_decode_with_its_content_encoding_is_400(client, encoding):
    body = json.dumps(GENERIC)
    headers = [(k.encode(), v.encode()) for k, v in generic_headers(body).items()]
    answer = await raw_post(
        client, b"/webhooks/generic", [*headers, (b"Content-Encoding", encoding)], body.encode()
    )
    assert answer.status == 400, answer
    await assert_nothing_stored()


async def test_gzipped_signed_body_is_accepted(client):
    body = json.dumps(GENERIC)
    headers = [(k.encode(), v.encode()) for k, v in generic_headers(body).items()]
    headers.append((b"Content-Encoding", b"gzip"))
    answer = await raw_post(client, b"/webhooks/generic", headers, gzip.compress(body.encode()))
    assert answer.status == 200, answer


@pytest.mark.parametrize("created", [10**20, -1, -(10**15), 2**63, 10**12])
async def test_stripe_event_with_absurd_created_is_400(client, stripe_fixtures, created):
    session = checkout_session(stripe_fixtures, order_id=1)
    body = stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_c")
    payload = json.loads(body)
    payload["created"] = created
    body = json.dumps(payload)
    response = await client.post("/webhooks/stripe", data=body, headers=stripe_headers(body))
    assert response.status == 400
    await assert_nothing_stored()


@pytest.mark.parametrize("ahead", [301, 3600, 365 * 86400])
async def test_stripe_signature_from_the_future_is_401(client, stripe_fixtures, ahead):
    session = checkout_session(stripe_fixtures, order_id=1)
    body = stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_f")
    headers = stripe_headers(body, timestamp=int(time.time()) + ahead)
    response = await client.post("/webhooks/stripe", data=body, headers=headers)
    assert response.status == 401
    await assert_nothing_stored()


async def test_stripe_signature_a_little_ahead_is_accepted(client, stripe_fixtures):
    session = checkout_session(stripe_fixtures, order_id=None)
    body = stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_n")
    headers = stripe_headers(body, timestamp=int(time.time()) + 60)
    response = await client.post("/webhooks/stripe", data=body, headers=headers)
    assert response.status == 200


OUT_OF_RANGE = [1 << 63, 1 << 64, 10**20, str(1 << 64)]


@pytest.mark.parametrize("user", OUT_OF_RANGE)
async def test_generic_discord_id_out_of_snowflake_range_is_400(client, user):
    body = json.dumps({**GENERIC, "discord_user_id": user})
    response = await client.post("/webhooks/generic", data=body, headers=generic_headers(body))
    assert response.status == 400
    assert "discord_user_id" in (await response.json())["error"]
    await assert_nothing_stored()


async def test_largest_snowflake_is_accepted_and_processed(client):
    body = json.dumps({**GENERIC, "discord_user_id": (1 << 63) - 1})
    response = await client.post("/webhooks/generic", data=body, headers=generic_headers(body))
    assert response.status == 200
    await processed(client)
    assert (await WebhookEvent.get(event_id="e-1")).status == InboxStatus.PROCESSED
    assert await Customer.filter(discord_id=(1 << 63) - 1).exists()


@pytest.mark.parametrize("user", OUT_OF_RANGE)
async def test_api_discord_id_out_of_snowflake_range_is_400(client, user):
    body = json.dumps({"discord_user_id": user, "product": "vip"})
    headers = admin_headers(**{"Idempotency-Key": f"range-{user}"})
    response = await client.post("/api/orders", data=body, headers=headers)
    assert response.status == 400
    assert await Order.all().count() == 0


async def test_stripe_topup_for_an_impossible_discord_id_is_400(client, stripe_fixtures):
    session = checkout_session(stripe_fixtures, order_id=None)
    session["metadata"] = {"kind": "topup", "discord_user_id": str(1 << 64)}
    body = stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_t")
    response = await client.post("/webhooks/stripe", data=body, headers=stripe_headers(body))
    assert response.status == 400
    await assert_nothing_stored()


async def test_ecwid_field_with_an_impossible_discord_id_is_recorded_without_a_user(
    client, fake_ecwid
):
    fake_ecwid.add_order("BIG1", sku="GAME-KEY", discord_user_id=str(1 << 64))
    created = int(time.time())
    body = json.dumps(
        {
            "eventId": "ev-big",
            "eventCreated": created,
            "eventType": "order.created",
            "data": {"orderId": "BIG1"},
        }
    )
    headers = {"X-Ecwid-Webhook-Signature": sign_ecwid(created, "ev-big", ECWID_SECRET)}
    assert (await client.post("/webhooks/ecwid", data=body, headers=headers)).status == 200
    await processed(client)
    row = await WebhookEvent.get(event_id="ev-big")
    assert row.status in (InboxStatus.PROCESSED, InboxStatus.IGNORED), row.error
    assert not await Customer.filter(discord_id__gte=1 << 62).exists()


async def test_midtrans_topup_ref_with_an_impossible_discord_id_is_ignored(client, fake_midtrans):
    from demo.fakes.midtrans_api import sign_notification
    from tests.webhooks.helpers import MIDTRANS_KEY

    ref = f"topup-{10**19 * 5}-0123456789ab"
    fake_midtrans.transactions[ref] = {
        "order_id": ref,
        "transaction_id": "tx-1",
        "gross_amount": "5.00",
        "currency": "USD",
        "transaction_status": "settlement",
        "fraud_status": "accept",
    }
    note = {
        "order_id": ref,
        "status_code": "200",
        "gross_amount": "5.00",
        "transaction_status": "settlement",
    }
    note["signature_key"] = sign_notification(ref, "200", "5.00", MIDTRANS_KEY)
    assert (await client.post("/webhooks/midtrans", data=json.dumps(note))).status == 200
    await processed(client)
    row = await WebhookEvent.get(provider="midtrans")
    assert row.status == InboxStatus.IGNORED, (row.status, row.error)


async def test_generic_email_longer_than_the_column_is_400_not_lost(client):
    body = json.dumps({**GENERIC, "email": "a" * 64 + "@" + "b" * 190})
    response = await client.post("/webhooks/generic", data=body, headers=generic_headers(body))
    assert response.status == 400
    await assert_nothing_stored()


async def test_refract_fields_longer_than_the_columns_are_kept_short_not_lost(client):
    from tests.webhooks.helpers import REFRACT_TOKEN

    text = f"Successful Checkout\nOrder Number\nR-9\nEmail\n{'$9' * 300}\nProduct\n{'P' * 900}"
    response = await client.post(
        "/webhooks/refract", data=text, headers={"X-Refract-Token": REFRACT_TOKEN}
    )
    assert response.status == 200
    await processed(client)
    row = await WebhookEvent.get(provider="refract")
    assert row.status == InboxStatus.PROCESSED, row.error
    order = await Order.get(external_id="R-9")
    assert order.email is None and len(order.product_name) <= 255


async def test_midtrans_notification_for_an_order_id_the_shop_never_made_is_ignored(
    client, fake_midtrans
):
    from demo.fakes.midtrans_api import sign_notification
    from tests.webhooks.helpers import MIDTRANS_KEY

    ref = '?x/"y'
    note = {
        "order_id": ref,
        "status_code": "200",
        "gross_amount": "5.00",
        "transaction_status": "settlement",
    }
    note["signature_key"] = sign_notification(ref, "200", "5.00", MIDTRANS_KEY)
    assert (await client.post("/webhooks/midtrans", data=json.dumps(note))).status == 200
    await processed(client)
    row = await WebhookEvent.get(provider="midtrans")
    assert row.status == InboxStatus.IGNORED, (row.status, row.error)
    assert fake_midtrans.requests == []
