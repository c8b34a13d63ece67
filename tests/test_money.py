"""Money formatting and parsing in integer minor units."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.money import format_money, parse_money


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (2250, "USD", "$22.50"),
        (5, "USD", "$0.05"),
        (-1999, "EUR", "-€19.99"),
        (150000, "IDR", "Rp 1,500.00"),
        (1000, "JPY", "¥1,000"),
        (1234, "CHF", "12.34 CHF"),
        (1234, "KWD", "1.234 KWD"),
    ],
)
def test_format_money(amount: int, currency: str, text: str) -> None:
    assert format_money(amount, currency) == text


@pytest.mark.parametrize(
    ("text", "amount"),
    [("$299.99", 29999), ("$1,299.99", 129999), ("12", 1200), ("0.5", 50), ("Rp 10", 1000)],
)
def test_parse_money(text: str, amount: int) -> None:
    assert parse_money(text, "USD") == amount


@pytest.mark.parametrize("text", ["", "$", "abc", "1.234", "1.2.3", "$12abc", None])
def test_parse_money_rejects(text) -> None:
    with pytest.raises(ValueError):
        parse_money(text, "USD")


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from(["USD", "JPY", "KWD"]))
def test_format_then_parse_round_trips(amount: int, currency: str) -> None:
    text = format_money(amount, currency).replace(currency, "").replace("¥", "").strip()
    assert parse_money(text, currency) == amount
