"""How a delivery job ends: done, retried later, or parked — and which Discord errors mean which."""

from __future__ import annotations

import asyncio

import aiohttp
import disnake

CANNOT_DM = 50007  # the user's DMs are closed
MISSING_PERMISSIONS = 50013  # role above the bot, or Manage Roles missing
MISSING_ACCESS = 50001
UNKNOWN_MEMBER = 10007
UNKNOWN_ROLE = 10011
UNKNOWN_CHANNEL = 10003


class JobRetry(Exception):
    """A transient failure: the outbox runs the job again after a backoff."""

    def __init__(self, message: str, *, retry_in: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_in = retry_in


class JobParked(Exception):
    """A failure retrying cannot fix: the job is parked at once and the admins told why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def describe_http_error(exc: disnake.HTTPException) -> str:
    """`403 (code 50013): Missing Permissions`, without the request that caused it."""
    text = exc.text if isinstance(exc.text, str) else ""
    return f"Discord answered {exc.status} (code {exc.code}): {text[:200]}".rstrip(": ")


def as_job_outcome(exc: BaseException) -> JobRetry | JobParked | None:
    """The outcome for an error from Discord or the network; None when it is not one of those.

    429, 5xx, timeouts and dropped connections are retried with backoff (disnake already
    waited out `retry_after` and retried a few times before raising). Permission and access
    errors are parked at once: they need a person to change something in the server.
    Anything else Discord refuses is retried, so a short outage never loses a job; after
    settings.job_max_attempts it is parked with its error.
    """
    if isinstance(exc, disnake.Forbidden):
        if exc.code in (MISSING_PERMISSIONS, MISSING_ACCESS):
            return JobParked(describe_http_error(exc))
        return JobRetry(describe_http_error(exc))
    if isinstance(exc, disnake.HTTPException):
        retry_in = None
        if exc.status == 429:
            retry_after = exc.response.headers.get("Retry-After") if exc.response else None
            try:
                retry_in = float(retry_after) if retry_after else None
            except ValueError:
                retry_in = None
        return JobRetry(describe_http_error(exc), retry_in=retry_in)
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return JobRetry("Discord did not answer in time")
    if isinstance(exc, aiohttp.ClientError | OSError):
        return JobRetry(f"network error talking to Discord: {type(exc).__name__}")
    return None
