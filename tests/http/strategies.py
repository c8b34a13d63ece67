"""Hypothesis strategies for HTTP requests: methods, paths, headers and bodies, good and bad."""

from __future__ import annotations

import gzip
import json
import time
import zlib

from hypothesis import strategies as st

ROUTES = (
    "/webhooks/stripe",
    "/webhooks/midtrans",
    "/webhooks/ecwid",
    "/webhooks/refract",
    "/webhooks/generic",
    "/api/orders",
    "/api/webhooks/logs",
    "/health",
)
POST_ROUTES = ROUTES[:6]
AUTH_HEADERS = (
    b"Authorization",
    b"X-Signature",
    b"Stripe-Signature",
    b"X-Refract-Token",
    b"X-Ecwid-Webhook-Signature",
    b"Idempotency-Key",
)
# The credential header each route reads, for odd bytes exactly where the checks look.
CREDENTIAL = {
    b"/webhooks/stripe": b"Stripe-Signature",
    b"/webhooks/ecwid": b"X-Ecwid-Webhook-Signature",
    b"/webhooks/refract": b"X-Refract-Token",
    b"/webhooks/generic": b"X-Signature",
    b"/api/orders": b"Authorization",
    b"/api/webhooks/logs": b"Authorization",
}
OTHER_HEADERS = (b"Content-Type", b"Content-Encoding", b"Accept-Encoding", b"Accept", b"Cookie")

# Header values as they can arrive: any byte but CR, LF and NUL, so also non-UTF-8 ones.
header_value = st.binary(max_size=80).map(
    lambda b: b.replace(b"\r", b"").replace(b"\n", b"").replace(b"\0", b"")
)
huge_value = st.integers(4000, 20000).map(lambda n: b"x" * n)
token_like = st.sampled_from(
    [b"Bearer \xff\xfe", b"Bearer caf\xc3\xa9", b"t=1,v1=\xe9", b"t=\xff,v1=00", b"Bearer", b""]
)
# Mostly what the routes take, so most requests reach the handlers rather than the router.
methods = st.one_of(
    st.just(b"POST"),
    st.just(b"GET"),
    st.sampled_from([b"PUT", b"DELETE", b"PATCH", b"HEAD", b"OPTIONS"]),
    st.binary(min_size=1, max_size=10).filter(lambda b: b" " not in b and b"\r" not in b),
)
junk_path = st.sampled_from(
    [
        b"/",
        b"/webhooks",
        b"/webhooks/",
        b"/api",
        b"/webhooks/stripe/",
        b"/%ff",
        b"/\xff\xfe",
        b"/api/orders/../webhooks/generic",
        b"/webhooks/paypal",
        b"*",
        b"/" + b"a" * 9000,
    ]
)
query = st.sampled_from(
    [
        b"",
        b"?token=\xff",
        b"?token=%ff%fe",
        b"?page=-1",
        b"?per_page=99999999999999999999",
        b"?provider=%00",
        b"?status=\xe9",
        b"?page=1&per_page=0",
        b"?" + b"q=1&" * 500,
    ]
)
route = st.sampled_from([r.encode() for r in ROUTES])
paths = st.builds(lambda p, q: p + q, route | route | route | junk_path, st.just(b"") | query)


def _nested(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def _json_bytes(value: object) -> bytes:
    return json.dumps(value).encode()


json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
bodies = st.one_of(
    st.binary(max_size=300),
    st.integers(1, 5000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(500, 20000).map(_nested),
    st.integers(1, 5000).map(lambda n: b"1" * n),
    st.sampled_from([b"1e999999", b"-1e999999", b"NaN", b'"\\ud800"', b'{"a":1}' * 3]),
    json_value.map(_json_bytes),
)
content_types = st.sampled_from(
    [
        b"application/json",
        b"text/plain",
        b"text/plain; charset=latin-1",
        b"multipart/form-data",
        b"application/x-www-form-urlencoded",
        b"\xff/\xfe",
        b"application/json; charset=\xe9",
    ]
)


def compressed(body: bytes, encoding: bytes) -> bytes:
    if encoding == b"gzip":
        return gzip.compress(body)
    if encoding == b"deflate":
        return zlib.compress(body)
    return body


encodings = st.sampled_from(
    [b"gzip", b"deflate", b"br", b"zstd", b"identity", b"x-junk", b"gzip, gzip"]
)


def chunked(body: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (body[:7], body[7:]) if c) + b"0\r\n\r\n"


# Chunk framing that is wrong at once (answered 400) or that stops short (the client leaves).
chunked_garbage = st.sampled_from(
    [
        b"zz\r\nabc\r\n0\r\n\r\n",
        b"-1\r\n\r\n",
        b"3;\xff\r\nabc\r\n0\r\n\r\n",
        b"\xff\xfe\r\n",
        b"3\r\nabcdef\r\n0\r\n\r\n",
        b"ffffffffffffffffff\r\n",
    ]
)
chunked_cut = st.sampled_from([b"5\r\nab", b"5\r\nabcde\r\n", b'10\r\n{"a":'])
content_lengths = st.sampled_from(
    [b"-1", b"abc", b"99999999999999999999", b"1, 2", b"+5", b"0x10", b"\xff", b"0", b" 3"]
)


def now() -> int:
    return int(time.time())
