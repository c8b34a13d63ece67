"""The one clock the shop reads for time-based rules (timed access, coupons, reminders).

Tests move it forward with advance() instead of sleeping; production code calls now().
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_offset = timedelta(0)


def now() -> datetime:
    """The current time, timezone-aware UTC, plus any offset a test has set."""
    return datetime.now(UTC) + _offset


def advance(delta: timedelta) -> None:
    """Moves the clock forward (tests only)."""
    global _offset
    _offset += delta


def reset() -> None:
    """Back to the real time (tests only)."""
    global _offset
    _offset = timedelta(0)
