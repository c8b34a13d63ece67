"""Property: subscription events shuffled and duplicated end in the in-order state, stored.

Each example plays one story twice against the database, on two orders of a role product:
once in time order with each event once, once shuffled with repeats. The subscription rows
(status, period end, cancel flag, grace, renewals) and the orders' access_until must match,
and the order whose access ended must be counted as no longer entitling, on both engines.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import clock
from models.orders.entitlements import is_still_entitled
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.tables import Order
from models.subscriptions.actions import apply_subscription_fact
from models.subscriptions.state import SubscriptionFact
from models.subscriptions.tables import Subscription
from tests.models.conftest import external
from tests.models.subscriptions.stories import DAY, chronological, pool

GRACE = timedelta(days=3)
EVENTS = [f.event_id for f in pool()]
_ids = itertools.count(1)


async def stored_state(order_id: int) -> dict:
    sub = await Subscription.get(order_id=order_id)
    order = await Order.get(id=order_id).prefetch_related("customer")
    return {
        "status": sub.status,
        "current_period_end": sub.current_period_end,
        "cancel_at_period_end": sub.cancel_at_period_end,
        "grace_until": sub.grace_until,
        "renewals": sub.renewals,
        "access_until": order.access_until,
        "entitled": await is_still_entitled(order.customer.discord_id, 777),
    }


async def new_order(n: int, run: str) -> int:
    event = external(f"sub-{run}-{n}", PaymentStatus.PAID, "paid", product_key="vip")
    event = dataclasses.replace(event, discord_user_id=5000 + 2 * n + (run == "noisy"))
    return (await apply_payment_event(event)).order_id


async def play(order_id: int, run: str, facts: list[SubscriptionFact]) -> None:
    for f in facts:
        mine = dataclasses.replace(f, subscription_id=f"sub_{run}_{order_id}", order_id=order_id)
        assert await apply_subscription_fact(mine, GRACE) is not None


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(
    chosen=st.lists(st.sampled_from(EVENTS), min_size=1, unique=True),
    days_since_start=st.sampled_from([1, 31, 33, 40, 61, 64, 70]),
    data=st.data(),
)
def test_subscription_events_in_any_order_and_repeated_end_in_the_in_order_state(
    db_runner: asyncio.Runner, chosen, days_since_start, data
) -> None:
    n = next(_ids)
    start = clock.now() - days_since_start * DAY
    facts = [f for f in pool(start=start) if f.event_id in chosen]
    clean = chronological(facts)
    noisy = data.draw(st.permutations(facts), label="shuffled")
    repeats = data.draw(st.lists(st.sampled_from(facts), max_size=4), label="repeats")
    for f, at in zip(
        repeats, data.draw(st.lists(st.integers(0, len(facts)), min_size=len(repeats),
                                    max_size=len(repeats)), label="at"), strict=True
    ):  # fmt: skip
        noisy.insert(at, f)

    async def scenario() -> None:
        clean_id = await new_order(n, "clean")
        noisy_id = await new_order(n, "noisy")
        await play(clean_id, "clean", clean)
        await play(noisy_id, "noisy", noisy)
        assert await stored_state(noisy_id) == await stored_state(clean_id)

    db_runner.run(scenario())
