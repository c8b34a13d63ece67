"""Orders-channel embed → PaymentEvent: the pure parser, with messy inputs from hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.base import OrderSource
from models.orders.feed_embeds import (
    EmbedOrder,
    EmbedRejection,
    is_order_embed,
    parse_order_embed,
    payment_event_for,
)
from models.orders.payment_event import PaymentStatus

USER_ID = 412345678901234567


def seed_fields(**overrides: str) -> list[tuple[str, str]]:
    """The four fields the original PHP relay posts, in its order."""
    fields = {
        "Order ID": "XJ12H",
        "Payment Status": "PAID",
        "Email": "buyer@example.com",
        "Discord User ID": str(USER_ID),
    }
    fields.update(overrides)
    return list(fields.items())


def test_seed_embed_becomes_a_paid_order_event() -> None:
    parsed = parse_order_embed(seed_fields())
    assert parsed == EmbedOrder(
        order_id="XJ12H",
        status=PaymentStatus.PAID,
        raw_status="PAID",
        discord_user_id=USER_ID,
        email="buyer@example.com",
    )
    event = payment_event_for(parsed, 1234567890123456789)
    assert event.source is OrderSource.EMBED
    assert event.external_id == "XJ12H"
    assert event.reference == "1234567890123456789"
    assert event.status is PaymentStatus.PAID
    assert event.grants_customer_role is True
    assert event.discord_user_id == USER_ID
    assert event.actor_id is None


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("PAID", PaymentStatus.PAID),
        ("paid", PaymentStatus.PAID),
        ("REFUNDED", PaymentStatus.REFUNDED),
        ("Cancelled", PaymentStatus.CANCELLED),
        ("CANCELED", PaymentStatus.CANCELLED),
        ("partially refunded", PaymentStatus.PARTIALLY_REFUNDED),
        ("AWAITING_PAYMENT", PaymentStatus.PENDING),
    ],
)
def test_payment_statuses_map_to_order_core_statuses(raw: str, status: PaymentStatus) -> None:
    parsed = parse_order_embed(seed_fields(**{"Payment Status": raw}))
    assert isinstance(parsed, EmbedOrder)
    assert parsed.status is status


def test_field_names_match_loosely_and_extra_fields_are_ignored() -> None:
    fields = [
        ("Store", "My shop"),
        ("  ORDER   id: ", "  #XJ12H  "),
        ("**payment status**", " `REFUNDED` "),
        ("e-mail", "not this one"),
        ("EMAIL", "buyer@example.com"),
        ("discord user ID", f"<@!{USER_ID}>"),
        ("Total", "$5.00"),
    ]
    parsed = parse_order_embed(fields)
    assert isinstance(parsed, EmbedOrder)
    assert (parsed.order_id, parsed.status, parsed.discord_user_id) == (
        "XJ12H",
        PaymentStatus.REFUNDED,
        USER_ID,
    )


@pytest.mark.parametrize("missing", ["Order ID", "Payment Status", "Email", "Discord User ID"])
def test_a_missing_field_is_a_rejection_naming_it(missing: str) -> None:
    fields = [(name, value) for name, value in seed_fields() if name != missing]
    parsed = parse_order_embed(fields)
    assert isinstance(parsed, EmbedRejection)
    assert missing.lower() in parsed.reason


@pytest.mark.parametrize(
    "bad_id", ["", "abc", "12345", "-412345678901234567", "99999999999999999999", "4123 4567"]
)
def test_a_bad_discord_id_is_a_rejection(bad_id: str) -> None:
    parsed = parse_order_embed(seed_fields(**{"Discord User ID": bad_id}))
    assert isinstance(parsed, EmbedRejection)
    assert "Discord User ID" in parsed.reason


def test_an_unknown_payment_status_is_a_rejection() -> None:
    parsed = parse_order_embed(seed_fields(**{"Payment Status": "CUSTOM_PAYMENT_STATUS_1"}))
    assert isinstance(parsed, EmbedRejection)
    assert "CUSTOM_PAYMENT_STATUS_1" in parsed.reason


def test_a_rejection_never_carries_the_email() -> None:
    parsed = parse_order_embed(seed_fields(**{"Discord User ID": "nope"}))
    assert isinstance(parsed, EmbedRejection)
    assert "buyer@example.com" not in parsed.reason


def test_an_unreadable_email_is_dropped_not_fatal() -> None:
    parsed = parse_order_embed(seed_fields(Email="N/A"))
    assert isinstance(parsed, EmbedOrder)
    assert parsed.email is None


def test_only_embeds_with_order_fields_are_order_embeds() -> None:
    assert is_order_embed(seed_fields())
    assert is_order_embed([("order id", "1")])
    assert not is_order_embed([("Status", "PAID"), ("Buyer", "x")])
    assert not is_order_embed([])


field_names = st.sampled_from(
    ["Order ID", "Payment Status", "Email", "Discord User ID", "Total", "Note", ""]
)
messy_fields = st.lists(st.tuples(field_names | st.text(max_size=30), st.text(max_size=80)))


@given(messy_fields)
def test_any_field_list_parses_or_is_rejected_never_raises(fields) -> None:
    parsed = parse_order_embed(fields)
    assert isinstance(parsed, EmbedOrder | EmbedRejection)
    if isinstance(parsed, EmbedOrder):
        assert 17 <= len(str(parsed.discord_user_id)) <= 20
        assert parsed.order_id
        payment_event_for(parsed, 1)


def _respell(name: str, draw_case: list[bool], pad: str) -> str:
    letters = [c.upper() if up else c.lower() for c, up in zip(name, draw_case, strict=False)]
    return pad + "".join(letters) + name[len(letters) :] + pad


@given(
    st.lists(st.booleans(), min_size=20, max_size=20),
    st.sampled_from(["", " ", "  ", "\t"]),
    st.integers(min_value=10**16, max_value=2**63 - 1),
    st.sampled_from(sorted(["PAID", "REFUNDED", "CANCELLED", "paid", " Refunded "])),
    st.permutations(range(4)),
    st.lists(st.tuples(st.text(max_size=10), st.text(max_size=10)), max_size=3),
)
def test_case_spacing_order_and_extra_fields_do_not_change_the_result(
    case, pad, user_id, status, order, extras
) -> None:
    base = seed_fields(**{"Discord User ID": str(user_id), "Payment Status": status})
    shuffled = [(_respell(base[i][0], case, pad), f"{pad}{base[i][1]}{pad}") for i in order]
    extras = [(name, value) for name, value in extras if not is_order_embed([(name, value)])]
    assert parse_order_embed(shuffled + extras) == parse_order_embed(base)
