"""Benchmark: a crowd redeeming a coupon, against the same crowd without one.

N buyers (each with wallet money) buy a role product from their wallets at once, C at a
time, each run on a fresh database: first without a coupon (the anchor), then all with a
coupon of unlimited uses (what counting a redemption in the order's transaction costs),
then with a coupon of 50 uses (exactly 50 orders discounted, the rest refused as used up
with their wallets untouched; checked). Printed: purchases a second, p50/p99, the ratio of
the unlimited-coupon run to the anchor. Run by hand:

    python bench/coupons.py --buyers 200 --uses 50
    python bench/coupons.py --database postgres://postgres@127.0.0.1:5432/stockroom_bench

The PostgreSQL database must exist; its tables are emptied first.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tortoise import Tortoise

from bench.crowd import percentile, run_crowd
from models import Order
from models.catalog.sync import sync_catalog
from models.coupons.actions import add_coupon
from models.coupons.tables import Coupon, CouponKind, CouponRedemption
from models.customers.wallet import balance, credit
from models.database import close_database, open_database
from models.orders.purchases import purchase_with_wallet
from settings import ProductConfig
from tests.conftest import _TABLES_IN_DELETE_ORDER

PASS = ProductConfig("bench-pass", "Bench pass", "role", 1000, "USD", role_id=777)
CODE = "CROWD50"


async def run(database: str, buyers: int, uses: int | None, concurrency: int, coupon: bool) -> dict:
    await open_database(database)
    try:
        if database.startswith("postgres"):
            await Tortoise.get_connection("default").execute_script(
                "TRUNCATE " + ", ".join(_TABLES_IN_DELETE_ORDER) + " RESTART IDENTITY CASCADE"
            )
        await sync_catalog([PASS])
        if coupon:
            await add_coupon(CODE, CouponKind.PERCENT, "20", products=[], max_uses=uses)
        for buyer in range(buyers):
            await credit(20_000 + buyer, 1000, reference=f"bench-topup-{buyer}")
        crowd = await run_crowd(
            buyers,
            concurrency,
            lambda buyer: purchase_with_wallet(
                20_000 + buyer,
                PASS.key,
                reference=f"crowd-{buyer}",
                coupon_code=CODE if coupon else None,
            ),
        )
        orders = await Order.all().count()
        discounted = await CouponRedemption.all().count()
        if coupon:
            counted = (await Coupon.get(code=CODE)).uses
            charged_full = 0
            untouched = sum([await balance(20_000 + b) == 1000 for b in range(buyers)])
            winners = buyers if uses is None else min(uses, buyers)
            if not (orders == discounted == counted == winners and untouched == buyers - winners):
                raise SystemExit(
                    f"WRONG OUTCOME: orders={orders} redemptions={discounted} uses={counted} "
                    f"untouched wallets={untouched}"
                )
        else:
            charged_full = orders
            if orders != buyers:
                raise SystemExit(f"WRONG OUTCOME: {orders} orders for {buyers} buyers")
        return {
            "orders": orders,
            "discounted": discounted,
            "charged_full": charged_full,
            "refused": crowd.refused,
            "per_s": buyers / crowd.elapsed,
            "p50_ms": statistics.median(crowd.latencies) * 1000,
            "p99_ms": percentile(crowd.latencies, 0.99) * 1000,
        }
    finally:
        await close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="")
    parser.add_argument("--buyers", type=int, default=200)
    parser.add_argument("--uses", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=200)
    args = parser.parse_args()
    results = {}
    scenarios = (
        ("without a coupon (anchor)", None, False),
        ("coupon, unlimited uses", None, True),
        (f"coupon, {args.uses} uses", args.uses, True),
    )
    for name, uses, coupon in scenarios:
        with tempfile.TemporaryDirectory() as tmp:
            database = args.database or f"sqlite://{tmp}/bench.sqlite3"
            results[name] = asyncio.run(run(database, args.buyers, uses, args.concurrency, coupon))
    engine = (args.database or "sqlite").split(":", 1)[0]
    print(f"{engine}: {args.buyers} buyers at once ({args.concurrency} in flight)")
    for name, r in results.items():
        print(
            f"  {name:26} {r['per_s']:7.1f} purchases/s  p50 {r['p50_ms']:6.1f} ms  "
            f"p99 {r['p99_ms']:6.1f} ms  orders {r['orders']} (discounted {r['discounted']}, "
            f"refused {r['refused']})"
        )
    anchor, unlimited, _ = results.values()
    print(
        f"  redemption's cost (unlimited vs anchor): {unlimited['per_s'] / anchor['per_s']:.2f}x "
        f"purchases/s, p99 {unlimited['p99_ms'] / anchor['p99_ms']:.2f}x"
    )


if __name__ == "__main__":
    main()
