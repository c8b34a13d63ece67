"""Property: a timed pass extended by overlapping purchases expires at the sum of them.

Each hypothesis example is one buyer's story: a first purchase, then purchases each made
before the access running then ends (any point of it), by wallet (one item or a pack of 3)
or by a webhook (1 to 3 items). However they overlap, the access ends exactly
duration_days * (items bought in all) after the first purchase, and the role is held up to
that moment and not after it. Runs on SQLite and PostgreSQL (db_runner).
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import clock
from models.catalog.sync import sync_catalog
from models.customers import wallet
from models.orders.entitlements import is_still_entitled
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.purchases import purchase_with_wallet
from models.orders.tables import Order
from tests.models.conftest import CATALOG, external
from tests.models.orders.test_timed_access import PASS

DAYS = PASS.duration_days or 0
PASS_ROLE = PASS.role_id
_buyers = itertools.count(50_000)

# (how, items): wallet 1 or the pack of 3, or a webhook order of 1 to 3 items.
purchase = st.one_of(
    st.tuples(st.just("wallet"), st.sampled_from([1, 3])),
    st.tuples(st.just("webhook"), st.integers(1, 3)),
)
# Each later purchase: which fraction (per mille) of the remaining access has passed.
story = st.lists(st.tuples(st.integers(0, 999), purchase), min_size=0, max_size=5)


async def _buy(buyer: int, how: str, items: int, n: int) -> Order:
    if how == "wallet":
        quantities = {"quantity": 1} if items == 1 else {"package_quantity": items}
        order = await purchase_with_wallet(buyer, PASS.key, reference=f"w{buyer}:{n}", **quantities)
        return await Order.get(id=order.id)
    event = external(
        f"x{buyer}:{n}",
        PaymentStatus.PAID,
        "paid",
        product_key=PASS.key,
        quantity=items,
        amount=PASS.price * items,
        discord_user_id=buyer,
    )
    return await Order.get(id=(await apply_payment_event(event)).order_id)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=purchase, later=story)
def test_overlapping_purchases_expire_at_the_sum(
    db_runner: asyncio.Runner, first: tuple[str, int], later: list
) -> None:
    buyer = next(_buyers)

    async def scenario() -> None:
        clock.reset()
        await sync_catalog((*CATALOG, PASS))
        await wallet.credit(buyer, 1_000_000, reference=f"topup:{buyer}")
        how, items = first
        order = await _buy(buyer, how, items, 0)
        assert order.access_until is not None
        start = order.access_until - timedelta(days=DAYS * items)
        end, total = order.access_until, items
        for n, (per_mille, (how, items)) in enumerate(later, start=1):
            clock.advance((end - clock.now()) * per_mille / 1000)  # still before the end
            order = await _buy(buyer, how, items, n)
            assert order.details["access"]["renewal"] is True
            end, total = order.access_until, total + items
        assert end == start + timedelta(days=DAYS * total)
        latest = await Order.filter(customer__discord_id=buyer).order_by("-access_until").first()
        assert latest is not None and latest.access_until == end

        clock.advance(end - clock.now() - timedelta(seconds=1))
        assert await is_still_entitled(buyer, PASS_ROLE)
        clock.advance(timedelta(seconds=2))
        assert not await is_still_entitled(buyer, PASS_ROLE)

    try:
        db_runner.run(scenario())
    finally:
        clock.reset()
