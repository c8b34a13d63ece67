"""What every webhook route shares: bounded body reads, refusals, constant-time checks, storing."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from models.inbox.actions import store_webhook_event
from settings import Settings
from webhooks.errors import MalformedBody, Refused

log = logging.getLogger(__name__)

# Called with the inbox row id of a newly stored event; the app wires it to the processor queue.
EventStored = Callable[[int], None]
EVENT_STORED = web.AppKey("event_stored", EventStored)
MAX_BODY_BYTES = web.AppKey("max_body_bytes", int)
SETTINGS = web.AppKey("settings", Settings)


def error_response(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def read_body(request: web.Request) -> bytes:
    """The request body, refused with 413 when Content-Length or the bytes read exceed the limit."""
    limit = request.app[MAX_BODY_BYTES]
    if request.content_length is not None and request.content_length > limit:
        raise Refused(413, f"body larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(16384):
        size += len(chunk)
        if size > limit:
            raise Refused(413, f"body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def decode_text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedBody("body is not UTF-8 text") from None


def decode_json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or a 400."""
    text = decode_text(body)
    try:
        value = json.loads(text)
    except ValueError:
        raise MalformedBody("body is not valid JSON") from None
    if not isinstance(value, dict):
        raise MalformedBody("body must be a JSON object")
    return value


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison; an empty expected secret never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def bearer_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def hmac_sha256_hex(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class AcceptedEvent:
    """A verified, parseable callback, ready for the inbox."""

    provider: str
    event_id: str
    event_type: str
    raw_body: str


async def store_and_answer(request: web.Request, event: AcceptedEvent) -> web.Response:
    """Stores the event, queues it for processing, and answers 200 (also for a duplicate)."""
    row_id, created = await store_webhook_event(
        event.provider, event.event_id, event.event_type, event.raw_body
    )
    # A duplicate is queued too: its first delivery may have been stored and then answered
    # 5xx (the connection died after the INSERT), and nothing else would pick it up before
    # a restart. A row already processed is skipped by the worker; queued twice, it runs once.
    request.app[EVENT_STORED](row_id)
    if created:
        log.info("stored %s event %s as inbox row %d", event.provider, event.event_type, row_id)
    else:
        log.info("duplicate %s event, inbox row %d, not processed again", event.provider, row_id)
    return web.json_response({"received": True, "duplicate": not created})


def optional_text(data: Any, key: str, where: str = "body") -> str | None:
    """data[key] as non-empty text, None when absent or null; a 400 for any other type."""
    if not isinstance(data, dict):
        raise MalformedBody(f"{where} must be a JSON object")
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise MalformedBody(f"{where}.{key} must be a string")
    return value


def required_text(data: Any, key: str, where: str = "body") -> str:
    value = optional_text(data, key, where)
    if value is None:
        raise MalformedBody(f"{where}.{key} is required")
    return value


def optional_int(data: Any, key: str, where: str = "body") -> int | None:
    """data[key] as an integer (JSON number without fraction), None when absent; else a 400."""
    if not isinstance(data, dict):
        raise MalformedBody(f"{where} must be a JSON object")
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedBody(f"{where}.{key} must be a whole number")
    return value


def optional_object(data: Any, key: str, where: str = "body") -> dict[str, Any]:
    """data[key] as an object ({} when absent or null); a 400 for any other type."""
    if not isinstance(data, dict):
        raise MalformedBody(f"{where} must be a JSON object")
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MalformedBody(f"{where}.{key} must be an object")
    return value


def discord_id(value: Any, where: str) -> int | None:
    """A Discord user id given as digits (string or number); None when absent; else a 400."""
    if value is None or value == "":
        return None
    plain = isinstance(value, str | int) and not isinstance(value, bool)
    text = str(value).strip() if plain else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 20 or int(text) < 1 << 22:
        raise MalformedBody(f"{where} must be a Discord user id (digits)")
    return int(text)
