"""Timed access (models.orders.timed_access): access_until set once when a timed order entitles,
extended from the later of now and the current end; reminders and lapses once per end."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import clock
from models.base import JobKind, OrderStatus
from models.catalog.sync import sync_catalog
from models.customers import wallet
from models.orders.access import sweep_ended_access
from models.orders.access_reminders import queue_access_reminders
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.purchases import purchase_with_wallet
from models.orders.tables import Order
from models.orders.timed_access import access_start, is_renewal
from models.outbox.tables import Job
from settings import PackageConfig, ProductConfig
from tests.models.conftest import CATALOG, external

BUYER = 1001
DAY = timedelta(days=1)
PASS = ProductConfig(
    key="pass",
    name="Pass (30 days)",
    kind="role",
    price=400,
    currency="USD",
    role_id=778,
    duration_days=30,
    packages=(PackageConfig(quantity=3, price=1000),),
)


@pytest.fixture
async def timed_catalog(db: str) -> str:
    await sync_catalog((*CATALOG, PASS))
    return db


@pytest.fixture(autouse=True)
def real_clock():
    yield
    clock.reset()


async def buy(external_id: str, *, quantity: int = 1, buyer: int = BUYER) -> Order:
    event = external(
        external_id,
        PaymentStatus.PAID,
        "paid",
        product_key="pass",
        quantity=quantity,
        amount=400 * quantity,
        discord_user_id=buyer,
    )
    return await Order.get(id=(await apply_payment_event(event)).order_id)


async def jobs(kind: JobKind) -> list[dict]:
    return [j.payload for j in await Job.filter(kind=kind).order_by("id")]


def test_the_rule_starts_from_the_later_of_now_and_the_current_end() -> None:
    now = clock.now()
    fresh = access_start(now, None, 30, 1)
    assert (fresh.starts, fresh.until, fresh.renewal) == (now, now + 30 * DAY, False)
    running = access_start(now, now + 5 * DAY, 30, 2)
    assert (running.starts, running.until, running.renewal) == (now + 5 * DAY, now + 65 * DAY, True)
    lapsed = access_start(now, now - DAY, 30, 1)
    assert (lapsed.starts, lapsed.renewal) == (now, False)


async def test_a_paid_timed_order_gets_its_end_once_and_keeps_it_under_replays(
    timed_catalog,
) -> None:
    before = clock.now()
    order = await buy("p1")
    assert order.status is OrderStatus.DELIVERED or order.status is OrderStatus.PAID
    assert order.access_until is not None
    assert before + 30 * DAY <= order.access_until <= clock.now() + 30 * DAY
    assert not is_renewal(order)

    clock.advance(2 * DAY)
    await apply_payment_event(external("p1", PaymentStatus.PAID, "paid-again", product_key="pass"))
    again = await Order.get(id=order.id)
    assert again.access_until == order.access_until  # once only


async def test_buying_again_extends_from_the_current_end_and_is_a_renewal(timed_catalog) -> None:
    first = await buy("p1")
    clock.advance(10 * DAY)
    second = await buy("p2")
    assert first.access_until is not None
    assert second.access_until == first.access_until + 30 * DAY
    assert is_renewal(second)
    assert second.details["access"]["from"] == first.access_until.isoformat()
    other = await buy("p3", buyer=2002)  # another buyer's pass starts from now
    assert not is_renewal(other)


async def test_after_a_lapse_a_purchase_starts_from_now(timed_catalog) -> None:
    first = await buy("p1")
    clock.advance(31 * DAY)
    second = await buy("p2")
    assert first.access_until is not None and second.access_until is not None
    assert second.access_until >= first.access_until + DAY
    assert not is_renewal(second)


async def test_a_package_of_n_is_n_periods(timed_catalog) -> None:
    await wallet.credit(BUYER, 5000, reference="topup-pass")
    order = await purchase_with_wallet(BUYER, "pass", package_quantity=3, reference="w1")
    stored = await Order.get(id=order.id)
    assert stored.access_until is not None and stored.paid_at is not None
    assert stored.access_until - clock.now() > 89 * DAY
    assert stored.access_until - clock.now() <= 90 * DAY


async def test_a_refunded_pass_does_not_count_for_the_next_one(timed_catalog) -> None:
    first = await buy("p1")
    await apply_payment_event(external("p1", PaymentStatus.REFUNDED, "refund", product_key="pass"))
    second = await buy("p2")
    assert first.access_until is not None and second.access_until is not None
    assert not is_renewal(second)
    assert second.access_until - first.access_until < DAY


async def test_one_reminder_per_end_days_before_it(timed_catalog) -> None:
    order = await buy("p1")
    assert await queue_access_reminders(3) == []  # 30 days left
    clock.advance(26 * DAY)
    assert await queue_access_reminders(3) == []  # 4 days left
    clock.advance(DAY + timedelta(minutes=1))
    assert await queue_access_reminders(3) == [order.id]
    assert await queue_access_reminders(3) == []  # once per end
    [payload] = await jobs(JobKind.REMIND_ACCESS)
    assert payload == {"order_id": order.id, "access_until": order.access_until.isoformat()}
    assert await queue_access_reminders(0) == []


async def test_a_renewed_access_is_reminded_of_at_its_new_end_only(timed_catalog) -> None:
    first = await buy("p1")
    clock.advance(20 * DAY)
    second = await buy("p2")
    clock.advance(8 * DAY)  # first ends in 2 days, but the second carries on
    assert await queue_access_reminders(3) == []
    clock.advance(30 * DAY)  # second ends in 2 days
    assert await queue_access_reminders(3) == [second.id]
    assert [p["order_id"] for p in await jobs(JobKind.REMIND_ACCESS)] == [second.id]
    assert first.id != second.id


async def test_a_lapse_posts_one_feed_entry_and_a_renewed_end_none(timed_catalog) -> None:
    first = await buy("p1")
    clock.advance(20 * DAY)
    second = await buy("p2")
    clock.advance(11 * DAY)  # the first ended; the second runs on
    assert await sweep_ended_access() == [first.id]
    feed = [p for p in await jobs(JobKind.POST_FEED) if p["kind"] == "access_ended"]
    assert feed == []
    clock.advance(30 * DAY)  # the second ended: a lapse
    assert await sweep_ended_access() == [second.id]
    assert await sweep_ended_access() == []
    feed = [p for p in await jobs(JobKind.POST_FEED) if p["kind"] == "access_ended"]
    assert feed == [{"order_id": second.id, "order_event_id": None, "kind": "access_ended"}]
    revoked = [p["order_id"] for p in await jobs(JobKind.REVOKE_ROLE)]
    assert revoked == [first.id, second.id]


async def test_exports_and_stats_tell_renewals_and_lapses(timed_catalog) -> None:
    import csv
    import io

    from models.reports.exports import ExportFilter, export_csv
    from models.reports.stats import order_stats
    from models.reports.timed_access import timed_access_stats

    first = await buy("p1")
    clock.advance(10 * DAY)
    second = await buy("p2")
    await apply_payment_event(external("v1", PaymentStatus.PAID, "paid", product_key="vip"))
    stats = await timed_access_stats(clock.now())
    assert (stats.active, stats.renewals_30d, stats.lapses_30d) == (2, 1, 0)

    clock.advance(51 * DAY)  # both ended: the second is a lapse, the first was carried on
    await sweep_ended_access()
    stats = await timed_access_stats(clock.now())
    assert (stats.active, stats.renewals_30d, stats.lapses_30d) == (0, 0, 1)
    assert (await order_stats(clock.now())).timed == stats

    text, count = await export_csv("orders", ExportFilter())
    rows = {row["number"]: row for row in csv.DictReader(io.StringIO(text))}
    assert count == 3
    assert rows[first.number]["access"] == "new"
    assert rows[second.number]["access"] == "renewal"
    assert rows[second.number]["access_until"] == second.access_until.isoformat()
    assert {rows[n]["access_state"] for n in (first.number, second.number)} == {"ended"}
    vip = next(r for n, r in rows.items() if n not in (first.number, second.number))
    assert (vip["access"], vip["access_until"], vip["access_state"]) == ("", "", "")


async def test_an_order_entitled_before_its_product_had_a_duration_stays_for_ever(
    timed_catalog,
) -> None:
    from models.catalog.tables import Product

    event = external("v1", PaymentStatus.PAID, "paid", product_key="vip", amount=1000)
    order_id = (await apply_payment_event(event)).order_id
    await Product.filter(key="vip").update(duration_days=30)  # config.toml edited later
    partial = external(
        "v1",
        PaymentStatus.PARTIALLY_REFUNDED,
        "part",
        product_key="vip",
        amount=1000,
        refund_amount=100,
    )
    assert (await apply_payment_event(partial)).status is OrderStatus.PARTIALLY_REFUNDED
    assert (await Order.get(id=order_id)).access_until is None


async def test_a_pass_whose_product_is_learnt_late_starts_when_it_is(timed_catalog) -> None:
    first = external("e1", PaymentStatus.PAID, "paid", product_key=None, amount=None)
    order_id = (await apply_payment_event(first)).order_id
    assert (await Order.get(id=order_id)).access_until is None
    clock.advance(DAY)
    later = external("e1", PaymentStatus.PAID, "paid-again", product_key="pass", amount=400)
    await apply_payment_event(later)
    order = await Order.get(id=order_id)
    assert order.access_until is not None
    assert order.access_until - clock.now() > 29 * DAY
