"""Midtrans in disorder: notifications shuffled and repeated end like prompt in-order delivery.

The shop trusts GET status, not the notification, so what a late notification applies is the
transaction's status when it is processed: never older than the notification, never going
back. The clean run processes each notification while its status is current.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from demo.fakes.midtrans_api import FakeMidtrans
from models.base import OrderStatus, PaymentMethod
from models.customers.tables import Customer
from models.orders.actions import attach_checkout
from models.orders.purchases import start_checkout
from models.stock.cipher import StockCipher
from models.stock.restock import add_stock
from settings import ProductConfig
from tests.webhooks.disorder import (
    PROPERTY,
    CleanRuns,
    ends_like,
    final_state,
    noisy,
    settle_inbox,
)
from tests.webhooks.helpers import BUYER, processed
from webhooks.midtrans.client import create_qris_charge, new_topup_ref, order_ref_for

CIPHER = StockCipher((Fernet.generate_key().decode(),))
PRODUCTS = (
    ProductConfig(key="pulsa", name="Pulsa", kind="role", price=5_000_000, currency="IDR"),
    ProductConfig(key="voucher", name="Voucher", kind="code", price=2_000_000, currency="IDR"),
)
PATHS = [["pending", "expire"], ["pending", "deny"], ["pending", "cancel"], ["pending"]]
# After a settlement, in the order they would happen.
FOLLOW_UPS = ["partial_refund", "chargeback", "refund"]
_ids = itertools.count(1)


@pytest.fixture
def clean_runs() -> CleanRuns:
    return CleanRuns()


@pytest.fixture
def idr_settings(settings):
    return dataclasses.replace(settings, products=PRODUCTS, wallet_currency="IDR")


@pytest.fixture
async def idr_client(make_client, idr_settings):
    return await make_client(idr_settings)


@st.composite
def stories(draw: st.DrawFn) -> list[str]:
    if draw(st.booleans()):
        return list(draw(st.sampled_from(PATHS)))
    start = draw(st.sampled_from([["pending", "settlement"], ["settlement"]]))
    follow = draw(st.lists(st.sampled_from(FOLLOW_UPS), max_size=2, unique=True))
    return start + sorted(follow, key=FOLLOW_UPS.index)


def set_state(fake: FakeMidtrans, ref: str, status: str) -> None:
    fake.set_status(ref, status)
    if status == "partial_refund":
        fake.transactions[ref]["refund_amount"] = "5000.00"


async def deliver(client, fake: FakeMidtrans, ref: str, story: list[str], plan) -> None:
    """Sends notification i of `story` for each (i, now) in `plan`, with the transaction's
    status at story[now] while it is processed."""
    bodies = []
    for status in story:
        set_state(fake, ref, status)
        bodies.append(json.dumps(fake.notification(ref)))
    for i, now in plan:
        set_state(fake, ref, story[now])
        response = await client.post("/webhooks/midtrans", data=bodies[i])
        assert response.status == 200, await response.text()
        await processed(client)
    await settle_inbox(client)


def late_plan(data: st.DataObject, story: list[str]) -> list[tuple[int, int]]:
    """A shuffled schedule with repeats; the status moves on but never back."""
    plan, now = [], 0
    for i in noisy(data, list(range(len(story))), 3):
        now = data.draw(st.integers(max(now, i), len(story) - 1), label="status now")
        plan.append((i, now))
    return plan


async def qris_checkout(settings, http, name: str, buyer: int, product: str) -> tuple[int, str]:
    if product == "voucher":
        await add_stock(product, [f"M-{name}"], CIPHER)
    order = await start_checkout(
        buyer,
        product,
        payment_method=PaymentMethod.MIDTRANS,
        reference=name,
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
    )
    ref = order_ref_for(order.id, order.number)
    charge = await create_qris_charge(settings, http, order_ref=ref, amount=order.amount)
    await attach_checkout(order.id, checkout_id=ref, payment_ref=charge.transaction_id)
    return order.id, ref


async def test_a_partial_refund_processed_after_a_chargeback_is_kept(
    idr_client, idr_settings, http, fake_midtrans
) -> None:
    """Found by the property below: the refund notification, processed once the status had
    moved on to chargeback, lost the refunded amount that in order was recorded."""
    story = ["settlement", "partial_refund", "chargeback"]
    clean_id, clean_ref = await qris_checkout(idr_settings, http, "pr-c", BUYER, "pulsa")
    await deliver(idr_client, fake_midtrans, clean_ref, story, [(0, 0), (1, 1), (2, 2)])
    late_id, late_ref = await qris_checkout(idr_settings, http, "pr-n", BUYER + 1, "pulsa")
    await deliver(idr_client, fake_midtrans, late_ref, story, [(0, 0), (1, 2), (2, 2)])
    expected = await final_state(clean_id)
    assert (expected["status"], expected["refunded_amount"]) == (OrderStatus.DISPUTED, 500_000)
    await ends_like(expected, late_id)


@PROPERTY
@given(story=stories(), product=st.sampled_from(["pulsa", "voucher"]), data=st.data())
async def test_any_order_with_repeats_ends_like_in_order(
    idr_client, idr_settings, http, fake_midtrans, clean_runs, story, product, data
) -> None:
    n = next(_ids)
    plan = late_plan(data, story)

    async def play(name: str, buyer: int, schedule: list[tuple[int, int]]) -> int:
        order_id, ref = await qris_checkout(idr_settings, http, name, buyer, product)
        await deliver(idr_client, fake_midtrans, ref, story, schedule)
        return order_id

    clean = [(i, i) for i in range(len(story))]
    expected = await clean_runs.state(
        (tuple(story), product), lambda: play(f"c{n}", BUYER + 2 * n, clean)
    )
    await ends_like(expected, await play(f"n{n}", BUYER + 2 * n + 1, plan))


@PROPERTY
@given(story=st.sampled_from([["settlement"], ["pending", "settlement"]]), data=st.data())
async def test_topup_notifications_in_any_order_credit_once(
    idr_client, idr_settings, http, fake_midtrans, story, data
) -> None:
    buyer = BUYER + 10_000 + next(_ids)
    ref = new_topup_ref(buyer)
    await create_qris_charge(idr_settings, http, order_ref=ref, amount=2_500_000)
    await deliver(idr_client, fake_midtrans, ref, story, late_plan(data, story))
    assert (await Customer.get(discord_id=buyer)).balance == 2_500_000
