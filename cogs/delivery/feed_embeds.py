"""The orders-channel feed embeds: one per order event or top-up event, colour-coded.

Each embed is kept to FEED_EMBED_MAX characters (every part clipped), so ten of them — a
full message — stay inside Discord's 6000 characters per message. Emails are masked, and
no embed ever holds a code.
"""

from __future__ import annotations

from collections.abc import Sequence

import disnake

from cogs import _embeds
from cogs._embeds import clip, fit
from cogs.delivery.messages import mask_email
from models.money import format_money
from models.orders.feed_entries import FeedEntry, TopUpFeedEntry

# Ten embeds make a full message: 10 x 600 fits Discord's 6000 characters per message.
FEED_EMBED_MAX = 600
EMBEDS_PER_MESSAGE = 10

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
    "dispute_lost": "Dispute lost",
    "access_ended": "Access ended",
    # Subscription news (models.subscriptions.feed): the order's status stays.
    "renewed": "Subscription renewed",
    "renewal_failed": "Subscription renewal failed",
    "subscription_ended": "Subscription ended",
}
TOPUP_LABELS = {
    "topup": "Wallet topped up",
    "topup_clawed_back": "Top-up taken back",
    "topup_given_back": "Top-up given back",
}
_FEED_COLOURS = {
    "dispute_won": _embeds.COMPLETED,
    "dispute_lost": _embeds.DISPUTED,
    "renewed": _embeds.COMPLETED,
    "renewal_failed": _embeds.WARNING,
    "subscription_ended": _embeds.REFUNDED,
    "topup": _embeds.COMPLETED,
    "topup_clawed_back": _embeds.DISPUTED,
    "topup_given_back": _embeds.COMPLETED,
    "access_ended": _embeds.REFUNDED,
}
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
PAYMENT_LABELS = {
    "wallet": "Wallet",
    "stripe": "Card (Stripe)",
    "midtrans": "QRIS (Midtrans)",
    "external": "At the store",
    "manual": "Manual",
}
_REFUND_KINDS = ("refunded", "partially_refunded")
_PRODUCT_MAX = 64
_EMAIL_MAX = 60
_REASON_MAX = 100
_CAUSE_MAX = 64


def _colour(kind: str) -> disnake.Colour:
    return _FEED_COLOURS.get(kind) or _embeds.colour_for(kind)


def _within(embed: disnake.Embed) -> disnake.Embed:
    """Discord's per-part limits, then the feed's own per-embed budget (trailing fields go)."""
    embed = fit(embed)
    while len(embed) > FEED_EMBED_MAX and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed


def feed_label(kind: str) -> str:
    return FEED_LABELS.get(kind, kind.replace("_", " ").capitalize())


def feed_embed(entry: FeedEntry, earlier: Sequence[str] = ()) -> disnake.Embed:
    """The orders-channel embed for one order event, coloured by what happened.

    `earlier` names the kinds of the order's entries folded into this one (posted together,
    e.g. "completed" before "delivered"): the title names them all, oldest first.
    """
    label = " · ".join(feed_label(kind) for kind in (*earlier, entry.kind))
    if entry.renewal and entry.kind != "access_ended":
        label += " (renewal)"
    money = lambda amount: format_money(amount, entry.currency)  # noqa: E731
    embed = disnake.Embed(
        title=clip(f"Order {entry.number} — {label}", 80),
        colour=_colour(entry.kind),
        timestamp=entry.at,
    )
    embed.add_field(name="Product", value=clip(entry.product_name or "—", _PRODUCT_MAX))
    embed.add_field(name="Quantity", value=str(entry.quantity))
    embed.add_field(name="Amount", value=money(entry.amount))
    if entry.coupon:
        embed.add_field(name="Coupon", value=f"{entry.coupon} ({money(-entry.discount)})")
    customer = f"<@{entry.discord_id}>" if entry.discord_id else "—"
    embed.add_field(name="Customer", value=customer)
    embed.add_field(name="Email", value=clip(mask_email(entry.email), _EMAIL_MAX))
    embed.add_field(name="Source", value=SOURCE_LABELS.get(entry.source.value, entry.source.value))
    embed.add_field(name="Status", value=entry.status.value.replace("_", " "))
    payment = entry.payment_method.value
    embed.add_field(name="Payment", value=PAYMENT_LABELS.get(payment, payment))
    if entry.access_until is not None:
        embed.add_field(name="Access", value=_access_text(entry))
    if entry.refund or entry.kind in _REFUND_KINDS:
        embed.add_field(name="Refund", value=_refund_text(entry), inline=False)
    if entry.reason:
        embed.add_field(name="Reason", value=clip(entry.reason, _REASON_MAX), inline=False)
    if entry.cause:
        embed.set_footer(text=clip(entry.cause, _CAUSE_MAX))
    return _within(embed)


def _access_text(entry: FeedEntry) -> str:
    assert entry.access_until is not None
    when = disnake.utils.format_dt(entry.access_until, "f")
    if entry.kind == "access_ended":
        return f"ended {when}"
    return f"{'renewal' if entry.renewal else 'new'}, until {when}"


def _refund_text(entry: FeedEntry) -> str:
    if entry.amount and not entry.refunded_total:
        return "amount not given by the store"  # e.g. Ecwid's PARTIALLY_REFUNDED
    money = lambda amount: format_money(amount, entry.currency)  # noqa: E731
    return f"{money(entry.refund)} (refunded in all: {money(entry.refunded_total)})"


def topup_embed(entry: TopUpFeedEntry) -> disnake.Embed:
    """The orders-channel embed for a top-up credited, or part of it taken or given back."""
    money = lambda amount: format_money(amount, entry.currency)  # noqa: E731
    label = TOPUP_LABELS.get(entry.kind, entry.kind.replace("_", " ").capitalize())
    embed = disnake.Embed(title=label, colour=_colour(entry.kind), timestamp=entry.at)
    embed.add_field(name="Customer", value=f"<@{entry.discord_id}>")
    embed.add_field(name="Top-up", value=money(entry.topup_amount))
    sign = "+" if entry.change >= 0 else "−"
    embed.add_field(name="Wallet change", value=f"{sign}{money(abs(entry.change))}")
    embed.add_field(name="Taken back in all", value=money(entry.clawed))
    embed.add_field(name="Wallet balance", value=money(entry.balance))
    return _within(embed)
