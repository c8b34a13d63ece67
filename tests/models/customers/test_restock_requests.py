"""Restock requests: asked once per product, spent by a restock that leaves codes on sale."""

from __future__ import annotations

from itertools import pairwise

import pytest

from models.base import JobKind, OrderStatus
from models.customers.restock_requests import (
    RESTOCK_NOTICE_SPACING_SECONDS,
    ask_for_restock_notice,
    queue_restock_notices,
    reopen_restock_request,
    restock_notice,
)
from models.customers.tables import RestockRequest
from models.errors import InvalidInput, NotFound
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.outbox.tables import Job
from models.stock.restock import add_stock
from tests.models.conftest import external


async def restock_jobs() -> list[Job]:
    return list(await Job.filter(kind=JobKind.NOTIFY_RESTOCK).order_by("next_attempt_at", "id"))


async def test_asking_twice_keeps_one_open_request(catalog) -> None:
    first = await ask_for_restock_notice(1001, "game-key")
    again = await ask_for_restock_notice(1001, "game-key")
    assert (first.product_name, first.already_asked) == ("Game key", False)
    assert again.already_asked
    assert await RestockRequest.filter(product__key="game-key").count() == 1
    assert await restock_jobs() == []


@pytest.mark.parametrize(
    ("key", "refusal"),
    [
        ("no-such-product", "That product is not for sale any more."),
        ("vip", "VIP never runs out: it can be bought any time."),
        ("game-key", "Game key is in stock right now: open the shop to buy it."),
    ],
)
async def test_a_request_that_makes_no_sense_is_refused_and_writes_nothing(
    catalog, cipher, key: str, refusal: str
) -> None:
    await add_stock("game-key", ["ON-SALE-1"], cipher)
    with pytest.raises((InvalidInput, NotFound)) as raised:
        await ask_for_restock_notice(1001, key)
    assert raised.value.message == refusal
    assert not await RestockRequest.exists()


async def test_a_restock_queues_one_spaced_dm_per_request_and_spends_them(catalog, cipher) -> None:
    for discord_id in (1001, 1002, 1003):
        await ask_for_restock_notice(discord_id, "game-key")
    await ask_for_restock_notice(1004, "bundle")  # another product: not told

    await add_stock("game-key", ["BACK-1"], cipher)

    jobs = await restock_jobs()
    assert len(jobs) == 3
    gaps = [(b.next_attempt_at - a.next_attempt_at).total_seconds() for a, b in pairwise(jobs)]
    assert all(gap == pytest.approx(RESTOCK_NOTICE_SPACING_SECONDS, abs=0.05) for gap in gaps)
    told = [(await restock_notice(job.payload["request_id"])).discord_id for job in jobs]
    assert told == [1001, 1002, 1003]  # in the order they asked
    assert not await RestockRequest.filter(product__key="game-key", notified_at=None).exists()
    assert await RestockRequest.filter(product__key="bundle", notified_at=None).count() == 1

    await add_stock("game-key", ["BACK-2"], cipher)  # a second restock: nobody asked again
    assert len(await restock_jobs()) == 3
    assert await queue_restock_notices((await RestockRequest.first()).product_id) == 0


async def test_asking_again_after_being_told_opens_the_request_for_the_next_restock(
    catalog, cipher
) -> None:
    await ask_for_restock_notice(1001, "game-key")
    await add_stock("game-key", ["FIRST"], cipher)
    # Bought out again.
    await apply_payment_event(external("buy-1", PaymentStatus.PAID, "e-1"))
    await ask_for_restock_notice(1001, "game-key")
    assert await RestockRequest.filter(notified_at=None).count() == 1
    await add_stock("game-key", ["SECOND"], cipher)
    assert len(await restock_jobs()) == 2
    assert await RestockRequest.filter(product__key="game-key").count() == 1


async def test_codes_all_taken_by_waiting_orders_leave_the_requests_open(catalog, cipher) -> None:
    waiting = await apply_payment_event(external("w-1", PaymentStatus.PAID, "e-w1", quantity=2))
    assert waiting.status is OrderStatus.AWAITING_STOCK
    await ask_for_restock_notice(1002, "game-key")

    await add_stock("game-key", ["W-1", "W-2"], cipher)  # exactly what the order waits for

    assert await restock_jobs() == []
    assert await RestockRequest.filter(notified_at=None).count() == 1
    await add_stock("game-key", ["W-3"], cipher)
    assert len(await restock_jobs()) == 1


async def test_a_reopened_request_is_told_at_the_next_restock(catalog, cipher) -> None:
    await ask_for_restock_notice(1001, "game-key")
    await add_stock("game-key", ["R-1"], cipher)
    (job,) = await restock_jobs()
    await reopen_restock_request(job.payload["request_id"])  # sold out before the DM went
    await add_stock("game-key", ["R-2"], cipher)
    assert len(await restock_jobs()) == 2
    notice = await restock_notice(job.payload["request_id"])
    assert (notice.product_name, notice.available, notice.on_sale) == ("Game key", 2, True)
    assert await restock_notice(987654) is None
