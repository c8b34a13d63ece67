"""The botstats embed: shop revenue and tracked orders in fields of their own."""

from __future__ import annotations

from datetime import UTC, datetime

from cogs.admin.render import stats_embed
from models.outbox.queries import QueueDepth
from models.reports.stats import ShopStats, WindowStats


def _stats(tracked: dict[str, int], tracked_orders: int) -> ShopStats:
    window = WindowStats(orders=3, paid_orders=3, revenue={"USD": 1500}, tracked=tracked)
    return ShopStats(
        revenue={"USD": 1500},
        tracked=tracked,
        tracked_orders=tracked_orders,
        orders_by_status={"paid": 3},
        windows={"24h": window},
        stock={},
        queue=QueueDepth(pending=0, running=0, parked=0, done=0, by_kind={}),
        webhook_errors=0,
        webhook_errors_24h=0,
        needs_attention=0,
    )


def _fields(stats: ShopStats) -> dict[str, str]:
    embed = stats_embed(stats, datetime.now(UTC))
    return {field.name: field.value for field in embed.fields}


def test_tracked_money_is_shown_apart_from_revenue() -> None:
    fields = _fields(_stats({"USD": 3200, "IDR": 5000000}, 2))
    assert fields["Revenue (all time)"] == "$15.00"
    assert fields["Tracked, sold elsewhere (Refract, order API)"] == (
        "2 order(s) · Rp 50,000.00 · $32.00"
    )
    assert fields["Last 24h"] == "3 order(s), 3 paid\n$15.00\ntracked: Rp 50,000.00 · $32.00"


def test_without_tracked_orders_the_windows_show_revenue_only() -> None:
    fields = _fields(_stats({}, 0))
    assert fields["Tracked, sold elsewhere (Refract, order API)"] == "0 order(s) · —"
    assert fields["Last 24h"] == "3 order(s), 3 paid\n$15.00"


def test_timed_access_is_shown_once_there_is_any() -> None:
    import dataclasses

    from models.reports.timed_access import TimedAccessStats

    assert "Timed access" not in _fields(_stats({}, 0))
    quiet = dataclasses.replace(_stats({}, 0), timed=TimedAccessStats(0, 0, 0))
    assert "Timed access" not in _fields(quiet)
    busy = dataclasses.replace(_stats({}, 0), timed=TimedAccessStats(4, 2, 1))
    assert _fields(busy)["Timed access"] == "4 active · last 30 d: 2 renewal(s), 1 lapse(s)"
