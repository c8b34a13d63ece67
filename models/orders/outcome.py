"""What settle() decided for an order: its status and the jobs and alerts to queue, queued
once the order event exists (models.orders.effects plans them, models.orders.lifecycle
queues them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from models.base import JobKind, OrderStatus
from models.orders.feed_entries import feed_kind
from models.orders.tables import Order
from models.outbox.actions import enqueue_id, enqueue_ids, queue_admin_alert


@dataclass(frozen=True)
class PlannedJob:
    """A job settle() decided on, queued by Outcome.queue_jobs once the order event exists."""

    kind: JobKind
    payload: dict[str, Any]
    dedupe_key: str | None = None

    async def queue(self, order_id: int, conn: BaseDBAsyncClient) -> int | None:
        return await enqueue_id(
            self.kind,
            dict(self.payload),
            order_id=order_id,
            dedupe_key=self.dedupe_key,
            connection=conn,
        )


@dataclass(frozen=True)
class PlannedAlert:
    """An admin alert about the order settle() decided on, queued once per dedupe key."""

    title: str
    message: str
    dedupe_key: str

    async def queue(self, order_id: int, conn: BaseDBAsyncClient) -> int | None:
        job = await queue_admin_alert(
            self.title,
            self.message,
            order_id=order_id,
            dedupe_key=self.dedupe_key,
            connection=conn,
        )
        return job.id if job is not None else None


@dataclass
class Outcome:
    status: OrderStatus
    released_stock: bool = False
    jobs: list[PlannedJob | PlannedAlert] = field(default_factory=list)
    refunded_before: int = 0  # the order's refunded amount before this event (for the feed)

    async def queue_jobs(
        self,
        order: Order,
        order_event_id: int,
        before: OrderStatus | None,
        created: bool,
        conn: BaseDBAsyncClient,
        fact: str | None = None,
    ) -> list[int]:
        """Queues the jobs settle() decided on, plus the feed entry the event makes (if any)."""
        jobs = list(self.jobs)
        grew = order.refunded_amount > self.refunded_before
        kind = feed_kind(order, self.status, before, created, fact=fact, refund_grew=grew)
        if kind is not None:
            payload = {"order_id": order.id, "order_event_id": order_event_id, "kind": kind}
            jobs.append(PlannedJob(JobKind.POST_FEED, payload))
        ids: list[int] = []
        plain: list[tuple[JobKind, dict[str, Any]]] = []  # queued together (models.outbox)
        for planned in jobs:
            if isinstance(planned, PlannedJob) and planned.dedupe_key is None:
                plain.append((planned.kind, dict(planned.payload)))
                continue
            # A deduplicated job goes alone, after the plain ones planned before it (ids
            # keep the planned order).
            ids += await enqueue_ids(plain, order_id=order.id, connection=conn)
            plain = []
            job_id = await planned.queue(order.id, conn)
            if job_id is not None:
                ids.append(job_id)
        ids += await enqueue_ids(plain, order_id=order.id, connection=conn)
        return ids
