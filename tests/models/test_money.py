"""Money formatting, and parsing amounts as people write them, in integer minor units."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.money import AmountError, exponent, format_money, parse_money


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
    ("text", "currency", "amount"),
    [
        ("10", "USD", 1000),
        ("10.50", "USD", 1050),
        ("$299.99", "USD", 29999),
        ("$1,299.99", "USD", 129999),
        ("0.5", "USD", 50),
        (".5", "USD", 50),
        ("-5", "USD", -500),
        ("-$5", "USD", -500),
        ("$-5", "USD", -500),
        ("+10", "USD", 1000),
        ("10 USD", "USD", 1000),
        ("usd 10", "USD", 1000),
        ("1,000,000", "USD", 100000000),
        ("1,299", "USD", 129900),
        ("£1,000", "GBP", 100000),
        ("1.299,99 €", "EUR", 129999),
        ("€1,299.99", "EUR", 129999),
        ("10,50 €", "EUR", 1050),
        ("1 299,50", "EUR", 129950),
        ("1\u202f299,50\u00a0€", "EUR", 129950),
        ("1.000.000", "EUR", 100000000),
        ("\u2212€5", "EUR", -500),
        ("1'299.50 CHF", "CHF", 129950),
        # IDR: rupiah are written without decimals, "." groups the thousands.
        ("Rp 50.000", "IDR", 5000000),
        ("Rp50.000", "IDR", 5000000),
        ("Rp 1.500.000", "IDR", 150000000),
        ("Rp 50,000", "IDR", 5000000),
        ("50.000,50", "IDR", 5000050),
        ("Rp 1,500.00", "IDR", 150000),
        ("5539.00", "IDR", 553900),  # Midtrans' gross_amount
        ("¥1,000", "JPY", 1000),
        ("1.000", "JPY", 1000),
        ("1.234", "KWD", 1234),
        ("1,234.567", "KWD", 1234567),
    ],
)
def test_parse_money_reads_amounts_as_people_write_them(
    text: str, currency: str, amount: int
) -> None:
    assert parse_money(text, currency) == amount


@pytest.mark.parametrize(
    ("text", "currency", "says"),
    [
        ("", "USD", "Enter an amount"),
        (None, "USD", "Enter an amount"),
        ("$", "USD", "not an amount"),
        ("abc", "USD", "not an amount"),
        ("$12abc", "USD", "names a currency twice"),
        ("12 dollars", "USD", "not an amount"),
        ("12abc", "USD", "names ABC"),
        ("1.2.3", "USD", "come in threes"),
        ("1,00,000", "USD", "come in threes"),
        ("0.125", "USD", "at most 2 decimals"),
        ("1.5", "JPY", "whole numbers"),
        ("--5", "USD", "two signs"),
        ("€10", "USD", "not in USD"),
        ("Rp 10", "USD", "not in USD"),
        ("10 EUR", "USD", "names EUR"),
        ("$10 USD", "USD", "names a currency twice"),
        ("1 234.567,8", "EUR", "mixes different marks"),
        ("1" * 30, "USD", "larger than any amount"),
    ],
)
def test_parse_money_refuses_saying_what_is_wrong(text, currency: str, says: str) -> None:
    with pytest.raises(AmountError, match=says):
        parse_money(text, currency)


@pytest.mark.parametrize(
    ("text", "currency", "understood"),
    [
        ("1.234", "USD", "I read $1,234.00 if “.” separates thousands"),
        ("1.299", "EUR", "I read €1,299.00"),
        ("1,299", "EUR", "I read €1,299.00 if “,” separates thousands"),
        ("1,234", "KWD", "to mean 1.234 KWD, write 1.234"),
    ],
)
def test_ambiguous_amounts_are_refused_saying_how_they_would_be_read(
    text: str, currency: str, understood: str
) -> None:
    with pytest.raises(AmountError, match="ambiguous") as refused:
        parse_money(text, currency)
    assert understood in str(refused.value)


def test_amount_errors_are_value_errors_for_older_callers() -> None:
    with pytest.raises(ValueError):
        parse_money("nope", "USD")


CURRENCIES = ["USD", "EUR", "GBP", "IDR", "JPY", "KWD", "CHF"]


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from(CURRENCIES))
def test_format_then_parse_round_trips(amount: int, currency: str) -> None:
    assert parse_money(format_money(amount, currency), currency) == amount


def _european(amount: int, currency: str) -> str:
    """1299.99 EUR as "1.299,99 €": "." between thousands, "," before the decimals."""
    digits = exponent(currency)
    whole, fraction = divmod(abs(amount), 10**digits)
    grouped = f"{whole:,}".replace(",", ".")
    text = grouped + (f",{fraction:0{digits}d}" if digits else "")
    return ("-" if amount < 0 else "") + f"{text} {currency}"


@given(
    st.integers(min_value=-(10**15), max_value=10**15),
    # Not KWD: there "1,000" is truly ambiguous (one dinar, or a thousand).
    st.sampled_from([c for c in CURRENCIES if exponent(c) != 3]),
)
def test_european_style_round_trips(amount: int, currency: str) -> None:
    assert parse_money(_european(amount, currency), currency) == amount


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["USD", "EUR", "IDR"]))
def test_plain_whole_numbers_are_whole_currency_units(units: int, currency: str) -> None:
    assert parse_money(str(units), currency) == units * 10 ** exponent(currency)
