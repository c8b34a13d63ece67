"""Whether the configured stock keys open the stored codes: asked by `bot.py --check`.

A valid Fernet key that opens none of the stored codes means the keys were swapped or lost;
an import under it would store every code again as a "new" one (the fingerprints differ).
"""

from __future__ import annotations

from cryptography.fernet import InvalidToken

from models.stock.cipher import StockCipher
from models.stock.tables import StockItem


async def stock_keys_open(cipher: StockCipher, sample: int = 20) -> tuple[int, int]:
    """(codes tried, codes opened) over the newest `sample` stored codes; nothing is logged."""
    rows = await StockItem.all().order_by("-id").limit(sample).values_list("ciphertext", flat=True)
    opened = 0
    for token in rows:
        try:
            cipher.decrypt(token)
        except InvalidToken:
            continue
        opened += 1
    return len(rows), opened
