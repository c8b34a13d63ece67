"""Money as integer minor units plus an ISO currency: formatting and parsing, never floats."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

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
_AMOUNT = re.compile(r"^\s*(-?)\s*([$€£¥]|Rp\s?)?\s*(-?[\d,]*\.?\d*)\s*$")


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


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
    """ "$1,299.99" -> 129999 (USD). Raises ValueError for anything that is not an amount."""
    match = _AMOUNT.match(text or "")
    if not match or not re.search(r"\d", match.group(3)):
        raise ValueError(f"not an amount: {text!r}")
    try:
        value = Decimal(match.group(1) + match.group(3).replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"too many decimals for {currency}: {text!r}")
    return int(scaled)
