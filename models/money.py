"""Money as integer minor units plus an ISO currency: formatting and parsing, never floats.

parse_money reads an amount as a person writes it: "10", "10.50", "$1,299.99",
"1.299,99 €", "Rp 50.000", "1 299,50", "-5". Which of "." and "," marks the decimals:

- both present: the last one marks the decimals, the other groups thousands;
- one of them, several times, or before a group of three digits in a currency written
  without decimals in practice (IDR and the currencies with no minor unit): thousands;
- "," once before three digits in a currency written "1,299.99" (dollars, pounds): thousands;
- one of them once, not followed by exactly three digits: the decimals.

Anything else could be read two ways: "1.299" in dollars (thousands written the European
way, or a typo with three decimals) and "1,299" or "1.299" in euros (written both ways).
Such an amount is refused with a message saying how it would be read and how to write it.
"""

from __future__ import annotations

import re

# ISO 4217 exponents that are not 2; everything else has two minor digits.
_EXPONENTS = {
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "IDR": 2,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    "BHD": 3,
    "JOD": 3,
    "KWD": 3,
    "OMR": 3,
    "TND": 3,
}
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "IDR": "Rp "}
# Symbols a person may type with an amount, and the currencies each may stand for.
_TYPED_SYMBOLS = {
    "$": frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD"}),
    "US$": frozenset({"USD"}),
    "€": frozenset({"EUR"}),
    "£": frozenset({"GBP"}),
    "¥": frozenset({"JPY", "CNY"}),
    "RP": frozenset({"IDR"}),
}
# Written with "." before the decimals and "," between thousands where they are used.
_COMMA_GROUPS = frozenset(
    {"USD", "GBP", "CAD", "AUD", "NZD", "SGD", "HKD", "CNY", "INR", "MXN", "PHP", "MYR", "THB"}
)
# Written without decimals in practice, so "." or "," before three digits groups thousands.
_WHOLE_IN_PRACTICE = frozenset({"IDR"})
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-"})
_AMOUNT = re.compile(
    r"^(?P<sign>[-+]?)\s*(?P<pre>[^\d\s.,'+-]+)?\s*(?P<sign2>[-+]?)\s*"
    r"(?P<number>[.,]?\d(?:[\d.,' ]*\d)?)\s*(?P<post>[^\d\s.,'+-]+)?$"
)
_CODE = re.compile(r"[A-Za-z]{3}")
MAX_TEXT = 64
MAX_DIGITS = 24


class AmountError(ValueError):
    """Text that is not an amount, or not one for sure; the message says what is wrong."""


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


def whole_in_practice(currency: str) -> bool:
    """Prices in this currency are whole units in practice (IDR), whatever its exponent."""
    return currency.upper() in _WHOLE_IN_PRACTICE


def format_money(amount: int, currency: str) -> str:
    """2250, "USD" -> "$22.50"; 150000, "IDR" -> "Rp 1,500.00"; unknown -> "22.50 CHF"."""
    currency = currency.upper()
    digits = exponent(currency)
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 10**digits)
    text = f"{whole:,}" + (f".{frac:0{digits}d}" if digits else "")
    symbol = _SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def parse_money(text: str, currency: str) -> int:
    """An amount as a person writes it -> minor units of `currency`; AmountError otherwise.

    "$1,299.99" -> 129999 (USD); "1.299,99 €" -> 129999 (EUR); "Rp 50.000" -> 5000000 (IDR).
    """
    currency = currency.upper()
    if not isinstance(text, str) or not text.strip():
        raise AmountError("Enter an amount, e.g. 10 or 10.50.")
    shown = text.strip()
    if len(shown) > MAX_TEXT:
        raise AmountError(f"That is not an amount (at most {MAX_TEXT} characters).")
    match = _AMOUNT.match(shown.translate(_SPACES))
    if match is None:
        raise AmountError(f"“{shown}” is not an amount; write digits, e.g. 10 or 10.50.")
    if match["sign"] and match["sign2"]:
        raise AmountError(f"“{shown}” has two signs; write one, e.g. -10.")
    _check_marker(shown, match["pre"], match["post"], currency)
    whole, fraction = _split(shown, match["number"], currency)
    digits = exponent(currency)
    if len(fraction) > digits:
        if digits == 0:
            raise AmountError(f"{currency} amounts are whole numbers; “{shown}” has decimals.")
        raise AmountError(
            f"{currency} amounts have at most {digits} decimals; “{shown}” has {len(fraction)}."
        )
    if len(whole) + len(fraction) > MAX_DIGITS:
        raise AmountError(f"“{shown}” is larger than any amount.")
    value = int(whole or "0") * 10**digits + int(fraction.ljust(digits, "0") or "0")
    return -value if "-" in (match["sign"], match["sign2"]) else value


