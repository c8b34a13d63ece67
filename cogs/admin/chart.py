"""The /admin botstats chart: orders per day as a PNG bar chart, drawn with Pillow."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 900, 360
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 20, 44, 46
BACKGROUND = (47, 49, 54)
GRID = (79, 84, 92)
TEXT = (220, 221, 222)
PAID_BAR = (46, 204, 113)  # the feed's "completed" green
OTHER_BAR = (149, 165, 166)  # the feed's "refunded" grey


GRID_LINES = 4


def _grid_step(peak: int) -> int:
    """The smallest step of 1, 2 or 5 times 10^n that reaches peak in GRID_LINES steps."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale * GRID_LINES >= peak:
                return step * scale
        scale *= 10


def orders_per_day_png(
    days: Sequence[tuple[date, int, int]], title: str = "Orders per day (UTC)"
) -> bytes:
    """A PNG of stacked bars: each day's (date, paid orders, other orders)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=13)
    title_font = ImageFont.load_default(size=16)
    draw.text((MARGIN_LEFT, 12), title, fill=TEXT, font=title_font)

    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    bottom = MARGIN_TOP + plot_h
    peak = max((paid + other for _, paid, other in days), default=0)
    step = _grid_step(peak)
    top = step * GRID_LINES

    for i in range(GRID_LINES + 1):
        y = bottom - plot_h * i / GRID_LINES
        draw.line((MARGIN_LEFT, y, WIDTH - MARGIN_RIGHT, y), fill=GRID)
        draw.text((MARGIN_LEFT - 8, y), str(step * i), fill=TEXT, font=font, anchor="rm")

    if days:
        slot = plot_w / len(days)
        bar = max(1.0, slot * 0.7)
        label_every = max(1, round(len(days) / 8))
        for index, (day, paid, other) in enumerate(days):
            x0 = MARGIN_LEFT + index * slot + (slot - bar) / 2
            paid_h = plot_h * paid / top
            other_h = plot_h * other / top
            if paid:
                draw.rectangle((x0, bottom - paid_h, x0 + bar, bottom), fill=PAID_BAR)
            if other:
                draw.rectangle(
                    (x0, bottom - paid_h - other_h, x0 + bar, bottom - paid_h), fill=OTHER_BAR
                )
            # Counted from the newest day, so today always has its label.
            if (len(days) - 1 - index) % label_every == 0:
                draw.text(
                    (x0 + bar / 2, bottom + 8),
                    day.strftime("%d %b"),
                    fill=TEXT,
                    font=font,
                    anchor="mt",
                )

    legend_x = WIDTH - MARGIN_RIGHT - 230
    for offset, (colour, name) in enumerate(((PAID_BAR, "paid"), (OTHER_BAR, "other"))):
        x = legend_x + offset * 110
        draw.rectangle((x, 16, x + 12, 28), fill=colour)
        draw.text((x + 18, 22), name, fill=TEXT, font=font, anchor="lm")
    draw.text(
        (WIDTH - MARGIN_RIGHT, HEIGHT - 8),
        f"total {sum(p + o for _, p, o in days)}",
        fill=TEXT,
        font=font,
        anchor="rb",
    )

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
