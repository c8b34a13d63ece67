"""enqueue_ids (one multi-row INSERT) writes the rows enqueue writes, one each, both engines."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from models.base import JobKind
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.outbox.actions import enqueue, enqueue_ids
from models.outbox.tables import Job
from models.stock.restock import add_stock
from tests.models.conftest import external
from tests.models.outbox.test_outbox_enqueue_id import stored

_JOBS = (
    (JobKind.DELIVER_CODES, {"order_id": 7, "resend": False}),
    (JobKind.GRANT_ROLE, {"order_id": 7, "discord_id": 2**62, "role_id": 0}),
    (JobKind.POST_FEED, {"order_id": 7, "order_event_id": 3, "kind": "completed", "n": "é ✓"}),
)


async def test_each_row_is_the_row_enqueue_writes(db: str) -> None:
    one_by_one = [await enqueue(kind, dict(payload), order_id=None) for kind, payload in _JOBS]
    async with in_transaction() as conn:
        ids = await enqueue_ids(
            [(kind, dict(payload)) for kind, payload in _JOBS], order_id=None, connection=conn
        )
    assert len(ids) == len(_JOBS) and ids == sorted(ids)
    assert ids[0] > max(job.id for job in one_by_one if job is not None)
    for job, job_id in zip(one_by_one, ids, strict=True):
        assert job is not None
        assert await stored(job_id) == await stored(job.id)
        orm, raw = await Job.get(id=job.id), await Job.get(id=job_id)
        assert (raw.kind, raw.payload, raw.status, raw.attempts) == (
            orm.kind,
            orm.payload,
            orm.status,
            orm.attempts,
        )
        assert raw.next_attempt_at.tzinfo is not None
        assert abs((raw.next_attempt_at - orm.next_attempt_at).total_seconds()) < 5


async def test_ids_follow_the_order_given_and_carry_the_order_id(db: str) -> None:
    ids = await enqueue_ids([(kind, dict(payload)) for kind, payload in reversed(_JOBS)])
    kinds = [(await Job.get(id=job_id)).kind for job_id in ids]
    assert kinds == [kind for kind, _ in reversed(_JOBS)]
    assert await enqueue_ids([]) == []
    assert await Job.all().count() == len(_JOBS)


async def test_a_paid_event_queues_its_jobs_with_the_order(catalog, cipher) -> None:
    await add_stock("bundle", ["BUNDLE-CODE-1"], cipher)
    result = await apply_payment_event(
        external("b1", PaymentStatus.PAID, "paid-b1", product_key="bundle", discord_user_id=9)
    )
    jobs = await Job.filter(id__in=result.job_ids).order_by("id")
    assert [job.id for job in jobs] == list(result.job_ids)
    assert [job.kind for job in jobs] == [
        JobKind.GRANT_ROLE,
        JobKind.DELIVER_CODES,
        JobKind.POST_FEED,
    ]
    assert {job.order_id for job in jobs} == {result.order_id}
    assert jobs[1].payload == {"order_id": result.order_id, "resend": False}
