"""Encryption of stock codes at rest: MultiFernet (newest key first) plus keyed fingerprints."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet

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
        self._multi = MultiFernet(self._fernets)
        # Fingerprint keys are derived per Fernet key, so rotation can recompute them and a
        # duplicate check can look for a code under any key still configured.
        self._mac_keys = [
            hashlib.sha256(b"stockroom-fingerprint:" + k.encode()).digest() for k in keys
        ]

    def encrypt(self, code: str) -> str:
        return self._multi.encrypt(normalise_code(code).encode()).decode()

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
