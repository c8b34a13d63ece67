"""Provider-shaped bodies with odd field values, to be signed correctly before sending."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from tests.http import strategies as s
from tests.http.signing import midtrans_signed
from tests.webhooks.helpers import BUYER

PRODUCTS = ("game-key", "vip", "starter-bundle")
# Discord ids at and past the edges a snowflake and a signed 64-bit column allow.
EDGE_IDS = (0, 1, -1, 1 << 22, (1 << 63) - 1, 1 << 63, 1 << 64, 10**20, 10**40)
discord_ids = st.one_of(
    st.sampled_from(EDGE_IDS),
    st.sampled_from(EDGE_IDS).map(str),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(["", " 223456789012345678 ", "223456789012345678.0", "1e18", "abc", "١٢٣"]),
    st.floats(allow_nan=False) | st.booleans() | st.none() | st.lists(st.integers(), max_size=2),
)
odd = s.json_value
ident = st.text("abcdefXYZ0123456789-_:", min_size=1, max_size=24)
small_text = st.sampled_from([True, True, False]).flatmap(
    lambda plain: ident if plain else st.text(max_size=30)
)
whole = st.integers(min_value=-(10**25), max_value=10**25) | st.sampled_from([0, 1, 1000, 10**12])
# Stripe "created" values: now-ish, and far outside what a datetime can hold.
created = st.one_of(
    st.builds(s.now),
    st.sampled_from([0, -1, -(10**12), 10**11, 10**20, 2**63, 2**64, -(2**63)]),
    st.integers(),
    odd,
)


def _maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly the expected kind of value, sometimes any JSON at all."""
    return st.sampled_from([False, False, False, True]).flatmap(
        lambda anything: odd if anything else strategy
    )


def _dump(value: object) -> bytes:
    return json.dumps(value).encode()


generic = st.fixed_dictionaries(
    {
        "event_id": _maybe(small_text),
        "order_id": _maybe(small_text),
        "status": _maybe(st.sampled_from(["pending", "paid", "failed", "refunded", "disputed"])),
    },
    optional={
        "discord_user_id": discord_ids,
        "product": _maybe(st.sampled_from(PRODUCTS)),
        "quantity": _maybe(whole),
        "amount": _maybe(whole),
        "currency": _maybe(st.sampled_from(["USD", "IDR", "usd", "US"])),
        "email": _maybe(st.sampled_from(["a@b.example", "x" * 300 + "@b", "@"])),
    },
).map(_dump)

api_order = st.fixed_dictionaries(
    {
        "discord_user_id": _maybe(st.just(BUYER) | st.just(str(BUYER))).flatmap(
            lambda user: st.just(user) | discord_ids
        ),
        "product": _maybe(st.sampled_from(PRODUCTS)),
    },
    optional={
        "quantity": _maybe(whole),
        "amount": _maybe(whole),
        "currency": _maybe(st.sampled_from(["USD", "IDR"])),
        "status": _maybe(st.sampled_from(["paid", "pending", "refunded"])),
        "order_id": _maybe(small_text),
        "email": _maybe(st.just("buyer@example.com")),
    },
).map(_dump)

stripe_object = st.fixed_dictionaries(
    {"id": _maybe(small_text)},
    optional={
        "metadata": _maybe(
            st.fixed_dictionaries(
                {},
                optional={
                    "kind": st.sampled_from(["order", "topup"]) | odd,
                    "order_id": _maybe(st.sampled_from(["1", "99999999999999999999", "x"])),
                    "discord_user_id": discord_ids,
                },
            )
        ),
        "payment_status": _maybe(st.sampled_from(["paid", "unpaid", "no_payment_required"])),
        "amount_total": _maybe(whole),
        "amount_refunded": _maybe(whole),
        "currency": _maybe(st.sampled_from(["usd", "idr"])),
        "client_reference_id": _maybe(st.sampled_from(["1", "2", "99999999999999999999999"])),
        "payment_intent": _maybe(st.sampled_from(["pi_1", "pi_2"])),
        "refunded": st.booleans() | odd,
        "status": _maybe(st.sampled_from(["won", "lost", "warning_closed"])),
    },
)
stripe_types = st.sampled_from(
    [
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.expired",
        "charge.refunded",
        "charge.dispute.created",
        "charge.dispute.closed",
        "customer.created",
    ]
)
stripe = st.fixed_dictionaries(
    {
        "id": _maybe(small_text),
        "type": _maybe(stripe_types),
        "created": created,
        "data": _maybe(st.fixed_dictionaries({"object": _maybe(stripe_object)})),
    },
    optional={"livemode": odd, "object": st.just("event")},
).map(_dump)

MIDTRANS_REFS = (
    "order-1-ABC",
    "order-999999999999999999-X",
    "topup-223456789012345678-0123456789ab",
    "topup-99999999999999999999-0123456789ab",
    "topup-18446744073709551616-0123456789ab",
)
midtrans = st.fixed_dictionaries(
    {
        "order_id": _maybe(st.sampled_from(MIDTRANS_REFS) | small_text),
        "status_code": _maybe(st.sampled_from(["200", "201", "202"])),
        "gross_amount": _maybe(st.sampled_from(["50000.00", "1e999", "-1", "x"])),
        "transaction_status": _maybe(st.sampled_from(["settlement", "capture", "pending"])),
    },
    optional={"fraud_status": _maybe(st.sampled_from(["accept", "deny"])), "currency": odd},
).map(lambda note: _dump(midtrans_signed(note)))

ECWID_ORDERS = ("OK1", "HUGE", "NEG", "MENTION", "WORDS", "MISSING")
ecwid = st.fixed_dictionaries(
    {
        "eventId": _maybe(small_text),
        "eventCreated": st.builds(s.now) | whole | small_text | odd,
        "eventType": _maybe(st.sampled_from(["order.created", "order.updated", "product.updated"])),
    },
    optional={
        "storeId": _maybe(st.sampled_from([1003, "1003", 1])),
        "entityId": _maybe(whole),
        "data": _maybe(
            st.fixed_dictionaries({}, optional={"orderId": _maybe(st.sampled_from(ECWID_ORDERS))})
        ),
    },
).map(_dump)

# Labels after the Order Number, which every generated message starts with.
REFRACT_LABELS = ("Product", "Price", "Quantity", "Total", "Status", "Email", "**Commission**")
refract_value = st.one_of(
    st.sampled_from(
        [
            "$5.00",
            "€1.000,00",
            "Rp 50.000",
            "3",
            "99999999999999999999",
            "paid",
            "-$1",
            "1e999",
            "$" + "9" * 400,
        ]
    ),
    st.text(max_size=40),
)
refract = st.tuples(
    st.sampled_from(["#ABC-1", "R-2", "r/3", "", "a b", "#" * 200]),
    st.lists(st.tuples(st.sampled_from(REFRACT_LABELS), refract_value), max_size=6),
).map(
    lambda parts: (
        f"Successful Checkout | Store\nOrder Number\n{parts[0]}\n"
        + "\n".join(f"{k}\n{v}" for k, v in parts[1])
    ).encode("utf-8", "surrogatepass")
)

BY_ROUTE = {
    "/webhooks/generic": generic,
    "/webhooks/stripe": stripe,
    "/webhooks/midtrans": midtrans,
    "/webhooks/ecwid": ecwid,
    "/webhooks/refract": refract,
    "/api/orders": api_order,
}
