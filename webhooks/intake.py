"""What every webhook route shares: bounded body reads, refusals, constant-time checks, storing."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import http_exceptions, web

from models.inbox.batch_store import NewEvent
from settings import Settings
from webhooks.errors import MalformedBody, Refused
from webhooks.inbox_writer import InboxWriter

log = logging.getLogger(__name__)

# Called with the inbox row id of a newly stored event; the app wires it to the processor queue.
EventStored = Callable[[int], None]
EVENT_STORED = web.AppKey("event_stored", EventStored)
MAX_BODY_BYTES = web.AppKey("max_body_bytes", int)
SETTINGS = web.AppKey("settings", Settings)
INBOX_WRITER = web.AppKey("inbox_writer", InboxWriter)
# Content codings aiohttp decodes before the handler reads the body; any other is refused.
DECODED_ENCODINGS = frozenset({"", "identity", "gzip", "deflate"})
# Deeper JSON than any provider sends; the limit keeps recursive readers of stored bodies safe.
MAX_JSON_DEPTH = 64
# Bytes a body is read by (aiohttp's buffer limits follow it).
READ_CHUNK_BYTES = 16384
# Discord ids (snowflakes) are below 2**63: the customer table's column is a signed 64-bit int.
DISCORD_ID_BOUND = 1 << 63


class ClientGone(Refused):
    """The client closed the connection before its body arrived; there is no one to answer."""

    def __init__(self) -> None:
        super().__init__(400, "connection closed before the body was complete")


def error_response(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def read_body(request: web.Request) -> bytes:
    """The request body, decoded from its Content-Encoding and at most the size limit.

    413 when Content-Length or the decoded bytes exceed the limit; 400 for a coding the
    server does not decode, a body that does not decode, or chunk framing that breaks.
    """
    encoding = request.headers.get("Content-Encoding", "").strip()
    if not encoding.isascii() or encoding.lower() not in DECODED_ENCODINGS:
        raise Refused(400, "Content-Encoding must be gzip, deflate or identity")
    limit = request.app[MAX_BODY_BYTES]
    if request.content_length is not None and request.content_length > limit:
        raise Refused(413, f"body larger than {limit} bytes")
    content = request.content
    content.set_read_chunk_size(READ_CHUNK_BYTES)
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := await content.read(READ_CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise Refused(413, f"body larger than {limit} bytes")
            chunks.append(chunk)
            # Done without the empty read that would only say so (a failed stream raises).
            if content.at_eof() and content.exception() is None:
                break
    except (web.RequestPayloadError, http_exceptions.HttpProcessingError):
        raise Refused(400, "body does not decode (Content-Encoding or chunked framing)") from None
    except ConnectionError:
        raise ClientGone() from None
    if len(chunks) == 1:
        return chunks[0]
    return b"".join(chunks)


def decode_text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedBody("body is not UTF-8 text") from None


def decode_json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or a 400."""
    return parse_json_object(decode_text(body))


def parse_json_object(text: str) -> dict[str, Any]:
    """JSON text as an object at most MAX_JSON_DEPTH deep whose strings are all UTF-8; or a 400."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise MalformedBody(f"body JSON is nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError:
        raise MalformedBody("body is not valid JSON") from None
    if not isinstance(value, dict):
        raise MalformedBody("body must be a JSON object")
    if not _plainly_within_bounds(text):
        _check_json_tree(value)
    return value


def _plainly_within_bounds(text: str) -> bool:
    """Whether the text alone shows what _check_json_tree would find, so the walk is skipped.

    A value nested deeper than MAX_JSON_DEPTH needs at least that many opening brackets in
    the text (those inside strings only count extra). Without a backslash there is no \\u
    escape: every string of the value is a slice of the text, so it encodes when the text
    does (always, for text decoded from UTF-8 bytes).
    """
    if "\\" in text or text.count("{") + text.count("[") >= MAX_JSON_DEPTH:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_json_tree(root: dict[str, Any]) -> None:
    """Walks the parsed value without recursion: depth bounded, no lone surrogate escapes."""
    pending: list[tuple[Any, int]] = [(root, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise MalformedBody(f"body JSON is nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(value, dict):
            pending.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise MalformedBody("body JSON has a \\u escape that is not a character") from None


def wire_bytes(text: str) -> bytes:
    """A header or field value back as bytes, whatever it holds.

    aiohttp decodes header bytes that are not UTF-8 into lone surrogates, which a plain
    `.encode()` refuses; "surrogatepass" encodes every str, so comparisons never raise.
    """
    return text.encode("utf-8", "surrogatepass")


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison of any text (odd header bytes too); empty never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(wire_bytes(given), wire_bytes(expected))


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
    # Group commit: this request's row shares a statement with those arriving meanwhile,
    # and the answer waits until that statement committed.
    row_id, created = await request.app[INBOX_WRITER].store(
        NewEvent(event.provider, event.event_id, event.event_type, event.raw_body)
    )
    # A duplicate is queued too: its first delivery may have been stored and then answered
    # 5xx (the connection died after the INSERT), and nothing else would pick it up before
    # a restart. A row already processed is skipped by the worker; queued twice, it runs once.
    request.app[EVENT_STORED](row_id)
    # DEBUG: the writer logs the counts at INFO every few seconds; the inbox row itself is
    # the record (GET /api/webhooks/logs).
    if created:
        log.debug("stored %s event %s as inbox row %d", event.provider, event.event_type, row_id)
    else:
        log.debug("duplicate %s event, inbox row %d, not processed again", event.provider, row_id)
    return acknowledgement(duplicate=not created)


# The two bodies a stored event is answered with, encoded once (json_response's bytes).
_ACK_BODIES = {
    duplicate: json.dumps({"received": True, "duplicate": duplicate}).encode()
    for duplicate in (False, True)
}
_JSON_UTF8 = "application/json; charset=utf-8"


def acknowledgement(*, duplicate: bool) -> web.Response:
    """200 {"received": true, "duplicate": …}, as web.json_response would build it."""
    return web.Response(body=_ACK_BODIES[duplicate], headers={"Content-Type": _JSON_UTF8})


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
    """A Discord user id given as digits (string or number); None when absent; else a 400.

    Snowflakes lie in [2**22, 2**63): anything outside could not be a user and would fail
    for ever when stored, so it is refused here, before the request is answered.
    """
    if value is None or value == "":
        return None
    plain = isinstance(value, str | int) and not isinstance(value, bool)
    text = str(value).strip() if plain else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 20:
        raise MalformedBody(f"{where} must be a Discord user id (digits)")
    if not 1 << 22 <= int(text) < DISCORD_ID_BOUND:
        raise MalformedBody(f"{where} is not a Discord user id (out of range)")
    return int(text)
