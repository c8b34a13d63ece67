"""Custom ids of the /admin buttons: the orders list's pages carry their filter in the id.

    admin:orders:<page>:<status or "all">:<customer discord id or 0>:<prev or next>

Everything a click needs is in the id, so the buttons keep working after a restart; anything
that does not parse is refused with InvalidInput before a query runs. The last part keeps the
two buttons of one list apart: Discord refuses a message whose custom ids repeat, disabled
buttons included, and on a single page both would lead to page 1. Ids from before it was
added (no last part) still parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from models.base import OrderStatus
from models.errors import InvalidInput

ORDERS_PAGE_PREFIX = "admin:orders:"
# The select under the list that opens one order (cogs/admin/order_view.py answers it).
OPEN_ORDER_ID = "admin:openorder"
MAX_PAGE = 9999
_ORDERS_PAGE = re.compile(r"^admin:orders:(\d{1,4}):([a-z_]{1,24}):(\d{1,20})(?::(?:prev|next))?$")
STALE = "That button is not valid any more; run /admin vieworders again."


@dataclass(frozen=True)
class OrdersFilter:
    status: OrderStatus | None = None
    customer_id: int | None = None


PageButton = Literal["prev", "next"]


def orders_page_id(page: int, where: OrdersFilter, button: PageButton) -> str:
    """The id of the list's `button` leading to `page`; the two buttons never share one."""
    status = where.status.value if where.status else "all"
    return f"{ORDERS_PAGE_PREFIX}{page}:{status}:{where.customer_id or 0}:{button}"


def parse_orders_page_id(custom_id: str) -> tuple[int, OrdersFilter]:
    match = _ORDERS_PAGE.match(custom_id)
    if not match:
        raise InvalidInput(STALE)
    page, status, customer = int(match.group(1)), match.group(2), int(match.group(3))
    if not 1 <= page <= MAX_PAGE:
        raise InvalidInput(STALE)
    if status == "all":
        order_status = None
    else:
        try:
            order_status = OrderStatus(status)
        except ValueError:
            raise InvalidInput(STALE) from None
    return page, OrdersFilter(status=order_status, customer_id=customer or None)
