"""GET /health: the database (readable and writable), the gateway, and whether work moves."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from models.database import database_state
from models.inbox.queries import oldest_unprocessed_at
from models.outbox.queries import oldest_due_at


@dataclass(frozen=True)
class HealthLimits:
    """When /health says degraded although the database and the gateway answer."""

    # A worker with work waiting that has not moved for this long is stuck.
    stall_seconds: float = 120.0
    # The oldest unprocessed inbox row or due job waiting longer than this is a backlog.
    backlog_seconds: float = 300.0


@dataclass(frozen=True)
class WorkerBeat:
    """A worker's last sign of progress (time.monotonic()) and whether it holds work now."""

    last_progress: float
    busy: bool


WorkerBeats = Callable[[], Mapping[str, WorkerBeat]]
# True or False for a process holding the gateway; None for one without it (web, worker).
GATEWAY_READY = web.AppKey("gateway_ready", Callable[[], bool | None])
WORKER_BEATS = web.AppKey("worker_beats", WorkerBeats)
HEALTH_LIMITS = web.AppKey("health_limits", HealthLimits)


def _age(since: datetime | None, now: datetime) -> float | None:
    return None if since is None else max((now - since).total_seconds(), 0.0)


async def _backlog(limits: HealthLimits, reasons: list[str]) -> dict[str, Any]:
    now = datetime.now(UTC)
    inbox_age = _age(await oldest_unprocessed_at(), now)
    job_age = _age(await oldest_due_at(now), now)
    for what, age in (("inbox row", inbox_age), ("due job", job_age)):
        if age is not None and age > limits.backlog_seconds:
            reasons.append(f"the oldest unprocessed {what} has waited {age:.0f} s")
    return {
        "oldest_unprocessed_inbox_seconds": None if inbox_age is None else round(inbox_age, 1),
        "oldest_due_job_seconds": None if job_age is None else round(job_age, 1),
    }


def _workers(
    beats: Mapping[str, WorkerBeat], has_work: Mapping[str, bool], limits: HealthLimits
) -> tuple[dict[str, Any], list[str]]:
    now = time.monotonic()
    report: dict[str, Any] = {}
    reasons: list[str] = []
    for name, beat in beats.items():
        idle_for = now - beat.last_progress
        report[name] = {"seconds_since_progress": round(idle_for, 1), "busy": beat.busy}
        if (beat.busy or has_work.get(name, False)) and idle_for > limits.stall_seconds:
            reasons.append(f"the {name} worker has work but no progress for {idle_for:.0f} s")
    return report, reasons


async def health(request: web.Request) -> web.Response:
    """200 {"status": "ok", ...} or 503 {"status": "degraded", "reason": ..., ...}."""
    limits = request.app[HEALTH_LIMITS]
    database, why = await database_state()
    gateway_ok = request.app[GATEWAY_READY]()
    reasons: list[str] = []
    if database != "ok":
        reasons.append(f"database {database}: {why}")
    if gateway_ok is False:
        reasons.append("the Discord gateway is disconnected")
    gateway = {True: "connected", False: "disconnected", None: "not in this process"}
    body: dict[str, Any] = {
        "status": "ok",
        "database": database,
        "gateway": gateway[_tristate(gateway_ok)],
    }
    backlog: dict[str, Any] = {}
    if database != "unreachable":
        backlog = await _backlog(limits, reasons)
        body.update(backlog)
    has_work = {
        "inbox": backlog.get("oldest_unprocessed_inbox_seconds") is not None,
        "delivery": backlog.get("oldest_due_job_seconds") is not None,
    }
    body["workers"], stalled = _workers(request.app[WORKER_BEATS](), has_work, limits)
    reasons.extend(stalled)
    if reasons:
        body.update(status="degraded", reason="; ".join(reasons), reasons=reasons)
    return web.json_response(body, status=503 if reasons else 200)


def _tristate(value: bool | None) -> bool | None:
    return None if value is None else bool(value)
