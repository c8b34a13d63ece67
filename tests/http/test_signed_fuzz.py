"""Correctly signed odd bodies over raw sockets, per route: past the signature, never a 5xx."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.http import strategies as s
from tests.http.conftest import EXAMPLES, Served
from tests.http.fuzzing import finish, run_examples
from tests.http.signed_bodies import BY_ROUTE
from tests.http.signing import signed_headers
from tests.http.wire import request_bytes
from tests.webhooks.helpers import BUYER

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
ENCODED = (b"gzip", b"deflate")


@st.composite
def signed_requests(draw: st.DrawFn, path: str) -> bytes:
    """A body shaped for `path` (or any garbage), signed as its provider signs, maybe gzipped."""
    shaped = draw(st.sampled_from([True, True, True, False]))
    body = draw(BY_ROUTE[path] if shaped else s.bodies)
    headers = signed_headers(path, body)
    if draw(st.booleans()):
        headers.append((b"Content-Type", draw(s.content_types)))
    if draw(st.sampled_from([False, False, False, False, True])):
        encoding = draw(st.sampled_from(ENCODED))
        headers.append((b"Content-Encoding", encoding))
        body = s.compressed(body, encoding) if draw(st.booleans()) else body
    query = b"?eventtype=order.created" if path == "/webhooks/ecwid" else b""
    return request_bytes(b"POST", path.encode() + query, headers, body)


def seed_provider_fakes(fake_midtrans, fake_ecwid) -> None:
    """Orders and transactions the fuzzed events name, some carrying impossible Discord ids."""
    for ref in (
        "topup-223456789012345678-0123456789ab",
        "topup-99999999999999999999-0123456789ab",
        "topup-18446744073709551616-0123456789ab",
        "order-1-ABC",
    ):
        fake_midtrans.transactions[ref] = {
            "order_id": ref,
            "transaction_id": f"tx-{ref}",
            "gross_amount": "50000.00",
            "currency": "IDR",
            "transaction_status": "settlement",
            "fraud_status": "accept",
        }
    for order_id, user in (
        ("OK1", str(BUYER)),
        ("HUGE", "18446744073709551616"),
        ("NEG", "-5"),
        ("MENTION", f"<@{BUYER}>"),
        ("WORDS", "me"),
    ):
        fake_ecwid.add_order(order_id, sku="GAME-KEY", discord_user_id=user)


# Every route on SQLite; on PostgreSQL too where ids and amounts reach typed columns.
CASES = [(path, "sqlite") for path in BY_ROUTE] + [
    (path, "postgres") for path in ("/webhooks/generic", "/api/orders", "/webhooks/midtrans")
]


@pytest.mark.parametrize(("path", "database_url"), CASES, indirect=["database_url"])
async def test_signed_odd_bodies_never_5xx_and_accepted_ones_are_processed(
    served: Served, fake_midtrans, fake_ecwid, path
):
    seed_provider_fakes(fake_midtrans, fake_ecwid)
    await run_examples(signed_requests(path), served, FUZZ)
    await finish(served, f"signed {path}")
