"""encrypt_many: Fernet tokens built in bulk open with Fernet, like encrypt's, and never repeat."""

from __future__ import annotations

import base64
import time

import pytest
from cryptography.fernet import Fernet, InvalidToken

from models.stock.cipher import StockCipher

CODES = ["", " padded ", "é-ünïcode-✓", "K" * 15, "K" * 16, "K" * 17, "K" * 32, "X" * 500]


def test_bulk_tokens_open_with_fernet_and_hold_the_normalised_code() -> None:
    key, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    cipher = StockCipher((key, old))
    tokens = cipher.encrypt_many(CODES)
    assert [Fernet(key).decrypt(t).decode() for t in tokens] == [c.strip() for c in CODES]
    assert [cipher.decrypt(t) for t in tokens] == [c.strip() for c in CODES]
    # The same shape as one-by-one tokens: same length for the same code.
    assert [len(t) for t in tokens] == [len(cipher.encrypt(c)) for c in CODES]


def test_bulk_tokens_carry_the_current_time_and_a_fresh_iv_each() -> None:
    key = Fernet.generate_key().decode()
    before = int(time.time())
    tokens = StockCipher((key,)).encrypt_many(["SAME"] * 200)
    after = int(time.time())
    raw = [base64.urlsafe_b64decode(t) for t in tokens]
    assert {r[0] for r in raw} == {0x80}
    assert all(before <= int.from_bytes(r[1:9], "big") <= after for r in raw)
    assert len({r[9:25] for r in raw}) == 200  # one IV per token
    assert len(set(tokens)) == 200
    assert Fernet(key).extract_timestamp(tokens[0]) >= before


def test_a_tampered_bulk_token_is_refused() -> None:
    key = Fernet.generate_key().decode()
    (token,) = StockCipher((key,)).encrypt_many(["CODE-1"])
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[30] ^= 1
    tampered = base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(InvalidToken):
        Fernet(key).decrypt(tampered)
