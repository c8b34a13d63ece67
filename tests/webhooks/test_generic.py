"""The generic signed webhook: X-Signature over "t.body", SPEC §6 JSON, upsert by order_id."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from models.base import InboxStatus, OrderSource, OrderStatus
from models.catalog.tables import Product
from models.inbox.tables import WebhookEvent
from models.orders.tables import Order, OrderEvent
from tests.webhooks.helpers import BUYER, GENERIC_SECRET, generic_headers, processed
from webhooks.generic import sign_generic
from webhooks.intake import hmac_sha256_hex

URL = "/webhooks/generic"


def event(event_id: str, status: str, order_id: str = "ext-1", **fields) -> str:
    body = {"event_id": event_id, "order_id": order_id, "status": status, **fields}
    return json.dumps(body)


FIRST = {
    "discord_user_id": str(BUYER),
    "product": "vip",
    "quantity": 1,
    "amount": 1000,
    "currency": "USD",
    "email": "buyer@example.com",
}


async def send(client, body: str, **options):
    return await client.post(URL, data=body, headers=generic_headers(body, **options))


async def test_first_event_creates_and_later_events_need_only_ids(client):
    assert (await send(client, event("g1", "paid", **FIRST))).status == 200
    assert (await send(client, event("g2", "refunded"))).status == 200
    await processed(client)
    order = await Order.get(source=OrderSource.GENERIC, external_id="ext-1")
    assert order.status == OrderStatus.REFUNDED
    assert order.amount == 1000 and order.email == "buyer@example.com"
    assert await OrderEvent.filter(order_id=order.id).count() == 2


async def test_first_event_without_order_fields_is_422_naming_them_and_stores_nothing(client):
    answer = await send(client, event("n1", "paid", product="vip", quantity=1))
    assert answer.status == 422
    message = (await answer.json())["error"]
    assert "missing: amount, currency, discord_user_id or email (the buyer)" in message
    assert "retry" in message
    minimal = await send(client, event("n2", "paid"))
    assert minimal.status == 422
    assert "missing: product, quantity, amount, currency" in (await minimal.json())["error"]
    assert await WebhookEvent.all().count() == 0
    assert await Order.all().count() == 0


async def test_minimal_event_before_the_first_is_accepted_when_retried_after_it(client):
    early = event("m2", "refunded", order_id="ext-m")
    assert (await send(client, early)).status == 422
    assert (await send(client, event("m1", "paid", order_id="ext-m", **FIRST))).status == 200
    await processed(client)
    assert (await send(client, early)).status == 200
    await processed(client)
    assert (await Order.get(external_id="ext-m")).status == OrderStatus.REFUNDED


async def test_minimal_event_is_accepted_while_the_first_waits_in_the_inbox(client):
    await WebhookEvent.create(
        provider="generic",
        event_id="w1",
        event_type="order.paid",
        raw_body=event("w1", "paid", order_id="ext-w", **FIRST),
    )
    other = dict(FIRST, amount=None)  # an incomplete first event of another order: no help
    await WebhookEvent.create(
        provider="generic",
        event_id="x1",
        event_type="order.paid",
        raw_body=event("x1", "paid", order_id="ext-w2", **other),
    )
    assert (await send(client, event("w2", "refunded", order_id="ext-w"))).status == 200
    assert (await send(client, event("x2", "refunded", order_id="ext-w2"))).status == 422
    assert (await send(client, event("x3", "refunded", order_id="ext-"))).status == 422


@pytest.mark.parametrize("order_id", ["a%b", "a_b", "a\\b", 'a"b', "100"])
async def test_odd_order_ids_find_their_first_event_in_the_inbox(client, order_id):
    # Kept in the inbox, not processed yet: the minimal event must find it by its order id.
    await WebhookEvent.create(
        provider="generic",
        event_id="f1",
        event_type="order.paid",
        raw_body=event("f1", "paid", order_id=order_id, **FIRST),
    )
    assert (await send(client, event("f2", "refunded", order_id=order_id))).status == 200
    assert (await send(client, event("f3", "refunded", order_id=order_id + "x"))).status == 422


async def test_out_of_order_refund_then_payment_ends_refunded(client):
    await send(client, event("o2", "refunded", order_id="ext-ooo", **FIRST))
    await send(client, event("o1", "paid", order_id="ext-ooo", **FIRST))
    await processed(client)
    assert (await Order.get(external_id="ext-ooo")).status == OrderStatus.REFUNDED


async def test_duplicate_event_id_is_processed_once(client):
    body = event("dup-1", "paid", **FIRST)
    first, second = await send(client, body), await send(client, body)
    assert (first.status, second.status) == (200, 200)
    assert (await second.json())["duplicate"] is True
    await processed(client)
    assert await WebhookEvent.filter(provider="generic").count() == 1
    assert await OrderEvent.all().count() == 1


def _header(case: str, body: str) -> dict[str, str]:
    now = int(time.time())
    good = hmac_sha256_hex(GENERIC_SECRET, f"{now}.{body}")
    return {
        "forged": {"X-Signature": sign_generic(body, "other-secret")},
        "stale": {"X-Signature": sign_generic(body, GENERIC_SECRET, now - 301)},
        "future": {"X-Signature": sign_generic(body, GENERIC_SECRET, now + 301)},
        "missing": {},
        "no-timestamp": {"X-Signature": f"v1={good}"},
        "garbage": {"X-Signature": "hello"},
        "body-changed": {"X-Signature": sign_generic(body + " ", GENERIC_SECRET)},
    }[case]


@pytest.mark.parametrize(
    "case", ["forged", "stale", "future", "missing", "no-timestamp", "garbage", "body-changed"]
)
async def test_bad_signatures_are_401_and_change_nothing(client, case):
    body = event("bad", "paid", **FIRST)
    response = await client.post(URL, data=body, headers=_header(case, body))
    assert response.status == 401
    assert await WebhookEvent.all().count() == 0
    assert await Order.all().count() == 0


async def test_any_matching_v1_is_accepted(client):
    body = event("multi", "paid", **FIRST)
    now = int(time.time())
    header = f"t={now},v1={'0' * 64},v1={hmac_sha256_hex(GENERIC_SECRET, f'{now}.{body}')}"
    response = await client.post(URL, data=body, headers={"X-Signature": header})
    assert response.status == 200


@pytest.mark.parametrize(
    "body",
    [
        "{nope",
        json.dumps(["event_id"]),
        json.dumps({"order_id": "x", "status": "paid"}),
        json.dumps({"event_id": "e", "status": "paid"}),
        json.dumps({"event_id": "e", "order_id": "x"}),
        json.dumps({"event_id": "e", "order_id": "x", "status": "shipped"}),
        json.dumps({"event_id": "e", "order_id": "x", "status": "paid", "quantity": 0}),
        json.dumps({"event_id": "e", "order_id": "x", "status": "paid", "amount": 1.5}),
        json.dumps({"event_id": "e", "order_id": "x", "status": "paid", "currency": "usd"}),
        json.dumps({"event_id": "e", "order_id": "x", "status": "paid", "discord_user_id": "me"}),
        json.dumps({"event_id": "e", "order_id": "x", "status": "paid", "product": "nope"}),
        json.dumps({"event_id": "e", "order_id": "x", "status": "paid", "email": "no-at-sign"}),
        json.dumps({"event_id": "", "order_id": "x", "status": "paid"}),
    ],
)
async def test_malformed_signed_bodies_are_400(client, body):
    response = await send(client, body)
    assert response.status == 400
    assert await WebhookEvent.all().count() == 0


async def test_oversized_body_is_413(client, settings):
    body = event("big", "paid", padding="x" * settings.max_body_bytes)
    response = await send(client, body)
    assert response.status == 413
    assert await WebhookEvent.all().count() == 0


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=12), st.lists(st.integers())
)
_KEYS = st.sampled_from(
    ["event_id", "order_id", "status", "discord_user_id", "product", "quantity", "amount"]
)


@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.dictionaries(_KEYS, _VALUES | st.sampled_from(["paid", "vip", "refunded"])))
# Well formed but minimal, for an order the shop does not know: the SPEC's 422 (hypothesis
# found it on main; the keys above never include currency, so no body here is a first event).
@example(body={"event_id": 0, "status": "paid", "order_id": 0})
async def test_signed_arbitrary_objects_are_200_or_400_or_422_never_500(client, body):
    stored_before = await WebhookEvent.all().count()
    response = await send(client, json.dumps(body))
    assert response.status in (200, 400, 422)
    if response.status == 422:
        assert "is not known yet" in (await response.json())["error"]
        assert await WebhookEvent.all().count() == stored_before
    if response.status == 200:
        await processed(client)
        assert await WebhookEvent.filter(status=InboxStatus.FAILED).count() == 0


async def test_a_product_added_in_discord_can_be_sold_through_the_webhook(client):
    """The catalog is the database (config.toml only seeds it): /admin product add works
    for every way in, not only the Discord shop."""
    await Product.create(key="pass-day", name="Day pass", kind="role", price=300, currency="USD")
    body = event("d1", "paid", "ext-day", **dict(FIRST, product="pass-day", amount=300))
    assert (await send(client, body)).status == 200
    await processed(client)
    order = await Order.get(source=OrderSource.GENERIC, external_id="ext-day")
    assert order.status in (OrderStatus.PAID, OrderStatus.DELIVERED)
    unknown = event("d2", "paid", "ext-none", **dict(FIRST, product="pass-none"))
    assert (await send(client, unknown)).status == 400
