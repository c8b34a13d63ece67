"""What the delivery worker sends: the codes DM, the closed-DM notice, admin embeds.

Feed embeds are built in cogs.delivery.feed_embeds.
"""

from __future__ import annotations

import io

import disnake

from cogs import _embeds
from cogs._embeds import DESCRIPTION_MAX, TOTAL_MAX, clip, fit
from models.orders.delivery import DeliveryOrder
from models.outbox.alerts import AdminAlert


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


def admin_embed(alert: AdminAlert, order_number: str | None = None) -> disnake.Embed:
    embed = disnake.Embed(title=alert.title, description=alert.message, colour=_embeds.WARNING)
    if order_number:
        embed.add_field(name="Order", value=order_number, inline=True)
    return fit(embed)
