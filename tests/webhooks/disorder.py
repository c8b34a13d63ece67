"""Shared pieces of the disorder property tests: schedules, settling the inbox, final states.

Each example plays one story twice through the real app, on two fresh orders: once in order
with each event once, once shuffled with repeats. The final states must be equal and the
shop-wide invariants hold. Each example is ~10 real HTTP events, so CI runs 60 per test
(about 2 minutes for all of them); DISORDER_EXAMPLES=500 is the deep run, done by hand and
reported in docs/RELIABILITY.md.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from models.base import InboxStatus, JobKind, JobStatus, OrderStatus, StockStatus
from models.customers.wallet import ledger_sum
from models.inbox.tables import WebhookEvent
from models.orders.facts import ENTITLED
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.tables import StockItem
from webhooks.app import INBOX_WORKER

T = TypeVar("T")
EXAMPLES = int(os.environ.get("DISORDER_EXAMPLES") or (60 if os.environ.get("CI") else 25))
PROPERTY = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_ACTIVE = (JobStatus.PENDING, JobStatus.RUNNING)


def noisy(data: st.DataObject, items: list[T], max_repeats: int = 4) -> list[T]:
    """A permutation of `items` with up to `max_repeats` of them repeated anywhere."""
    shuffled = data.draw(st.permutations(items), label="shuffled")
    repeats = data.draw(st.lists(st.sampled_from(items), max_size=max_repeats), label="repeats")
    run = list(shuffled)
    for item in repeats:
        run.insert(data.draw(st.integers(0, len(run)), label="at"), item)
    return run


async def settle_inbox(client: TestClient, rounds: int = 8) -> None:
    """Processes what is stored, then the rows kept for a retry (an event naming its order by
    a handle not stored yet) as the worker's backoff would, until none is left."""
    worker = client.app[INBOX_WORKER]
    for _ in range(rounds):
        await worker.idle()
        if not await WebhookEvent.filter(status=InboxStatus.RECEIVED).exists():
            break
        await worker.resume()
    left = WebhookEvent.filter(status__in=(InboxStatus.RECEIVED, InboxStatus.FAILED))
    assert not await left.exists(), await left.values("event_id", "status", "attempts", "error")


async def final_state(order_id: int) -> dict[str, Any]:
    """What the buyer and the shop end with: status, money, codes, role, pending delivery.

    Also checks that no job the order needs once was queued twice: at most one delivery or
    storefront update waits, and role grants and revocations alternate, starting with a grant.
    """
    order = await Order.get(id=order_id).prefetch_related("customer")
    held = dict.fromkeys((s.value for s in StockStatus), 0)
    for status in await StockItem.filter(order_id=order_id).values_list("status", flat=True):
        held[StockStatus(status).value] += 1
    jobs = await Job.filter(order_id=order_id).order_by("id").values_list("kind", "status")
    waiting = [JobKind(k) for k, s in jobs if JobStatus(s) in _ACTIVE]
    roles = [JobKind(k) for k, _ in jobs if JobKind(k) in (JobKind.GRANT_ROLE, JobKind.REVOKE_ROLE)]
    assert roles == ([JobKind.GRANT_ROLE, JobKind.REVOKE_ROLE] * len(roles))[: len(roles)], roles
    state = {
        "status": order.status,
        "product_id": order.product_id,  # type: ignore[attr-defined]
        "product_name": order.product_name,
        "quantity": order.quantity,
        "amount": order.amount,
        "currency": order.currency,
        "refunded_amount": order.refunded_amount,
        "needs_attention": order.needs_attention,
        "paid": order.paid_at is not None,
        "held": held,
        "role": bool(roles) and roles[-1] is JobKind.GRANT_ROLE,
        "deliveries": waiting.count(JobKind.DELIVER_CODES),
        "storefront": waiting.count(JobKind.UPDATE_STOREFRONT),
        "total_spent": order.customer.total_spent if order.customer else None,
        "balance": order.customer.balance if order.customer else None,
    }
    assert state["deliveries"] <= 1 and state["storefront"] <= 1, waiting
    if order.customer:
        assert order.customer.balance == await ledger_sum(order.customer.discord_id)
    return state


async def check_invariants() -> None:
    """Stock rows agree with their orders, shop-wide."""
    assert await StockItem.filter(status=StockStatus.AVAILABLE, order_id__isnull=False).count() == 0
    delivered_to_unentitled = StockItem.filter(status=StockStatus.DELIVERED).exclude(
        order__status__in=tuple(ENTITLED)
    )
    assert await delivered_to_unentitled.count() == 0
    # A reserved code belongs to an entitled order, or is the hold of an open checkout.
    reserved_elsewhere = StockItem.filter(status=StockStatus.RESERVED).exclude(
        order__status__in=(*ENTITLED, OrderStatus.PENDING)
    )
    assert await reserved_elsewhere.count() == 0


class CleanRuns:
    """The final state of each story's clean run. It is a function of the story alone, so a
    later example telling the same story compares with it instead of playing it again."""

    def __init__(self) -> None:
        self.states: dict[Hashable, dict[str, Any]] = {}

    async def state(self, story: Hashable, play: Callable[[], Awaitable[int]]) -> dict[str, Any]:
        if story not in self.states:
            order_id = await play()
            self.states[story] = await final_state(order_id)
        return self.states[story]


async def ends_like(clean: dict[str, Any], noisy_id: int, ignore: tuple[str, ...] = ()) -> None:
    """Asserts the shuffled run ended like the clean one (but for `ignore`), and the invariants."""
    noisy = await final_state(noisy_id)
    expected = {k: v for k, v in clean.items() if k not in ignore}
    noisy = {k: v for k, v in noisy.items() if k not in ignore}
    assert noisy == expected, {k: (expected[k], v) for k, v in noisy.items() if expected[k] != v}
    await check_invariants()
