"""Many buyers, few codes; many workers, one queue: nothing is given or run twice."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

from models.base import JobKind, JobStatus, OrderStatus, StockStatus
from models.customers.wallet import balance, credit, ledger_sum
from models.errors import InsufficientFunds, OutOfStock
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.purchases import purchase_with_wallet
from models.orders.tables import Order
from models.outbox.actions import claim, complete, enqueue
from models.outbox.tables import Job
from models.stock.queries import codes_for_order
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from tests.conftest import postgres_url
from tests.models.conftest import external

BUYERS = 200
CODES = 50
ROOT = Path(__file__).resolve().parents[2]


async def _distinct_codes(order_ids: list[int], cipher) -> list[str]:
    codes: list[str] = []
    for order_id in order_ids:
        codes.extend(await codes_for_order(order_id, cipher))
    return codes


async def test_200_wallet_purchases_for_50_codes(catalog, cipher) -> None:
    await add_stock("game-key", [f"CODE-{i:03}" for i in range(CODES)], cipher)
    for buyer in range(BUYERS):
        await credit(buyer + 1, 500, reference=f"topup-{buyer}")

    async def buy(buyer: int) -> str:
        try:
            await purchase_with_wallet(buyer + 1, "game-key", reference=f"click-{buyer}")
        except OutOfStock:
            return "out"
        return "bought"

    results = Counter(await asyncio.gather(*(buy(b) for b in range(BUYERS))))
    assert results == {"bought": CODES, "out": BUYERS - CODES}
    paid = await Order.filter(status=OrderStatus.PAID).values_list("id", flat=True)
    assert len(paid) == CODES and await Order.all().count() == CODES  # refused ones rolled back
    codes = await _distinct_codes(paid, cipher)
    assert len(codes) == CODES and len(set(codes)) == CODES
    assert await StockItem.filter(status=StockStatus.AVAILABLE).count() == 0
    charged = [await balance(b + 1) for b in range(BUYERS)]
    assert charged.count(0) == CODES and charged.count(500) == BUYERS - CODES
    for buyer in range(0, BUYERS, 7):
        assert await ledger_sum(buyer + 1) == await balance(buyer + 1)


async def test_200_paid_webhooks_for_50_codes(catalog, cipher) -> None:
    await add_stock("game-key", [f"CODE-{i:03}" for i in range(CODES)], cipher)
    events = [external(f"ext-{i}", PaymentStatus.PAID, f"evt-{i}") for i in range(BUYERS)]
    await asyncio.gather(*(apply_payment_event(e) for e in events))
    paid = await Order.filter(status=OrderStatus.PAID).values_list("id", flat=True)
    waiting = await Order.filter(status=OrderStatus.AWAITING_STOCK).count()
    assert len(paid) == CODES and waiting == BUYERS - CODES
    codes = await _distinct_codes(paid, cipher)
    assert len(codes) == CODES and len(set(codes)) == CODES
    # The same events again, concurrently: nothing changes.
    await asyncio.gather(*(apply_payment_event(e) for e in events))
    assert await Order.filter(status=OrderStatus.PAID).count() == CODES


async def test_concurrent_debits_never_overdraw(catalog, cipher) -> None:
    await add_stock("game-key", [f"K-{i}" for i in range(40)], cipher)
    await credit(42, 2000, reference="topup")  # enough for 4 of 40 attempts

    async def buy(i: int) -> bool:
        try:
            await purchase_with_wallet(42, "game-key", reference=f"c-{i}")
        except InsufficientFunds:
            return False
        return True

    results = await asyncio.gather(*(buy(i) for i in range(40)))
    assert results.count(True) == 4
    assert await balance(42) == 0 == await ledger_sum(42)


async def test_same_first_event_concurrently_creates_one_order(catalog, cipher) -> None:
    await add_stock("game-key", ["ONE", "TWO"], cipher)
    event = external("dup", PaymentStatus.PAID, "evt")
    results = await asyncio.gather(*(apply_payment_event(event) for _ in range(10)))
    assert len({r.order_id for r in results}) == 1
    assert sum(r.applied for r in results) == 1
    assert await StockItem.filter(status=StockStatus.RESERVED).count() == 1


async def test_workers_in_one_process_never_share_a_job(db) -> None:
    for i in range(60):
        await enqueue(JobKind.POST_FEED, {"order_id": i, "order_event_id": i, "kind": "pending"})
    seen: list[int] = []

    async def worker(name: str) -> None:
        while jobs := await claim(name, limit=3):
            for job in jobs:
                seen.append(job.id)
                assert await complete(job.id, name)

    await asyncio.gather(*(worker(f"w{i}") for i in range(6)))
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 60
    assert await Job.filter(status=JobStatus.DONE).count() == 60


WORKER_SCRIPT = """
import asyncio, json, sys
sys.path.insert(0, {root!r})
from models.database import open_database, close_database
from models.outbox.actions import claim, complete

async def main():
    await open_database({url!r}, migrate=False)
    done = []
    try:
        while True:
            jobs = await claim({name!r}, limit=2)
            if not jobs:
                break
            for job in jobs:
                done.append(job.id)
                await asyncio.sleep(0)
                assert await complete(job.id, {name!r})
    finally:
        await close_database()
    print(json.dumps(done))

asyncio.run(main())
"""


@pytest.mark.postgres
async def test_two_worker_processes_on_postgres_never_claim_a_job_twice(tmp_path) -> None:
    from models.database import close_database, open_database
    from tests.conftest import _reset_postgres

    url = postgres_url()
    await open_database(url)
    try:
        await _reset_postgres()
        for i in range(400):
            await enqueue(JobKind.NOTIFY_ADMIN, {"title": "t", "message": str(i)})
    finally:
        await close_database()
    procs = []
    for name in ("proc-a", "proc-b"):
        script = tmp_path / f"{name}.py"
        script.write_text(WORKER_SCRIPT.format(root=str(ROOT), url=url, name=name))
        procs.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                str(script),
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        )
    outputs = []
    for proc in procs:
        out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
        assert proc.returncode == 0, err.decode()
        outputs.append(json.loads(out.decode().strip().splitlines()[-1]))
    claimed = outputs[0] + outputs[1]
    assert len(claimed) == 400 and len(set(claimed)) == 400
    assert outputs[0] and outputs[1], "both processes should have taken part"
    await open_database(url)
    try:
        assert await Job.filter(status=JobStatus.DONE).count() == 400
    finally:
        await close_database()
