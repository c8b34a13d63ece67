"""An order's codes changing status with the order: sent, put back on sale, revoked, restored.

Raw statements (models.outbox.raw_sql): they run inside the order core's transaction for every
paid, delivered or refunded order, where the ORM's query building cost more than the
statement, an index range on (order_id, status) (checked by test_stock_query_plans.py).
Nothing here reads or logs a code.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from models.base import StockStatus
from models.outbox.raw_sql import changed

_RESERVED = StockStatus.RESERVED.value
_DELIVERED = StockStatus.DELIVERED.value
_REVOKED = StockStatus.REVOKED.value

_RELEASE_SQL = (
    'UPDATE "stock_item" SET "status" = ?, "order_id" = NULL, "reserved_at" = NULL'
    ' WHERE "order_id" = ? AND "status" = ?'
)
_REVOKE_SQL = 'UPDATE "stock_item" SET "status" = ? WHERE "order_id" = ? AND "status" IN (?, ?)'
_RESTORE_SQL = 'UPDATE "stock_item" SET "status" = ? WHERE "order_id" = ? AND "status" = ?'
_DELIVERED_SQL = (
    'UPDATE "stock_item" SET "status" = ?, "delivered_at" = ? WHERE "order_id" = ? AND "status" = ?'
)


async def release_order_stock(order_id: int, connection: BaseDBAsyncClient) -> int:
    """Puts codes reserved (never sent) for an order back on sale."""
    values = [StockStatus.AVAILABLE.value, order_id, _RESERVED]
    return await changed(_RELEASE_SQL, values, connection)


async def revoke_order_stock(order_id: int, connection: BaseDBAsyncClient) -> int:
    """Marks codes that left (or may have left) with the order as revoked, for the record."""
    return await changed(_REVOKE_SQL, [_REVOKED, order_id, _RESERVED, _DELIVERED], connection)


async def restore_order_stock(order_id: int, delivered: bool, connection: BaseDBAsyncClient) -> int:
    """Gives an order back the codes revoked from it (a dispute closed in the seller's favour)."""
    status = _DELIVERED if delivered else _RESERVED
    return await changed(_RESTORE_SQL, [status, order_id, _REVOKED], connection)


async def mark_stock_delivered(order_id: int, connection: BaseDBAsyncClient) -> int:
    values = [_DELIVERED, datetime.now(UTC), order_id, _RESERVED]
    return await changed(_DELIVERED_SQL, values, connection)


# restore_order_stock(delivered=True) then mark_stock_delivered in one statement: revoked
# codes come back as delivered keeping their delivered_at, reserved ones are stamped now.
_SENT_SQL = (
    'UPDATE "stock_item" SET "status" = ?, "delivered_at" = CASE WHEN "status" = ? THEN ?'
    ' ELSE "delivered_at" END WHERE "order_id" = ? AND "status" IN (?, ?)'
)


async def deliver_order_stock(order_id: int, connection: BaseDBAsyncClient) -> int:
    """An order with the delivered fact: its reserved and revoked codes become delivered.

    Returns how many changed; each is held by the order afterwards (a lower bound of
    held_count), so a caller that gets the order's quantity back need not count.
    """
    values = [_DELIVERED, _RESERVED, datetime.now(UTC), order_id, _RESERVED, _REVOKED]
    return await changed(_SENT_SQL, values, connection)
