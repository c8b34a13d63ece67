"""A raw HTTP/1.1 exchange over an asyncio socket: bytes out, the status line and body back."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

READ_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Answer:
    """What the server sent back: its status (0 when it closed without answering) and body."""

    status: int
    headers: dict[str, str]
    body: bytes


def request_bytes(
    method: bytes,
    path: bytes,
    headers: list[tuple[bytes, bytes]],
    body: bytes = b"",
    *,
    content_length: bytes | None = None,
) -> bytes:
    """An HTTP/1.1 request as written on the wire; Content-Length is the body's unless given."""
    lines = [method + b" " + path + b" HTTP/1.1", b"Host: 127.0.0.1"]
    lines += [name + b": " + value for name, value in headers]
    names = {name.lower() for name, _ in headers}
    if b"content-length" not in names and b"transfer-encoding" not in names:
        lines.append(b"Content-Length: " + (content_length or str(len(body)).encode()))
    lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


# The status of an exchange the client abandoned before any answer (a body cut short).
CLIENT_LEFT = -1
# The status of an exchange the server did not answer in time (counted as a failure).
NO_ANSWER = 0


async def exchange(port: int, raw: bytes, *, abandon: bool = False) -> Answer:
    """Writes `raw` on a fresh connection and reads one response until the server closes.

    With `abandon` the client closes the connection right after writing, as a client does
    whose body is cut short: the server must cope without anyone to answer.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        try:
            writer.write(raw)
            await writer.drain()
        except ConnectionError:
            pass  # the server may answer and close before reading everything
        if abandon:
            return Answer(CLIENT_LEFT, {}, b"")
        try:
            data = await asyncio.wait_for(_read_all(reader), READ_TIMEOUT_SECONDS)
        except TimeoutError:
            return Answer(NO_ANSWER, {}, b"no answer within %d s" % READ_TIMEOUT_SECONDS)
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionError:
            pass
    return parse_answer(data)


async def _read_all(reader: asyncio.StreamReader) -> bytes:
    """One response: up to its Content-Length when it has one (the server may linger), else EOF."""
    data = b""
    try:
        while chunk := await reader.read(65536):
            data += chunk
            head, found, body = data.partition(b"\r\n\r\n")
            length = _content_length(head) if found else None
            if length is not None and len(body) >= length:
                break
    except ConnectionError:
        pass  # a reset after the answer still leaves the answer readable
    return data


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            return int(value.strip())
    return None


def parse_answer(data: bytes) -> Answer:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
        return Answer(NO_ANSWER, {}, data)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().decode("latin-1").lower()] = value.strip().decode("latin-1")
    return Answer(int(parts[1]), headers, body)
