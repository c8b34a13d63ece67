"""Broken HTTP framing and vanished clients: a 400 or nothing, one log line, no traceback."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web

from tests.http.conftest import Served, table_counts
from tests.http.wire import exchange, request_bytes
from tests.webhooks.helpers import REFRACT_TOKEN
from webhooks.app import answer_errors

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

BROKEN = {
    "bad byte in the query": b"GET /api/webhooks/logs?token=\xff HTTP/1.1\r\nHost: x\r\n\r\n",
    "request line too long": b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "header too long": b"GET /health HTTP/1.1\r\nX-A: " + b"a" * 9000 + b"\r\n\r\n",
    "bad Content-Length": b"POST /webhooks/generic HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    "NUL in a header": b"POST /webhooks/generic HTTP/1.1\r\nX-Signature: a\0b\r\n\r\n",
    "bad chunk size": b"POST /webhooks/generic HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"zz\r\nabc\r\n0\r\n\r\n",
    "brotli body": b"POST /webhooks/generic HTTP/1.1\r\nContent-Encoding: br\r\n"
    b"Content-Length: 2\r\n\r\n{}",
}


@SQLITE
@pytest.mark.parametrize("name", list(BROKEN))
async def test_broken_framing_is_400_with_one_line_in_the_log(served: Served, caplog, name):
    caplog.set_level(logging.INFO)
    answer = await exchange(served.port, BROKEN[name])
    await served.connections_closed()
    assert answer.status == 400, answer
    assert not served.log.records, served.log.summary()
    lines = [r for r in caplog.records if r.name.startswith(("webhooks", "aiohttp"))]
    assert len(lines) == 1 and lines[0].exc_info is None, [r.getMessage() for r in lines]
    assert "\n" not in lines[0].getMessage()


@SQLITE
async def test_the_query_token_is_not_echoed_into_the_log(served: Served, caplog):
    caplog.set_level(logging.DEBUG)
    raw = b"POST /webhooks/refract?token=" + REFRACT_TOKEN.encode() + b"\xff HTTP/1.1\r\n\r\n"
    assert (await exchange(served.port, raw)).status == 400
    await served.connections_closed()
    assert REFRACT_TOKEN not in caplog.text


@SQLITE
@pytest.mark.parametrize("path", [b"/webhooks/generic", b"/webhooks/refract", b"/api/orders"])
async def test_a_client_leaving_mid_body_leaves_no_traceback_and_no_row(served: Served, path):
    before = await table_counts()
    raw = request_bytes(b"POST", path, [], b'{"event_id":', content_length=b"5000")
    await exchange(served.port, raw, abandon=True)
    # The next connection is accepted after the abandoned one (the backlog is in order).
    assert (await exchange(served.port, request_bytes(b"GET", b"/health", []))).status == 200
    await served.connections_closed()
    assert not served.log.records, served.log.summary()
    assert await table_counts() == before


@SQLITE
async def test_a_refused_request_logs_one_line(served: Served, caplog):
    caplog.set_level(logging.INFO)
    raw = request_bytes(b"POST", b"/webhooks/generic", [(b"X-Signature", b"t=1,v1=00")], b"{}")
    assert (await exchange(served.port, raw)).status == 401
    await served.connections_closed()
    lines = [r for r in caplog.records if r.name.startswith(("webhooks", "aiohttp"))]
    assert len(lines) == 1 and lines[0].exc_info is None, [r.getMessage() for r in lines]


async def test_a_genuine_bug_still_gets_the_last_resort_500_with_its_traceback(
    aiohttp_client, caplog
):
    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError("a bug")

    app = web.Application(middlewares=[answer_errors])
    app.router.add_post("/broken", broken)
    client = await aiohttp_client(app)
    response = await client.post("/broken", data=b"{}")
    assert response.status == 500
    assert await response.json() == {"error": "internal error"}
    errors = [r for r in caplog.records if r.name == "webhooks.app" and r.exc_info]
    assert len(errors) == 1 and errors[0].exc_info[0] is RuntimeError
