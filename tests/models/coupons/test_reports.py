"""Coupons in the feed, /admin botstats and the orders CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from cogs.admin.render import stats_embed
from cogs.delivery.feed_embeds import feed_embed
from models.base import OrderSource
from models.coupons.actions import add_coupon
from models.coupons.tables import CouponKind
from models.customers.wallet import credit
from models.orders.feed_entries import feed_entry
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.purchases import purchase_with_wallet
from models.reports.exports import ExportFilter, export_csv
from models.reports.stats import order_stats


async def _sales() -> tuple[int, int]:
    await add_coupon("FIVE", CouponKind.FIXED, "5.00", products=["vip"])
    await credit(1, 5000, reference="topup-1")
    with_coupon = await purchase_with_wallet(1, "vip", reference="a", coupon_code="five")
    without = await purchase_with_wallet(1, "vip", reference="b")
    return with_coupon.id, without.id


async def test_the_feed_embed_names_the_coupon_and_the_discount(catalog) -> None:
    with_coupon, without = await _sales()
    entry = await feed_entry(with_coupon, None, "completed")
    assert entry is not None and (entry.coupon, entry.discount, entry.amount) == ("FIVE", 500, 500)
    fields = {f.name: f.value for f in feed_embed(entry).fields}
    assert fields["Coupon"] == "FIVE (-$5.00)" and fields["Amount"] == "$5.00"
    plain = await feed_entry(without, None, "completed")
    assert plain is not None and "Coupon" not in {f.name for f in feed_embed(plain).fields}


async def test_botstats_counts_discounts_kept_and_a_refund_takes_its_discount_out(catalog) -> None:
    with_coupon, _ = await _sales()
    stats = await order_stats(datetime.now(UTC))
    assert (stats.discounts, stats.discounted_orders) == ({"USD": 500}, 1)
    assert stats.revenue == {"USD": 500 + 1000}
    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.DISCORD,
            order_id=with_coupon,
            status=PaymentStatus.REFUNDED,
            cause="admin:refund",
            reference="r",
            actor_id=9,
        )
    )
    stats = await order_stats(datetime.now(UTC))
    assert (stats.discounts, stats.discounted_orders) == ({}, 0)


async def test_the_orders_export_carries_coupon_code_and_discount(catalog) -> None:
    await _sales()
    text, count = await export_csv("orders", ExportFilter())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert count == 2
    assert sorted((r["coupon"], r["discount"], r["amount"]) for r in rows) == [
        ("", "", "1000"),
        ("FIVE", "500", "500"),
    ]


async def test_the_botstats_embed_shows_the_discounts(catalog) -> None:
    await _sales()
    now = datetime.now(UTC)
    fields = {f.name: f.value for f in stats_embed(await order_stats(now), now).fields}
    assert fields["Coupon discounts"] == "1 order(s) · $5.00"
