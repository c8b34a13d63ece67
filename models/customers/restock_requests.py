"""Restock requests: "notify me when restocked" on a sold-out product, and the DMs a restock queues.

A customer asks once per product (one row per pair, asking again while it is open changes
nothing). When codes arrive and some are still on sale after the orders waiting for stock
took theirs, every open request is spent (`notified_at` set) and gets one `notify_restock`
job in the same transaction: a restart loses none, and a request is never DMed twice for
one restock. The jobs are spread out (RESTOCK_NOTICE_SPACING_SECONDS apart) so a popular
product's restock neither bursts into Discord's rate limits nor delays codes deliveries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.base import JobKind, ProductKind
from models.catalog.tables import Product
from models.customers.actions import ensure_customer
from models.customers.tables import RestockRequest
from models.errors import InvalidInput, NotFound
from models.outbox.actions import enqueue
from models.stock.queries import available_count

# Seconds between two restock DMs' jobs: 2 a second, well inside Discord's global 50.
RESTOCK_NOTICE_SPACING_SECONDS = 0.5
NOT_ON_SALE = "That product is not for sale any more."


@dataclass(frozen=True)
class RestockAsk:
    """What asking did: the product's name, and whether an open request was there already."""

    product_name: str
    already_asked: bool


@dataclass(frozen=True)
class RestockNotice:
    """What the notify_restock job needs when it runs (the state now, not when queued)."""

    request_id: int
    discord_id: int
    product_key: str
    product_name: str
    on_sale: bool
    available: int
    dms_closed: bool


async def ask_for_restock_notice(discord_id: int, product_key: str) -> RestockAsk:
    """Records that this customer wants one DM when the (sold-out) product is back.

    Refused with a message for a product not on sale, one that never runs out, or one in
    stock now. A request already spent by an earlier restock is opened again.
    """
    product = await Product.get_or_none(key=product_key, active=True)
    if product is None:
        raise NotFound(NOT_ON_SALE)
    if not ProductKind(product.kind).delivers_codes:
        raise InvalidInput(f"{product.name} never runs out: it can be bought any time.")
    if await available_count(product.id) > 0:
        raise InvalidInput(f"{product.name} is in stock right now: open the shop to buy it.")
    customer = await ensure_customer(discord_id)
    async with in_transaction() as conn:
        existing = (
            await RestockRequest.filter(customer_id=customer.id, product_id=product.id)
            .using_db(conn)
            .first()
        )
        if existing is not None and existing.notified_at is None:
            return RestockAsk(product.name, already_asked=True)
        if existing is not None:
            await RestockRequest.filter(id=existing.id).using_db(conn).update(notified_at=None)
        else:
            await RestockRequest.bulk_create(
                [RestockRequest(customer_id=customer.id, product_id=product.id)],
                ignore_conflicts=True,
                using_db=conn,
            )
    # Codes added while this request was being written found no request to notify:
    # this one is then notified at once (queue_restock_notices notifies a request once).
    await queue_restock_notices(product.id)
    return RestockAsk(product.name, already_asked=False)


async def queue_restock_notices(
    product_id: int, connection: BaseDBAsyncClient | None = None
) -> int:
    """Spends every open request of the product and queues its DM, when codes are on sale.

    Called by models.stock.restock.add_stock in its transaction, after waiting orders took
    their codes. Returns how many DMs were queued.
    """
    if connection is None:
        async with in_transaction() as conn:
            return await queue_restock_notices(product_id, conn)
    if await available_count(product_id, connection) < 1:
        return 0
    now = datetime.now(UTC)
    open_ids = (
        await RestockRequest.filter(product_id=product_id, notified_at__isnull=True)
        .order_by("created_at", "id")
        .using_db(connection)
        .values_list("id", flat=True)
    )
    queued = 0
    for request_id in open_ids:
        # Conditional: a request another restock (or process) spent meanwhile is left alone.
        spent = (
            await RestockRequest.filter(id=request_id, notified_at__isnull=True)
            .using_db(connection)
            .update(notified_at=now)
        )
        if not spent:
            continue
        await enqueue(
            JobKind.NOTIFY_RESTOCK,
            {"request_id": request_id},
            delay_seconds=queued * RESTOCK_NOTICE_SPACING_SECONDS,
            connection=connection,
        )
        queued += 1
    return queued


async def restock_notice(request_id: int) -> RestockNotice | None:
    """The request with its customer and product as they are now; None when it is gone."""
    request = await RestockRequest.get_or_none(id=request_id).prefetch_related(
        "customer", "product"
    )
    if request is None:
        return None
    product = request.product
    return RestockNotice(
        request_id=request.id,
        discord_id=request.customer.discord_id,
        product_key=product.key,
        product_name=product.name,
        on_sale=product.active,
        available=await available_count(product.id),
        dms_closed=request.customer.dms_closed,
    )


async def reopen_restock_request(request_id: int) -> None:
    """The product sold out again before the DM went: the next restock notifies them."""
    await RestockRequest.filter(id=request_id).update(notified_at=None)
