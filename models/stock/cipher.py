"""Encryption of stock codes at rest: MultiFernet (newest key first) plus keyed fingerprints."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import time
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

log = logging.getLogger(__name__)


def resolve_stock_keys(configured: tuple[str, ...], key_file: Path) -> tuple[str, ...]:
    """The configured keys, else the key kept in key_file, else a new key written there."""
    if configured:
        return configured
    if key_file.exists():
        return tuple(k.strip() for k in key_file.read_text().split(",") if k.strip())
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    log.warning(
        "STOCK_ENCRYPTION_KEYS not set: generated a key in %s; copy it into .env and keep a "
        "backup, or the stock cannot be decrypted",
        key_file,
    )
    return (key,)


def normalise_code(code: str) -> str:
    """The form a code is stored and compared in: surrounding blanks removed."""
    return code.strip()


class StockCipher:
    """Encrypts with the first key, decrypts with any; fingerprints under every key."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        if not keys:
            raise ValueError("at least one Fernet key is needed")
        self._fernets = [Fernet(k) for k in keys]
        newest = base64.urlsafe_b64decode(keys[0])  # Fernet: signing key, then encryption key
        self._raw_keys = (newest[:16], newest[16:])
        self._multi = MultiFernet(self._fernets)
        # Fingerprint keys are derived per Fernet key, so rotation can recompute them and a
        # duplicate check can look for a code under any key still configured.
        self._mac_keys = [
            hashlib.sha256(b"stockroom-fingerprint:" + k.encode()).digest() for k in keys
        ]

    def encrypt(self, code: str) -> str:
        return self._multi.encrypt(normalise_code(code).encode()).decode()

    def encrypt_many(self, codes: list[str]) -> list[str]:
        """Fernet tokens of `codes` under the newest key, as `encrypt` makes them one by one.

        For large imports: the tokens are built here to the Fernet specification (version
        0x80, timestamp, IV, AES-128-CBC of the PKCS7-padded code, HMAC-SHA256 of all that)
        with every IV taken from one os.urandom call. Fernet.encrypt asks os.urandom once per
        code, and each call gives up the GIL: with the previous batch being stored by the
        database thread meanwhile, each then waited for that thread (cProfile of an import:
        os.urandom ~20 % of it). Any Fernet opens these tokens.
        """
        signing_key, encryption_key = self._raw_keys
        aes = algorithms.AES(encryption_key)
        stamp = b"\x80" + int(time.time()).to_bytes(8, "big")
        ivs = os.urandom(16 * len(codes))
        tokens = []
        for n, code in enumerate(codes):
            data = normalise_code(code).encode()
            pad = 16 - len(data) % 16
            iv = ivs[16 * n : 16 * n + 16]
            encryptor = Cipher(aes, modes.CBC(iv)).encryptor()
            body = stamp + iv + encryptor.update(data + bytes((pad,)) * pad) + encryptor.finalize()
            # hmac.new, not the one-shot hmac.digest: that one gives up the GIL too.
            mac = hmac.new(signing_key, body, hashlib.sha256).digest()
            tokens.append(base64.urlsafe_b64encode(body + mac).decode())
        return tokens

    def decrypt(self, token: str) -> str:
        return self._multi.decrypt(token.encode()).decode()

    def rotate(self, token: str) -> str:
        return self._multi.rotate(token.encode()).decode()

    def fingerprint(self, code: str) -> str:
        """Fingerprint under the newest key: what a new row stores."""
        return self._mac(self._mac_keys[0], code)

    def fingerprints(self, code: str) -> list[str]:
        """Fingerprints under every configured key: what a duplicate check looks for."""
        return [self._mac(key, code) for key in self._mac_keys]

    @staticmethod
    def _mac(key: bytes, code: str) -> str:
        return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()
