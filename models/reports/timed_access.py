"""Timed access figures for /admin botstats: passes active now, renewals and lapses lately.

A renewal is a timed order that extended an access still running (details["access"], set by
models.orders.timed_access); a lapse is an access that ended with no later order of the
buyer's carrying it on (the access sweep posts one "access_ended" feed job for each, with a
dedupe key this counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from models.orders.facts import ENTITLED
from models.orders.tables import Order
from models.orders.timed_access import ACCESS
from models.outbox.tables import Job

WINDOW = timedelta(days=30)
LAPSE_KEY_PREFIX = "access-lapse:"  # models.orders.access


@dataclass(frozen=True)
class TimedAccessStats:
    active: int  # entitled timed orders whose access runs on now
    renewals_30d: int  # timed orders paid in the last 30 days that extended a running access
    lapses_30d: int  # accesses that ended in the last 30 days and were not carried on

    @property
    def any(self) -> bool:
        return bool(self.active or self.renewals_30d or self.lapses_30d)


async def timed_access_stats(now: datetime) -> TimedAccessStats:
    """The figures as of `now` (timezone-aware UTC; models.clock.now() in the bot)."""
    since = now - WINDOW
    active = await Order.filter(status__in=tuple(ENTITLED), access_until__gt=now).count()
    details = await Order.filter(access_until__isnull=False, paid_at__gte=since).values_list(
        "details", flat=True
    )
    renewals = sum(
        1
        for d in details
        if isinstance(d, dict) and isinstance(d.get(ACCESS), dict) and d[ACCESS].get("renewal")
    )
    lapses = await Job.filter(
        dedupe_key__startswith=LAPSE_KEY_PREFIX,
        order__access_until__gte=since,
        order__access_until__lte=now,
    ).count()
    return TimedAccessStats(active=active, renewals_30d=renewals, lapses_30d=lapses)
