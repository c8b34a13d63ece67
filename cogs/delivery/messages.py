"""What the delivery worker sends: the codes DM, the closed-DM notice, feed and admin embeds."""

from __future__ import annotations

import io

import disnake

from cogs import _embeds
from cogs._embeds import DESCRIPTION_MAX, TOTAL_MAX, clip, fit
from models.money import format_money
from models.orders.delivery import DeliveryOrder
from models.orders.feed_entries import FeedEntry
from models.outbox.alerts import AdminAlert

FEED_LABELS = {
    "checkout_started": "Checkout started",
    "pending": "Awaiting payment",
    "completed": "Payment completed",
    "awaiting_stock": "Paid — waiting for stock",
    "delivered": "Delivered",
    "failed": "Payment failed",
    "expired": "Expired unpaid",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
    "partially_refunded": "Partially refunded",
    "disputed": "Disputed",
    "dispute_won": "Dispute won",
}
_FEED_COLOURS = {"dispute_won": _embeds.COMPLETED}
SOURCE_LABELS = {
    "discord": "Discord shop",
    "stripe": "Stripe",
    "ecwid": "Ecwid",
    "midtrans": "Midtrans QRIS",
    "refract": "Refract",
    "embed": "Store embed",
    "api": "API",
    "generic": "Webhook",
}


def what_was_bought(quantity: int, product_name: str) -> str:
    return product_name if quantity == 1 else f"{quantity} × {product_name}"


def codes_file_name(order_number: str) -> str:
    return f"{order_number}-codes.txt"


def _codes_block(codes: list[str]) -> str | None:
    """The codes as one code block, or None when a code would break out of it."""
    if any("```" in code for code in codes):
        return None
    return "```\n" + "\n".join(codes) + "\n```"


def codes_message(
    order: DeliveryOrder, codes: list[str], *, file_threshold: int, resend: bool
) -> tuple[disnake.Embed, disnake.File | None]:
    """The DM holding an order's codes: in the embed, or in a .txt file when long.

    A file is used when there are more codes than `file_threshold` or when the code block
    would not fit Discord's embed limits — never a clipped list.
    """
    title = f"Your order {order.number}" + (" (sent again)" if resend else "")
    bought = clip(what_was_bought(order.quantity, order.product_name), 300)
    thanks = f"Thank you for buying **{bought}**."
    noun = "code" if len(codes) == 1 else "codes"
    block = _codes_block(codes)
    embed = disnake.Embed(title=title, colour=_embeds.COMPLETED)
    embed.set_footer(text="Keep this message: it is your proof of purchase. Never share codes.")
    if len(codes) <= file_threshold and block is not None:
        embed.description = f"{thanks}\nYour {noun}:\n{block}"
        within = len(embed.description) <= DESCRIPTION_MAX and len(embed) <= TOTAL_MAX
        if within:
            return fit(embed), None
    file_name = codes_file_name(order.number)
    embed.description = (
        f"{thanks}\nYour {len(codes)} {noun} are in the attached file **{file_name}**, "
        "one per line."
    )
    content = ("\n".join(codes) + "\n").encode("utf-8")
    return fit(embed), disnake.File(io.BytesIO(content), filename=file_name)


def fallback_notice(order: DeliveryOrder) -> str:
    """Posted in the buyer's private fallback thread: no codes, only what to do."""
    return (
        f"<@{order.discord_id}> we could not send you the codes for order **{order.number}** "
        f"({clip(what_was_bought(order.quantity, order.product_name), 200)}) because your "
        "direct messages are closed. Codes are never posted in the server.\n"
        "To get them: allow direct messages from this server (server name → Privacy "
        "Settings → Direct Messages), then open the shop panel → **My orders** → pick the "
        "order → **Resend**."
    )


def mask_email(email: str | None) -> str:
    """`alice@example.com` → `a***@example.com`; never the whole address in a channel."""
    if not email:
        return "—"
    local, at, domain = email.strip().partition("@")
    if not at or not local or not domain:
        return "***"
    return f"{local[0]}***@{domain}"


def feed_embed(entry: FeedEntry) -> disnake.Embed:
    """The orders-channel embed for one order event, coloured by what happened."""
    label = FEED_LABELS.get(entry.kind, entry.kind.replace("_", " ").capitalize())
    colour = _FEED_COLOURS.get(entry.kind) or _embeds.colour_for(entry.kind)
    embed = disnake.Embed(
        title=f"Order {entry.number} — {label}", colour=colour, timestamp=entry.at
    )
    embed.add_field(name="Product", value=entry.product_name or "—", inline=True)
    embed.add_field(name="Quantity", value=str(entry.quantity), inline=True)
    embed.add_field(name="Amount", value=format_money(entry.amount, entry.currency), inline=True)
    customer = f"<@{entry.discord_id}>" if entry.discord_id else "—"
    embed.add_field(name="Customer", value=customer, inline=True)
    embed.add_field(name="Email", value=mask_email(entry.email), inline=True)
    embed.add_field(
        name="Source", value=SOURCE_LABELS.get(entry.source.value, entry.source.value), inline=True
    )
    embed.add_field(name="Status", value=entry.status.value.replace("_", " "), inline=True)
    if entry.cause:
        embed.set_footer(text=entry.cause)
    return fit(embed)


def admin_embed(alert: AdminAlert, order_number: str | None = None) -> disnake.Embed:
    embed = disnake.Embed(title=alert.title, description=alert.message, colour=_embeds.WARNING)
    if order_number:
        embed.add_field(name="Order", value=order_number, inline=True)
    return fit(embed)