def _check_marker(shown: str, pre: str | None, post: str | None, currency: str) -> None:
    """A currency symbol or code typed with the amount must be the amount's currency."""
    for typed in (pre, post):
        if (
            typed
            and typed.upper() not in _TYPED_SYMBOLS
            and not re.fullmatch(r"[A-Za-z]{3}", typed)
        ):
            raise AmountError(f"“{shown}” is not an amount; write digits, e.g. 10 or 10.50.")
    if pre and post:
        raise AmountError(f"“{shown}” names a currency twice; write one, e.g. 10 {currency}.")
    marker = (pre or post or "").upper()
    if not marker:
        return
    if marker in _TYPED_SYMBOLS:
        if currency not in _TYPED_SYMBOLS[marker]:
            raise AmountError(
                f"“{shown}” is not in {currency}: amounts here are in {currency}, "
                f"e.g. {format_money(10 ** exponent(currency) * 10, currency)}."
            )
        return
    if marker != currency:
        raise AmountError(f"“{shown}” names {marker}; amounts here are in {currency}.")


def _split(shown: str, number: str, currency: str) -> tuple[str, str]:
    """(whole digits, fraction digits) of the number part, deciding what each mark means."""
    decimal = _decimal_mark(shown, number, currency)
    if decimal is not None and number.count(decimal) > 1:
        raise AmountError(f"“{shown}” has more than one “{decimal}” for the decimals.")
    whole_part, _, fraction = number.rpartition(decimal) if decimal else (number, "", "")
    used = {mark for mark in ".,' " if mark in whole_part}
    if len(used) > 1:
        raise AmountError(f"“{shown}” mixes different marks between thousands.")
    groups = re.split(r"[.,' ]", whole_part)
    if used and (not _could_group(groups[0]) or any(len(g) != 3 for g in groups[1:])):
        raise AmountError(
            f"“{shown}”: digits between thousands marks come in threes (e.g. 1,299,000)."
        )
    whole = "".join(groups)
    if not (whole.isdigit() or whole == "") or not (fraction.isdigit() or fraction == ""):
        raise AmountError(f"“{shown}” is not an amount; write digits, e.g. 10 or 10.50.")
    return whole, fraction


def _decimal_mark(shown: str, number: str, currency: str) -> str | None:
    """ "." or "," when it marks the decimals in `number`, None when both group thousands."""
    marks = [mark for mark in ".," if mark in number]
    if len(marks) == 2:
        return max(marks, key=number.rindex)  # "1.299,99", "1,299.99"
    if not marks:
        return None
    mark = marks[0]
    head, _, tail = number.rpartition(mark)
    if number.count(mark) > 1:
        return None  # "1.000.000"
    if " " in number or "'" in number or len(tail) != 3 or not _could_group(head):
        return mark  # "1 299,5", "10.50", "0,5", "0.125", "1234.567"
    if exponent(currency) == 0 or currency in _WHOLE_IN_PRACTICE:
        return None  # "Rp 50.000", "¥1,000"
    if mark == "," and currency in _COMMA_GROUPS:
        return None  # "$1,000": where "." marks the decimals, "," groups thousands
    if exponent(currency) == 3 and mark == ".":
        return mark  # "1.234 KWD", as format_money writes it
    digits = exponent(currency)
    grouped = format_money(int(head + tail) * 10**digits, currency)
    other = (
        f"; to mean {format_money(int(head + tail), currency)}, write {head}.{tail}"
        if digits == 3
        else f" (decimals take at most {digits} digits)"
    )
    raise AmountError(
        f"“{shown}” is ambiguous: I read {grouped} if “{mark}” separates thousands, "
        f"but it may also mark decimals. To mean {grouped}, write {head}{tail}{other}."
    )


def _could_group(head: str) -> bool:
    """Whether `head` can be the first group of a number with thousands marks ("1", "299")."""
    return head.isdigit() and 1 <= len(head) <= 3 and not head.startswith("0")
