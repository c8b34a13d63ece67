"""Stripe in disorder: any permutation of a checkout's events, with repeats, ends like in order.

Charge and dispute events name the order only by its payment intent when their metadata has
no order id; arriving before the session event they wait for a retry (settle_inbox).
"""

from __future__ import annotations

import copy
import itertools
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from models.base import PaymentMethod
from models.customers.tables import Customer
from models.orders.purchases import start_checkout
from models.stock.cipher import StockCipher
from models.stock.restock import add_stock
from tests.webhooks.disorder import PROPERTY, CleanRuns, ends_like, noisy, settle_inbox
from tests.webhooks.helpers import BUYER, checkout_session, stripe_event, stripe_headers

CIPHER = StockCipher((Fernet.generate_key().decode(),))
PATHS = {
    "paid": ["completed"],
    "async-paid": ["completed-unpaid", "async-succeeded"],
    "async-failed": ["completed-unpaid", "async-failed"],
    "expired": ["expired"],
}
# After a payment, in the order they would happen.
FOLLOW_UPS = ["refund-partial", "dispute-created", "dispute-closed", "refund-full"]
_SESSION = {
    "completed": ("checkout.session.completed", "paid"),
    "completed-unpaid": ("checkout.session.completed", "unpaid"),
    "async-succeeded": ("checkout.session.async_payment_succeeded", "paid"),
    "async-failed": ("checkout.session.async_payment_failed", "unpaid"),
    "expired": ("checkout.session.expired", "unpaid"),
}
_ids = itertools.count(1)


@pytest.fixture
def clean_runs() -> CleanRuns:
    return CleanRuns()


async def post(client, body: str) -> None:
    response = await client.post("/webhooks/stripe", data=body, headers=stripe_headers(body))
    assert response.status == 200, await response.text()


@st.composite
def stories(draw: st.DrawFn) -> list[str]:
    path = draw(st.sampled_from(sorted(PATHS)))
    events = list(PATHS[path])
    if path in ("paid", "async-paid"):
        follow = draw(st.lists(st.sampled_from(FOLLOW_UPS), max_size=3, unique=True))
        if "dispute-closed" in follow and "dispute-created" not in follow:
            follow.append("dispute-created")
        events += sorted(follow, key=FOLLOW_UPS.index)
    return events


def event_body(fixtures, name: str, order_id: int, amount: int, tag: str, carry: bool) -> str:
    """The Stripe event `name` for this order; `carry`: charges carry the order id."""
    intent = f"pi_{tag}"
    if name in _SESSION:
        event_type, payment_status = _SESSION[name]
        obj = checkout_session(
            fixtures,
            order_id=order_id,
            payment_status=payment_status,
            id=f"cs_{tag}",
            payment_intent=intent,
            amount_total=amount,
            amount_subtotal=amount,
        )
        if name == "expired":
            obj["status"] = "expired"
    elif name.startswith("refund"):
        event_type, obj = "charge.refunded", copy.deepcopy(fixtures["charge"])
        full = name == "refund-full"
        obj.update(amount=amount, amount_captured=amount, captured=True, payment_intent=intent)
        obj.update(amount_refunded=amount if full else 200, refunded=full)
    else:
        event_type = f"charge.{name.replace('-', '.')}"
        obj = copy.deepcopy(fixtures["dispute"])
        obj.update(payment_intent=intent, status="needs_response")
        if name == "dispute-closed":
            obj["status"] = "won" if tag.endswith("w") else "lost"
    if carry and name not in _SESSION:
        obj["metadata"] = {"order_id": str(order_id)}
    return stripe_event(fixtures, event_type, obj, event_id=f"evt_{tag}_{name}")


@PROPERTY
@given(
    story=stories(),
    product=st.sampled_from(["game-key", "vip"]),
    won=st.booleans(),
    carry=st.booleans(),
    data=st.data(),
)
async def test_any_order_with_repeats_ends_like_in_order(
    client, stripe_fixtures, clean_runs, story, product, won, carry, data
) -> None:
    n = next(_ids)
    run = noisy(data, story, 3)

    async def play(name: str, buyer: int, events: list[str]) -> int:
        if product == "game-key":
            await add_stock(product, [f"S-{name}"], CIPHER)
        order = await start_checkout(
            buyer,
            product,
            payment_method=PaymentMethod.STRIPE,
            reference=name,
            expires_at=datetime.now(UTC) + timedelta(minutes=30),
        )
        tag = f"{name}{'w' if won else 'l'}"
        for event in events:
            body = event_body(stripe_fixtures, event, order.id, order.amount, tag, carry)
            await post(client, body)
        await settle_inbox(client)
        return order.id

    key = (tuple(story), product, won, carry)
    expected = await clean_runs.state(key, lambda: play(f"c{n}", BUYER + 2 * n, story))
    await ends_like(expected, await play(f"n{n}", BUYER + 2 * n + 1, run))


@PROPERTY
@given(
    story=st.sampled_from([["completed"], ["completed-unpaid", "async-succeeded"]]), data=st.data()
)
async def test_topup_events_in_any_order_credit_once(client, stripe_fixtures, story, data) -> None:
    n = next(_ids)
    buyer = BUYER + 10_000 + n
    session = checkout_session(stripe_fixtures, order_id=None, id=f"cs_top{n}", amount_total=2500)
    session["metadata"] = {"kind": "topup", "discord_user_id": str(buyer)}
    for name in noisy(data, story, 3):
        event_type, payment_status = _SESSION[name]
        obj = dict(session, payment_status=payment_status)
        body = stripe_event(stripe_fixtures, event_type, obj, event_id=f"evt_top{n}_{name}")
        await post(client, body)
    await settle_inbox(client)
    assert (await Customer.get(discord_id=buyer)).balance == 2500
