"""The generic webhook in disorder: any permutation, with repeats, ends like in-order delivery.

Also with SPEC §6's minimal events, where only the first event carries product and amount.
A minimal event that overtakes its order's first event is refused (422, nothing stored) and
the sender retries it later, as a sender does with any non-2xx answer.
"""

from __future__ import annotations

import itertools
import json

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from models.base import JobKind, JobStatus, OrderSource, OrderStatus, StockStatus
from models.inbox.tables import WebhookEvent
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.cipher import StockCipher
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from tests.webhooks.disorder import PROPERTY, CleanRuns, ends_like, noisy, settle_inbox
from tests.webhooks.helpers import BUYER, generic_headers, processed

URL = "/webhooks/generic"
FIRST = {
    "discord_user_id": str(BUYER),
    "product": "starter-bundle",
    "quantity": 2,
    "amount": 3000,
    "currency": "USD",
}


CIPHER = StockCipher((Fernet.generate_key().decode(),))
# The order a real story happens in; the clean run sorts by it.
CHRONOLOGY = ["pending", "failed", "expired", "paid", "disputed", "cancelled", "refunded"]
# (product, quantity, stock added per run): starter-bundle never has stock (awaiting_stock).
PRODUCTS = [("game-key", 1, 1), ("game-key", 5, 5), ("vip", 1, 0), ("starter-bundle", 1, 0)]
_ids = itertools.count(1)


@pytest.fixture
def clean_runs() -> CleanRuns:
    return CleanRuns()


async def post(client, body: dict) -> int:
    """The answer's status: 200 stored, 422 a minimal event before its order's first one."""
    text = json.dumps(body)
    response = await client.post(URL, data=text, headers=generic_headers(text))
    assert response.status in (200, 422), await response.text()
    return response.status


async def send(client, body: dict) -> None:
    assert await post(client, body) == 200


async def send_all_retrying(client, bodies: list[dict], rounds: int = 4) -> None:
    """Sends every body; the refused ones are retried after the stored ones are processed."""
    for _ in range(rounds):
        bodies = [body for body in bodies if await post(client, body) != 200]
        await settle_inbox(client)
        if not bodies:
            return
    raise AssertionError(f"still refused after {rounds} rounds: {bodies}")


async def outcome(external_id: str) -> dict:
    order = await Order.get(source=OrderSource.GENERIC, external_id=external_id)
    live = Job.filter(order_id=order.id, status=JobStatus.PENDING)
    return {
        "status": order.status,
        "amount": order.amount,
        "quantity": order.quantity,
        "reserved": await StockItem.filter(order_id=order.id, status=StockStatus.RESERVED).count(),
        "deliveries": await live.filter(kind=JobKind.DELIVER_CODES).count(),
        "grants": await live.filter(kind=JobKind.GRANT_ROLE).count(),
    }


async def test_paid_before_pending_delivers_like_in_order(client) -> None:
    await add_stock("starter-bundle", [f"SB-{i}" for i in range(4)], CIPHER)
    pending = {"event_id": "p", "status": "pending", **FIRST}
    await send(client, {**pending, "order_id": "in-order", "event_id": "a1"})
    await send(client, {"event_id": "a2", "order_id": "in-order", "status": "paid"})
    early = {"event_id": "b2", "order_id": "shuffled", "status": "paid"}
    assert await post(client, early) == 422  # its order is not known yet: retried below
    await send(client, {**pending, "order_id": "shuffled", "event_id": "b1"})
    await processed(client)
    await send(client, early)
    await processed(client)
    assert await WebhookEvent.filter(status="processed").count() == 4
    clean = await outcome("in-order")
    assert clean == {
        "status": OrderStatus.PAID,
        "amount": 3000,
        "quantity": 2,
        "reserved": 2,
        "deliveries": 1,
        "grants": 1,
    }
    assert await outcome("shuffled") == clean


@PROPERTY
@given(
    statuses=st.lists(st.sampled_from(CHRONOLOGY), min_size=1, max_size=4, unique=True),
    chosen=st.sampled_from(PRODUCTS),
    minimal=st.booleans(),
    data=st.data(),
)
async def test_any_order_with_repeats_ends_like_in_order(
    client, clean_runs, statuses, chosen, minimal, data
) -> None:
    key, quantity, stock = chosen
    n = next(_ids)
    clean = sorted(statuses, key=CHRONOLOGY.index)
    # A repeat is the sender retrying (same event id) or sending the status again (new id).
    run = noisy(data, [(s, False) for s in statuses] + [(s, True) for s in statuses[:1]], 3)

    def body(name: str, buyer: int, status: str, again: bool) -> dict:
        event = {"event_id": f"{name}-{status}{'-again' if again else ''}", "order_id": name}
        event["status"] = status
        if status == clean[0] or not minimal:
            event.update(discord_user_id=str(buyer), product=key, quantity=quantity)
            event.update(amount=700 * quantity, currency="USD")
        return event

    async def play(name: str, buyer: int, events: list[tuple[str, bool]]) -> int:
        if stock:
            await add_stock(key, [f"{name}-{i}" for i in range(stock)], CIPHER)
        await send_all_retrying(client, [body(name, buyer, *event) for event in events])
        return (await Order.get(source=OrderSource.GENERIC, external_id=name)).id

    story = (tuple(clean), chosen, minimal)
    expected = await clean_runs.state(
        story, lambda: play(f"clean-{n}", BUYER + 2 * n, [(s, False) for s in clean])
    )
    await ends_like(expected, await play(f"noisy-{n}", BUYER + 2 * n + 1, run))
