"""How My orders looks: a page of the customer's orders, one order's details, the Resend button."""

from __future__ import annotations

import disnake

from cogs import _embeds
from cogs._embeds import clip, fit
from cogs.shop.ids import ORDER_SELECT, orders_page_id, resend_id
from models import clock
from models.base import OrderStatus, ProductKind
from models.money import format_money
from models.orders.facts import ENTITLED
from models.orders.queries import OrderPage
from models.orders.tables import Order

# Statuses in which delivered codes still belong to the buyer and may be sent again.
RESENDABLE = frozenset({OrderStatus.DELIVERED, OrderStatus.PARTIALLY_REFUNDED})

# What each status means to the buyer, in their words.
STATUS_LABELS = {
    OrderStatus.PENDING: "Waiting for payment",
    OrderStatus.PAID: "Paid — delivering",
    OrderStatus.AWAITING_STOCK: "Paid — waiting for stock",
    OrderStatus.DELIVERED: "Delivered",
    OrderStatus.FAILED: "Payment failed",
    OrderStatus.EXPIRED: "Expired unpaid",
    OrderStatus.CANCELLED: "Cancelled",
    OrderStatus.REFUNDED: "Refunded",
    OrderStatus.PARTIALLY_REFUNDED: "Partly refunded",
    OrderStatus.DISPUTED: "Disputed",
}


def delivers_codes(order: Order) -> bool:
    product = order.product  # prefetched by the order queries
    return product is not None and ProductKind(product.kind).delivers_codes


def can_resend(order: Order) -> bool:
    """Codes were handed out (or their DM was flagged) and still belong to the buyer."""
    if not delivers_codes(order):
        return False
    if order.status in RESENDABLE:
        return True
    return order.needs_attention and order.status == OrderStatus.PAID


def status_label(order: Order) -> str:
    status = OrderStatus(order.status)
    label = STATUS_LABELS.get(status, status.value)
    if order.needs_attention and order.status in (OrderStatus.PAID, OrderStatus.DELIVERED):
        if delivers_codes(order):
            label += " — we could not DM you"
        elif order.product is None and status is OrderStatus.PAID:  # not delivered by the shop
            label = "Paid — the seller is handling it"
    return label


def access_text(order: Order) -> str | None:
    """A timed order's access: "Active until <when>" or "Ended <how long ago>"; None otherwise."""
    ends = order.access_until
    if ends is None or order.status not in ENTITLED:
        return None
    if ends > clock.now():
        return f"Active until {disnake.utils.format_dt(ends, 'f')}"
    return f"Ended {disnake.utils.format_dt(ends, 'R')}"


def product_title(order: Order) -> str:
    if order.product_name:
        return order.product_name
    return order.product.name if order.product is not None else "Order"


def order_line(order: Order) -> str:
    name = product_title(order)
    what = name if order.quantity == 1 else f"{order.quantity} × {name}"
    return f"{what} · {format_money(order.amount, order.currency)}"


def orders_embed(page: OrderPage) -> disnake.Embed:
    embed = disnake.Embed(title="My orders", colour=_embeds.INFO)
    if not page.orders:
        embed.description = "You have no orders yet. Open the shop to buy something."
        return fit(embed)
    for order in page.orders:
        stamp = disnake.utils.format_dt(order.created_at, "R")
        value = f"{order_line(order)}\n{status_label(order)} · {stamp}"
        if access := access_text(order):
            value += f"\n{access}"
        embed.add_field(name=f"Order {order.number}", value=value, inline=False)
    embed.set_footer(
        text=f"Page {page.page} of {page.pages} · {page.total} order(s) · pick one for details"
    )
    return fit(embed)


def orders_components(page: OrderPage) -> list[list[disnake.ui.WrappedComponent]]:
    rows: list[list[disnake.ui.WrappedComponent]] = []
    if page.orders:
        rows.append(
            [
                disnake.ui.StringSelect(
                    custom_id=ORDER_SELECT,
                    placeholder="Order details",
                    options=[
                        disnake.SelectOption(
                            label=clip(f"{o.number} — {product_title(o)}", 100),
                            value=o.number,
                            description=clip(status_label(o), 100),
                        )
                        for o in page.orders
                    ],
                )
            ]
        )
    if page.pages > 1:
        rows.append(
            [
                disnake.ui.Button(
                    label="Newer",
                    custom_id=orders_page_id(page.page - 1),
                    disabled=page.page <= 1,
                ),
                disnake.ui.Button(
                    label="Older",
                    custom_id=orders_page_id(page.page + 1),
                    disabled=page.page >= page.pages,
                ),
            ]
        )
    return rows


def order_embed(order: Order) -> disnake.Embed:
    embed = disnake.Embed(
        title=f"Order {order.number}",
        colour=_embeds.colour_for(OrderStatus(order.status).value),
        description=order_line(order),
    )
    embed.add_field(name="Status", value=status_label(order), inline=False)
    if access := access_text(order):
        embed.add_field(name="Access", value=access, inline=False)
    embed.add_field(name="Ordered", value=disnake.utils.format_dt(order.created_at, "f"))
    if order.paid_at:
        embed.add_field(name="Paid", value=disnake.utils.format_dt(order.paid_at, "f"))
    if order.delivered_at:
        embed.add_field(name="Delivered", value=disnake.utils.format_dt(order.delivered_at, "f"))
    if can_resend(order):
        embed.set_footer(text="Lost your codes? Resend sends them to your DMs again.")
    return fit(embed)


def order_components(order: Order, back_page: int = 1) -> list[disnake.ui.Button]:
    buttons = [disnake.ui.Button(label="Back to my orders", custom_id=orders_page_id(back_page))]
    if can_resend(order):
        buttons.insert(
            0,
            disnake.ui.Button(
                style=disnake.ButtonStyle.primary,
                label="Resend my codes",
                custom_id=resend_id(order.number),
            ),
        )
    return buttons


def resend_reply(order: Order) -> str:
    return f"Re-sending the codes of order {order.number} to your DMs."
