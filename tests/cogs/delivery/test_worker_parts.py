"""The worker's small parts: debug-log redaction, error classification, job lanes."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import aiohttp
import disnake
import pytest

from cogs.delivery.cog import lane_of
from cogs.delivery.outcomes import JobParked, JobRetry, as_job_outcome
from cogs.delivery.redaction import HIDDEN, install_log_redaction
from models.base import JobKind


def test_disnake_debug_bodies_are_hidden(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    install_log_redaction()  # idempotent
    assert len(logging.getLogger("disnake.http").filters) == 1
    caplog.set_level(logging.DEBUG)
    body = json.dumps({"embeds": [{"description": "```\nSECRET-CODE-1\n```"}]})
    http = logging.getLogger("disnake.http")
    http.debug("%s %s with %s has returned %s", "POST", "https://x/channels/1/messages", body, 200)
    http.debug("%s %s has received %s", "POST", "https://x/channels/1/messages", {"a": body})
    gateway = logging.getLogger("disnake.gateway")
    gateway.debug(
        "For Shard ID %s: WebSocket Event: %s", None, {"op": 0, "t": "MESSAGE_CREATE", "d": body}
    )
    gateway.debug("Created websocket connected to %s", "ws://127.0.0.1:1/gateway")
    logging.getLogger("cogs.delivery").info("kept as it is: %s", "SR-ABC123")

    text = caplog.text
    assert "SECRET-CODE-1" not in text
    assert "POST https://x/channels/1/messages with <body hidden> has returned 200" in text
    assert HIDDEN in text
    assert "WebSocket Event: <gateway op=0 t=MESSAGE_CREATE>" in text
    assert "ws://127.0.0.1:1/gateway" in text
    assert "kept as it is: SR-ABC123" in text


def _response(status: int, headers: dict[str, str] | None = None) -> SimpleNamespace:
    return SimpleNamespace(status=status, reason="x", headers=headers or {})


@pytest.mark.parametrize(
    ("error", "outcome", "retry_in"),
    [
        (disnake.Forbidden(_response(403), {"code": 50013, "message": "Missing"}), JobParked, None),
        (disnake.Forbidden(_response(403), {"code": 50001, "message": "Access"}), JobParked, None),
        (disnake.Forbidden(_response(403), {"code": 40333, "message": "?"}), JobRetry, None),
        (
            disnake.HTTPException(_response(429, {"Retry-After": "3"}), {"code": 0}),
            JobRetry,
            3.0,
        ),
        (disnake.DiscordServerError(_response(502), "bad gateway"), JobRetry, None),
        (disnake.HTTPException(_response(400), {"code": 50035}), JobRetry, None),
        (TimeoutError(), JobRetry, None),
        (aiohttp.ClientConnectionError(), JobRetry, None),
    ],
)
def test_discord_errors_become_retries_or_parking(
    error: Exception, outcome: type, retry_in: float | None
) -> None:
    result = as_job_outcome(error)
    assert isinstance(result, outcome)
    if isinstance(result, JobRetry):
        assert result.retry_in == retry_in


def test_other_errors_are_not_classified() -> None:
    assert as_job_outcome(KeyError("order_id")) is None


def test_role_jobs_of_a_member_share_a_lane_and_order_jobs_share_another() -> None:
    def job(job_id: int, kind: JobKind, payload: dict, order_id: int | None = None):  # type: ignore[no-untyped-def]
        # Claimed jobs carry these attributes; no database is needed to pick a lane.
        return SimpleNamespace(id=job_id, kind=kind, payload=payload, order_id=order_id)

    grant = job(1, JobKind.GRANT_ROLE, {"discord_id": 5}, 10)
    revoke = job(2, JobKind.REVOKE_ROLE, {"discord_id": 5}, 11)
    deliver = job(3, JobKind.DELIVER_CODES, {"order_id": 10}, 10)
    feed = job(4, JobKind.POST_FEED, {"order_id": 10}, 10)
    alert = job(5, JobKind.NOTIFY_ADMIN, {"title": "t"})
    assert lane_of(grant) == lane_of(revoke) == ("member", 5)
    assert lane_of(deliver) == lane_of(feed) == ("order", 10)
    assert lane_of(alert) == ("job", 5)
