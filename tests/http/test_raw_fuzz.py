"""Unsigned garbage over raw sockets: every route and junk, bad framing, odd headers and bodies."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.http import strategies as s
from tests.http.conftest import EXAMPLES
from tests.http.fuzzing import finish, run_examples
from tests.http.wire import request_bytes

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


@st.composite
def unsigned_requests(draw: st.DrawFn) -> tuple[bytes, bool]:
    """Any method and path, a few odd headers, any body, framed well or badly."""
    names = st.sampled_from(s.AUTH_HEADERS + s.OTHER_HEADERS)
    values = s.header_value | s.huge_value | s.token_like | s.content_types
    headers = draw(st.lists(st.tuples(names, values), max_size=4))
    body = draw(s.bodies)
    if draw(st.booleans()):
        # Aimed: the route's own credential header, with bytes its check has to survive.
        path = draw(st.sampled_from(sorted(s.CREDENTIAL)))
        headers.append((s.CREDENTIAL[path], draw(s.token_like | s.header_value)))
        method = b"GET" if path == b"/api/webhooks/logs" else b"POST"
        return frame(draw, method, path, headers, body)
    return frame(draw, draw(s.methods), draw(s.paths), headers, body)


def frame(draw: st.DrawFn, method: bytes, path: bytes, headers, body: bytes) -> tuple[bytes, bool]:
    """The request on the wire, framed one of the ways clients (mis)frame it; True: abandoned."""
    how = draw(
        st.sampled_from(["plain", "length", "cut", "chunked", "garbage", "chunk-cut", "encoded"])
    )
    if how == "length":
        length = draw(s.content_lengths)
        # " 3" is a valid length (HTTP allows blanks around a value): when it promises more
        # than the body holds, the server rightly waits for the rest, so the client leaves.
        declared = length.strip()
        promised_more = declared.isdigit() and int(declared) > len(body)
        return request_bytes(method, path, headers, body, content_length=length), promised_more
    if how == "cut":
        length = str(len(body) + draw(st.integers(1, 10**6))).encode()
        return request_bytes(method, path, headers, body, content_length=length), True
    if how == "chunked":
        chunked = [*headers, (b"Transfer-Encoding", b"chunked")]
        return request_bytes(method, path, chunked, s.chunked(body)), False
    if how == "garbage":
        chunked = [*headers, (b"Transfer-Encoding", b"chunked")]
        return request_bytes(method, path, chunked, draw(s.chunked_garbage)), False
    if how == "chunk-cut":
        chunked = [*headers, (b"Transfer-Encoding", b"chunked")]
        return request_bytes(method, path, chunked, draw(s.chunked_cut)), True
    if how == "encoded":
        encoding = draw(s.encodings)
        payload = s.compressed(body, encoding) if draw(st.booleans()) else body
        encoded = [*headers, (b"Content-Encoding", encoding)]
        return request_bytes(method, path, encoded, payload), False
    return request_bytes(method, path, headers, body), False


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_unsigned_garbage_is_refused_without_5xx_tracebacks_or_changes(served):
    await run_examples(unsigned_requests(), served, FUZZ)
    await finish(served, "unsigned")
