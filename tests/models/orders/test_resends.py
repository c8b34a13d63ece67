"""A buyer's Resend: once a minute per order, audited, and a refusal writes nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from models.audit.tables import AuditEntry
from models.base import JobKind
from models.errors import InvalidTransition, NotFound
from models.orders.actions import mark_delivered
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.resends import (
    RESEND_ACTION,
    ResendTooSoon,
    resend_for_buyer,
    seconds_until_resend,
)
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.restock import add_stock
from tests.models.conftest import external

BUYER = 1001


async def delivered_order(cipher, key: str = "game-key") -> Order:
    if key == "game-key":
        await add_stock("game-key", ["RS-1"], cipher)
    event = external(f"rs-{key}", PaymentStatus.PAID, f"p-{key}", product_key=key)
    result = await apply_payment_event(event)
    await mark_delivered(result.order_id)
    return await Order.get(id=result.order_id)


async def resend_jobs(order: Order) -> list[Job]:
    jobs = await Job.filter(order_id=order.id, kind=JobKind.DELIVER_CODES).order_by("id")
    return [job for job in jobs if job.payload.get("resend")]


async def test_a_second_resend_within_a_minute_is_refused_with_the_wait(catalog, cipher) -> None:
    order = await delivered_order(cipher)
    await resend_for_buyer(order.id, BUYER)
    assert len(await resend_jobs(order)) == 1
    (entry,) = await AuditEntry.filter(action=RESEND_ACTION)
    assert (entry.actor_id, entry.target) == (BUYER, order.number)
    assert entry.details == {"by": "buyer", "outcome": "done"}

    with pytest.raises(ResendTooSoon) as refused:
        await resend_for_buyer(order.id, BUYER)
    wait = int(refused.value.message.removeprefix("You can resend again in ").removesuffix(" s."))
    assert refused.value.message == f"You can resend again in {wait} s."
    assert 55 <= wait <= 60
    assert len(await resend_jobs(order)) == 1  # nothing changed
    assert await AuditEntry.filter(action=RESEND_ACTION).count() == 1

    # A minute later it is allowed again.
    await AuditEntry.filter(id=entry.id).update(
        created_at=datetime.now(UTC) - timedelta(seconds=61)
    )
    assert await seconds_until_resend(order.number) == 0
    await resend_for_buyer(order.id, BUYER)
    assert len(await resend_jobs(order)) == 2
    assert await AuditEntry.filter(action=RESEND_ACTION).count() == 2


async def test_two_resends_at_once_queue_one(catalog, cipher) -> None:
    order = await delivered_order(cipher)
    results = await asyncio.gather(
        resend_for_buyer(order.id, BUYER), resend_for_buyer(order.id, BUYER), return_exceptions=True
    )
    assert sorted(type(r).__name__ for r in results) == ["NoneType", "ResendTooSoon"]
    assert len(await resend_jobs(order)) == 1


async def test_only_the_buyer_of_an_order_with_codes_may_resend(catalog, cipher) -> None:
    order = await delivered_order(cipher)
    with pytest.raises(NotFound):
        await resend_for_buyer(order.id, 4242)
    role_order = await delivered_order(cipher, key="vip")
    with pytest.raises(InvalidTransition, match="has no codes to send"):
        await resend_for_buyer(role_order.id, BUYER)
    with pytest.raises(NotFound):
        await resend_for_buyer(999_999, BUYER)
    assert await resend_jobs(order) == []
    assert not await AuditEntry.exists()  # refusals write nothing
