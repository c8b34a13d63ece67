"""The one place for embed colours and for keeping every embed inside Discord's limits."""

from __future__ import annotations

import disnake

# Feed colours per order event (SPEC §8).
CHECKOUT_STARTED = disnake.Colour(0xF39C12)  # orange
PENDING = disnake.Colour(0xF1C40F)  # yellow
COMPLETED = disnake.Colour(0x2ECC71)  # green
FAILED = disnake.Colour(0xE74C3C)  # red
REFUNDED = disnake.Colour(0x95A5A6)  # grey
DISPUTED = disnake.Colour(0x8B0000)  # dark red
INFO = disnake.Colour(0x5865F2)  # blurple: panels, help, stats
WARNING = disnake.Colour(0xE67E22)

STATUS_COLOURS = {
    "checkout_started": CHECKOUT_STARTED,
    "pending": PENDING,
    "paid": COMPLETED,
    "awaiting_stock": PENDING,
    "delivered": COMPLETED,
    "completed": COMPLETED,
    "failed": FAILED,
    "expired": FAILED,
    "cancelled": REFUNDED,
    "refunded": REFUNDED,
    "partially_refunded": REFUNDED,
    "disputed": DISPUTED,
}

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
TOTAL_MAX = 6000


def colour_for(status: str) -> disnake.Colour:
    return STATUS_COLOURS.get(status, INFO)


def clip(text: str, limit: int) -> str:
    """Text cut to `limit` characters, ending with an ellipsis when cut."""
    text = str(text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fit(embed: disnake.Embed) -> disnake.Embed:
    """Clips every part to Discord's per-part limits, then drops trailing fields past 6000."""
    if embed.title:
        embed.title = clip(embed.title, TITLE_MAX)
    if embed.description:
        embed.description = clip(embed.description, DESCRIPTION_MAX)
    if embed.footer and embed.footer.text:
        embed.set_footer(text=clip(embed.footer.text, FOOTER_MAX), icon_url=embed.footer.icon_url)
    if embed.author and embed.author.name:
        embed.set_author(
            name=clip(embed.author.name, AUTHOR_MAX),
            url=embed.author.url,
            icon_url=embed.author.icon_url,
        )
    fields = [
        (
            clip(f.name or "\u200b", FIELD_NAME_MAX),
            clip(f.value or "\u200b", FIELD_VALUE_MAX),
            f.inline,
        )
        for f in embed.fields[:FIELDS_MAX]
    ]
    embed.clear_fields()
    for name, value, inline in fields:
        embed.add_field(name=name, value=value, inline=inline)
    while len(embed) > TOTAL_MAX and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > TOTAL_MAX and embed.description:
        room = max(0, TOTAL_MAX - (len(embed) - len(embed.description)))
        embed.description = clip(embed.description, room) if room else None
    return embed
