"""The /admin botstats chart: a real PNG whose bars follow the numbers."""

from __future__ import annotations

import io
from datetime import date, timedelta

from PIL import Image

from cogs.admin.chart import HEIGHT, OTHER_BAR, PAID_BAR, WIDTH, orders_per_day_png

START = date(2026, 11, 1)


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (WIDTH, HEIGHT)
    return {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1 << 20)}


def _bar_pixels(png: bytes, colour: tuple[int, int, int]) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    # Below the legend, so only bars count.
    plot = image.crop((0, 40, WIDTH, HEIGHT))
    counts = {found: n for n, found in plot.getcolors(maxcolors=1 << 20)}
    return counts.get(colour, 0)


def test_days_with_orders_draw_bars_in_both_colours() -> None:
    days = [(START + timedelta(i), i % 3, i % 2) for i in range(30)]
    png = orders_per_day_png(days)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert {PAID_BAR, OTHER_BAR} <= _colours(png)
    assert _bar_pixels(png, PAID_BAR) > 0
    assert _bar_pixels(png, OTHER_BAR) > 0


def test_more_orders_draw_taller_bars() -> None:
    quiet = orders_per_day_png([(START, 1, 0), (START + timedelta(1), 1, 0)])
    busy = orders_per_day_png([(START, 1, 0), (START + timedelta(1), 4, 0)])
    assert _bar_pixels(busy, PAID_BAR) > _bar_pixels(quiet, PAID_BAR)


def test_a_month_without_orders_draws_no_bars() -> None:
    png = orders_per_day_png([(START + timedelta(i), 0, 0) for i in range(30)])
    assert _bar_pixels(png, PAID_BAR) == 0
    assert _bar_pixels(png, OTHER_BAR) == 0
