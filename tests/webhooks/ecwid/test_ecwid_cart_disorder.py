"""Ecwid carts in disorder: shuffled, repeated webhooks leave every line as in-order delivery."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from models.base import OrderSource
from models.orders.tables import Order
from models.stock.cipher import StockCipher
from models.stock.restock import add_stock
from tests.webhooks.disorder import PROPERTY, check_invariants, final_state, noisy
from tests.webhooks.helpers import BUYER
from tests.webhooks.test_disorder_ecwid import STORIES, deliver
from webhooks.ecwid.cart import line_external_id

CIPHER = StockCipher((Fernet.generate_key().decode(),))
MAP = {"GAME-KEY": "game-key", "VIP": "vip", "BUNDLE": "starter-bundle"}
CARTS = [
    (("GAME-KEY", 2), ("VIP", 1)),
    (("GAME-KEY", 1), ("T-SHIRT", 1)),
    (("VIP", 1), ("GAME-KEY", 1), ("BUNDLE", 1)),
]
_STOCKED = {"GAME-KEY": "game-key", "BUNDLE": "starter-bundle"}
_ids = itertools.count(1)


@pytest.fixture
def clean_states() -> dict[Any, list[dict[str, Any]]]:
    return {}


@pytest.fixture
async def ecwid_client(make_client, settings):
    ecwid = dataclasses.replace(settings.ecwid, product_map=MAP)
    return await make_client(dataclasses.replace(settings, ecwid=ecwid))


@PROPERTY
@given(story=st.sampled_from(STORIES), cart=st.sampled_from(CARTS), data=st.data())
async def test_every_line_ends_like_in_order_delivery(
    ecwid_client, fake_ecwid, clean_states, story, cart, data
) -> None:
    n = next(_ids)
    plan, now = [], 0
    for i in noisy(data, list(range(len(story))), 3):
        now = data.draw(st.integers(max(now, i), len(story) - 1), label="status now")
        plan.append((i, now))

    async def play(name: str, buyer: int, schedule: list[tuple[int, int]]) -> list[dict]:
        for position, (sku, quantity) in enumerate(cart, start=1):
            if sku in _STOCKED:
                codes = [f"{name}-{position}-{i}" for i in range(quantity)]
                await add_stock(_STOCKED[sku], codes, CIPHER)
        order = fake_ecwid.add_order(name, discord_user_id=str(buyer))
        order["items"] = [
            {"id": p, "sku": sku, "name": sku, "quantity": q, "price": 3.5}
            for p, (sku, q) in enumerate(cart, start=1)
        ]
        await deliver(ecwid_client, fake_ecwid, name, story, schedule)
        states = []
        for position in range(1, len(cart) + 1):
            external_id = line_external_id(name, position)
            line = await Order.get(source=OrderSource.ECWID, external_id=external_id)
            states.append(await final_state(line.id))
        return states

    clean = [(i, i) for i in range(len(story))]
    key = (tuple(story), cart)
    if key not in clean_states:
        clean_states[key] = await play(f"c{n}", BUYER + 2 * n, clean)
    seen = {story[now] for _, now in plan}
    unseen_payment = "PAID" in story and not seen & {"PAID", "PARTIALLY_REFUNDED", "REFUNDED"}
    ignore = ("paid", "total_spent", "needs_attention") if unseen_payment else ()
    shuffled = await play(f"n{n}", BUYER + 2 * n + 1, plan)
    for expected, got in zip(clean_states[key], shuffled, strict=True):
        expected = {k: v for k, v in expected.items() if k not in ignore}
        got = {k: v for k, v in got.items() if k not in ignore}
        assert got == expected, {k: (expected[k], v) for k, v in got.items() if expected[k] != v}
    await check_invariants()
