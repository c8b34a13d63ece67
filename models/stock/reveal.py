"""An admin's explicit reveal of an order's codes: decrypted for them alone, and audited."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from models.errors import InvalidInput
from models.orders.queries import get_order_by_number
from models.orders.tables import OrderEvent
from models.stock.cipher import StockCipher
from models.stock.queries import codes_for_order

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RevealedCodes:
    order_number: str
    product_name: str
    status: str
    codes: list[str]


async def reveal_order_codes(
    number: str, cipher: StockCipher, *, actor_id: int, reference: str
) -> RevealedCodes:
    """The plaintext codes an order holds, with an OrderEvent naming the admin who looked.

    The audit row records who and when, never a code; the status does not change.
    `reference` is unique per reveal (e.g. the interaction id).
    """
    order = await get_order_by_number(number)
    codes = await codes_for_order(order.id, cipher)
    if not codes:
        raise InvalidInput(f"Order {order.number} holds no codes to reveal.")
    await OrderEvent.create(
        order_id=order.id,
        from_status=order.status,
        to_status=order.status,
        cause="admin:reveal_codes",
        reference=reference,
        actor_id=actor_id,
        detail={"fact": None, "action": "reveal_codes", "count": len(codes)},
    )
    log.info("admin %s revealed %s code(s) of order %s", actor_id, len(codes), order.number)
    return RevealedCodes(
        order_number=order.number,
        product_name=order.product_name or (order.product.name if order.product else ""),
        status=order.status.value,
        codes=codes,
    )
