"""Ecwid in disorder: webhooks shuffled and repeated end like prompt in-order delivery.

Each webhook makes the shop fetch the order, so a late one applies what the order is when it
is processed: never older than the webhook, never going back. When the shop only ever sees
a paid order as CANCELLED it cannot know it was paid: then the payment's history (paid_at, the
buyer's total, the "paid after cancellation" flag) is not compared, everything else is.
"""

from __future__ import annotations

import dataclasses
import itertools
import json

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from demo.fakes.ecwid_api import FakeEcwid, sign_ecwid
from models.base import OrderSource
from models.orders.tables import Order
from models.stock.cipher import StockCipher
from models.stock.restock import add_stock
from tests.webhooks.disorder import PROPERTY, CleanRuns, ends_like, noisy, settle_inbox
from tests.webhooks.helpers import BUYER, ECWID_SECRET, ECWID_STORE, processed

CIPHER = StockCipher((Fernet.generate_key().decode(),))
STORIES = [
    ["AWAITING_PAYMENT", "PAID", "PARTIALLY_REFUNDED", "REFUNDED"],
    ["AWAITING_PAYMENT", "PAID", "REFUNDED"],
    ["AWAITING_PAYMENT", "PAID", "PARTIALLY_REFUNDED"],
    ["PAID", "CANCELLED"],
    ["AWAITING_PAYMENT", "CANCELLED"],
    ["AWAITING_PAYMENT", "PAID"],
    ["PAID"],
]
_ids = itertools.count(1)


@pytest.fixture
def clean_runs() -> CleanRuns:
    return CleanRuns()


@pytest.fixture
async def ecwid_client(make_client, settings):
    ecwid = dataclasses.replace(settings.ecwid, product_map={"GAME-KEY": "game-key", "VIP": "vip"})
    return await make_client(dataclasses.replace(settings, ecwid=ecwid))


def webhook(event_id: str, order_id: str, event_type: str) -> tuple[str, dict[str, str]]:
    body = {
        "eventId": event_id,
        "eventCreated": 1_790_000_000,
        "storeId": int(ECWID_STORE),
        "entityId": 987654,
        "eventType": event_type,
        "data": {"orderId": order_id},
    }
    signature = sign_ecwid(1_790_000_000, event_id, ECWID_SECRET)
    return json.dumps(body), {"X-Ecwid-Webhook-Signature": signature}


async def deliver(client, fake: FakeEcwid, order_id: str, story: list[str], plan) -> None:
    """Sends webhook i of `story` for each (i, now) in `plan`, with the order's payment status
    at story[now] while it is processed."""
    for i, now in plan:
        fake.orders[order_id]["paymentStatus"] = story[now]
        event_type = "order.created" if i == 0 else "order.updated"
        body, headers = webhook(f"{order_id}-{i}", order_id, event_type)
        response = await client.post("/webhooks/ecwid", data=body, headers=headers)
        assert response.status == 200, await response.text()
        await processed(client)
    await settle_inbox(client)


@PROPERTY
@given(
    story=st.sampled_from(STORIES),
    item=st.sampled_from([("GAME-KEY", 1), ("GAME-KEY", 2), ("VIP", 1), ("OTHER", 1)]),
    data=st.data(),
)
async def test_any_order_with_repeats_ends_like_in_order(
    ecwid_client, fake_ecwid, clean_runs, story, item, data
) -> None:
    sku, quantity = item
    n = next(_ids)
    plan, now = [], 0
    for i in noisy(data, list(range(len(story))), 3):
        now = data.draw(st.integers(max(now, i), len(story) - 1), label="status now")
        plan.append((i, now))

    async def play(name: str, buyer: int, schedule: list[tuple[int, int]]) -> int:
        if sku == "GAME-KEY":
            await add_stock("game-key", [f"E-{name}-{i}" for i in range(quantity)], CIPHER)
        fake_ecwid.add_order(
            name, sku=sku, quantity=quantity, discord_user_id=str(buyer), total=5.0 * quantity
        )
        await deliver(ecwid_client, fake_ecwid, name, story, schedule)
        return (await Order.get(source=OrderSource.ECWID, external_id=name)).id

    clean = [(i, i) for i in range(len(story))]
    expected = await clean_runs.state(
        (tuple(story), item), lambda: play(f"c{n}", BUYER + 2 * n, clean)
    )
    seen = {story[now] for _, now in plan}
    unseen_payment = "PAID" in story and not seen & {"PAID", "PARTIALLY_REFUNDED", "REFUNDED"}
    ignore = ("paid", "total_spent", "needs_attention") if unseen_payment else ()
    await ends_like(expected, await play(f"n{n}", BUYER + 2 * n + 1, plan), ignore)
