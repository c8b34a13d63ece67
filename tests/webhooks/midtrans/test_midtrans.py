"""Midtrans QRIS: charges through the fake Core API, notifications confirmed by GET status."""

from __future__ import annotations

import dataclasses
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from demo.fakes.midtrans_api import sign_notification
from models.base import InboxStatus, OrderStatus, PaymentMethod
from models.customers.tables import Customer, WalletTransaction
from models.inbox.tables import WebhookEvent
from models.orders.actions import attach_checkout
from models.orders.purchases import start_checkout
from models.orders.tables import Order
from settings import ProductConfig
from tests.webhooks.helpers import BUYER, MIDTRANS_KEY, processed
from webhooks.app import INBOX_WORKER
from webhooks.errors import ProviderRefused
from webhooks.midtrans.client import create_qris_charge, new_topup_ref, order_ref_for

URL = "/webhooks/midtrans"
PULSA = ProductConfig(
    key="pulsa", name="Pulsa 50k", kind="role", price=5_000_000, currency="IDR", low_stock=0
)


@pytest.fixture
def idr_settings(settings):
    """A shop selling in rupiah whose wallets are kept in rupiah, as a QRIS shop runs."""
    return dataclasses.replace(settings, products=(PULSA,), wallet_currency="IDR")


@pytest.fixture
async def idr_client(make_client, idr_settings):
    return await make_client(idr_settings)


async def qris_order(settings, http) -> tuple[Order, str]:
    order = await start_checkout(
        BUYER,
        "pulsa",
        payment_method=PaymentMethod.MIDTRANS,
        reference=f"qris-{time.monotonic_ns()}",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
    )
    ref = order_ref_for(order.id, order.number)
    charge = await create_qris_charge(
        settings, http, order_ref=ref, amount=order.amount, currency=order.currency
    )
    await attach_checkout(order.id, checkout_id=ref, payment_ref=charge.transaction_id)
    return order, ref


async def notify(client, body: dict):
    return await client.post(
        URL, data=json.dumps(body), headers={"Content-Type": "application/json"}
    )


async def test_charge_is_a_qris_core_api_call_with_a_png(
    idr_client, idr_settings, http, fake_midtrans
):
    _, ref = await qris_order(idr_settings, http)
    body = fake_midtrans.charge_bodies[0]
    assert body["payment_type"] == "qris"
    assert body["transaction_details"] == {"order_id": ref, "gross_amount": 50_000}
    charge = await create_qris_charge(
        idr_settings, http, order_ref="order-999-SR-XXXXXX", amount=1_000_000
    )
    assert charge.qr_png.startswith(b"\x89PNG\r\n\x1a\n")
    assert charge.qr_url.endswith("/qr-code")
    assert charge.qr_string.startswith("000201")


async def test_charge_refuses_other_currencies_and_fractions(idr_settings, http, fake_midtrans):
    with pytest.raises(ProviderRefused):
        await create_qris_charge(idr_settings, http, order_ref="t-1", amount=500, currency="USD")
    with pytest.raises(ProviderRefused):
        await create_qris_charge(idr_settings, http, order_ref="t-2", amount=1_000_050)
    assert fake_midtrans.requests == []


async def test_settlement_is_confirmed_by_status_then_paid(
    idr_client, idr_settings, http, fake_midtrans
):
    order, ref = await qris_order(idr_settings, http)
    fake_midtrans.set_status(ref, "settlement")
    response = await notify(idr_client, fake_midtrans.notification(ref))
    assert response.status == 200
    await processed(idr_client)
    assert ("GET", f"/v2/{ref}/status") in fake_midtrans.requests
    assert (await Order.get(id=order.id)).status == OrderStatus.PAID


async def test_notification_is_not_trusted_over_the_status_api(
    idr_client, idr_settings, http, fake_midtrans
):
    order, ref = await qris_order(idr_settings, http)
    fake_midtrans.set_status(ref, "settlement")
    claim = fake_midtrans.notification(ref)
    fake_midtrans.set_status(ref, "pending")  # Midtrans itself says: not paid
    assert (await notify(idr_client, claim)).status == 200
    await processed(idr_client)
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING


@pytest.mark.parametrize("case", ["forged", "reformatted-amount", "missing-field", "not-json"])
async def test_rejected_notifications_change_nothing(
    idr_client, idr_settings, http, fake_midtrans, case
):
    order, ref = await qris_order(idr_settings, http)
    fake_midtrans.set_status(ref, "settlement")
    body = fake_midtrans.notification(ref, key="SB-Mid-server-other" if case == "forged" else None)
    if case == "reformatted-amount":
        # The signature covers the exact string "50000.00"; "50000" is another message.
        body["signature_key"] = sign_notification(ref, "200", "50000", MIDTRANS_KEY)
    if case == "missing-field":
        del body["status_code"]
    raw = "{oops" if case == "not-json" else json.dumps(body)
    response = await idr_client.post(URL, data=raw)
    assert response.status == (401 if case in ("forged", "reformatted-amount") else 400)
    assert await WebhookEvent.all().count() == 0
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING


