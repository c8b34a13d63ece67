"""Refract and POST /api/orders in disorder: shuffled, repeated requests end like in order.

Refract messages are upserted by order number; later ones may carry only the order number
and a status (the order's product, price and quantity are in the first).
"""

from __future__ import annotations

import itertools
import json

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from models.base import OrderSource
from models.orders.tables import Order
from models.stock.cipher import StockCipher
from models.stock.restock import add_stock
from tests.webhooks.disorder import PROPERTY, CleanRuns, ends_like, noisy, settle_inbox
from tests.webhooks.helpers import ADMIN_TOKEN, BUYER, REFRACT_TOKEN

CIPHER = StockCipher((Fernet.generate_key().decode(),))
# Status words in the order a real checkout goes through them.
CHRONOLOGY = ["pending", "declined", "processing", "shipped", "cancelled", "refunded"]
_ids = itertools.count(1)


@pytest.fixture
def clean_runs() -> CleanRuns:
    return CleanRuns()


def refract_message(number: str, status: str, full: bool, quantity: int) -> str:
    lines = ["Successful Checkout | Store"] if status == "processing" else ["Order Update"]
    if full:
        lines += ["Product", "Test Product", "Price", "$12.50", "Quantity", str(quantity)]
    lines += ["Order Number", f"#{number}", "Status", status]
    return "\n".join(lines) + "\n"


@PROPERTY
@given(
    statuses=st.lists(st.sampled_from(CHRONOLOGY), min_size=1, max_size=4, unique=True),
    minimal=st.booleans(),
    quantity=st.integers(1, 3),
    data=st.data(),
)
async def test_refract_messages_in_any_order_end_like_in_order(
    client, clean_runs, statuses, minimal, quantity, data
) -> None:
    n = next(_ids)
    clean = sorted(statuses, key=CHRONOLOGY.index)
    run = noisy(data, statuses, 3)

    async def play(number: str, order: list[str]) -> int:
        for status in order:
            text = refract_message(number, status, status == clean[0] or not minimal, quantity)
            headers = {"X-Refract-Token": REFRACT_TOKEN, "Content-Type": "text/plain"}
            response = await client.post("/webhooks/refract", data=text, headers=headers)
            assert response.status == 200, await response.text()
        await settle_inbox(client)
        return (await Order.get(source=OrderSource.REFRACT, external_id=number)).id

    story = (tuple(clean), minimal, quantity)
    expected = await clean_runs.state(story, lambda: play(f"RC-{n}", clean))
    await ends_like(expected, await play(f"RN-{n}", run))


@PROPERTY
@given(
    story=st.sampled_from([["pending", "paid"], ["paid"], ["pending"]]),
    chosen=st.sampled_from([("game-key", 1), ("game-key", 5), ("vip", 1)]),
    data=st.data(),
)
async def test_api_orders_in_any_order_end_like_in_order(
    client, clean_runs, story, chosen, data
) -> None:
    key, quantity = chosen
    n = next(_ids)
    run = noisy(data, story, 3)

    async def play(name: str, buyer: int, order: list[str]) -> int:
        if key == "game-key":
            await add_stock(key, [f"A-{name}-{i}" for i in range(quantity)], CIPHER)
        for status in order:
            body = {"discord_user_id": str(buyer), "product": key, "quantity": quantity}
            body.update(status=status, order_id=name)
            headers = {
                "Authorization": f"Bearer {ADMIN_TOKEN}",
                "Idempotency-Key": f"{name}-{status}",
            }
            response = await client.post("/api/orders", data=json.dumps(body), headers=headers)
            assert response.status in (200, 201), await response.text()
        return (await Order.get(source=OrderSource.API, external_id=name)).id

    expected = await clean_runs.state(
        (tuple(story), chosen), lambda: play(f"ac{n}", BUYER + 2 * n, story)
    )
    await ends_like(expected, await play(f"an{n}", BUYER + 2 * n + 1, run))