async def test_expire_deny_and_refund_statuses(idr_client, idr_settings, http, fake_midtrans):
    expired, expired_ref = await qris_order(idr_settings, http)
    denied, denied_ref = await qris_order(idr_settings, http)
    refunded, refunded_ref = await qris_order(idr_settings, http)
    fake_midtrans.set_status(expired_ref, "expire")
    fake_midtrans.set_status(denied_ref, "deny")
    fake_midtrans.set_status(refunded_ref, "settlement")
    for ref in (expired_ref, denied_ref, refunded_ref):
        assert (await notify(idr_client, fake_midtrans.notification(ref))).status == 200
    await processed(idr_client)
    fake_midtrans.set_status(refunded_ref, "refund")
    assert (await notify(idr_client, fake_midtrans.notification(refunded_ref))).status == 200
    await processed(idr_client)
    assert (await Order.get(id=expired.id)).status == OrderStatus.EXPIRED
    assert (await Order.get(id=denied.id)).status == OrderStatus.FAILED
    assert (await Order.get(id=refunded.id)).status == OrderStatus.REFUNDED


async def test_topup_notification_three_times_credits_once(
    idr_client, idr_settings, http, fake_midtrans
):
    ref = new_topup_ref(BUYER)
    await create_qris_charge(idr_settings, http, order_ref=ref, amount=2_500_000)
    fake_midtrans.set_status(ref, "settlement")
    answers = [await notify(idr_client, fake_midtrans.notification(ref)) for _ in range(3)]
    assert [a.status for a in answers] == [200, 200, 200]
    assert [(await a.json())["duplicate"] for a in answers] == [False, True, True]
    await processed(idr_client)
    customer = await Customer.get(discord_id=BUYER)
    assert customer.balance == 2_500_000
    assert await WalletTransaction.filter(customer_id=customer.id).count() == 1


async def test_topup_in_another_currency_than_the_wallet_is_not_credited(
    client, settings, http, fake_midtrans
):
    ref = new_topup_ref(BUYER)  # wallets in USD, the QRIS payment in IDR
    await create_qris_charge(settings, http, order_ref=ref, amount=2_500_000)
    fake_midtrans.set_status(ref, "settlement")
    await notify(client, fake_midtrans.notification(ref))
    await processed(client)
    row = await WebhookEvent.get(provider="midtrans")
    assert row.status == InboxStatus.IGNORED
    assert "wallets are kept in USD" in row.error
    assert await WalletTransaction.all().count() == 0


async def test_status_api_outage_is_retried(idr_client, idr_settings, http, fake_midtrans):
    order, ref = await qris_order(idr_settings, http)
    fake_midtrans.set_status(ref, "settlement")
    fake_midtrans.fail_next(503)
    assert (await notify(idr_client, fake_midtrans.notification(ref))).status == 200
    await processed(idr_client)
    row = await WebhookEvent.get(provider="midtrans")
    assert (row.status, row.attempts) == (InboxStatus.RECEIVED, 1)
    assert "503" in row.error
    await idr_client.app[INBOX_WORKER].resume()
    await processed(idr_client)
    assert (await WebhookEvent.get(id=row.id)).status == InboxStatus.PROCESSED
    assert (await Order.get(id=order.id)).status == OrderStatus.PAID


async def test_unknown_order_at_midtrans_is_ignored(idr_client, fake_midtrans):
    gross = "10000.00"
    body = {
        "order_id": "order-1-SR-NOPE00",
        "status_code": "200",
        "gross_amount": gross,
        "transaction_status": "settlement",
        "fraud_status": "accept",
        "signature_key": sign_notification("order-1-SR-NOPE00", "200", gross, MIDTRANS_KEY),
    }
    assert (await notify(idr_client, body)).status == 200
    await processed(idr_client)
    row = await WebhookEvent.get(provider="midtrans")
    assert row.status == InboxStatus.IGNORED


_FIELDS = st.sampled_from(
    ["order_id", "status_code", "gross_amount", "signature_key", "transaction_status", "x"]
)
_VALUES = st.one_of(st.none(), st.integers(), st.text(max_size=20), st.lists(st.integers()))


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.dictionaries(_FIELDS, _VALUES) | st.lists(st.integers()) | st.text(max_size=50))
async def test_malformed_notifications_are_refused_never_500(idr_client, body):
    response = await idr_client.post(URL, data=json.dumps(body))
    assert response.status in (400, 401)
    assert await WebhookEvent.all().count() == 0
