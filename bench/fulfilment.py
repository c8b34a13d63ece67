"""Benchmark: paid orders fulfilled by `python bot.py` against the Discord emulator, four ways.

Each scenario starts a fresh Discord emulator (in this process) and a fresh database, imports
the codes with `bot.py stock add`, starts `python bot.py` as a subprocess and sends N signed
generic webhooks (one paid starter-bundle order each: a code by DM, the Customer role, the
orders feed). The scenarios are {Discord's 50/s global limit, no limit} x {1k, 100k codes in
stock}; "S codes in stock" means S codes beyond the N the run sells, so the shop holds S
available codes at the end.

Reported per scenario: orders/s, Discord requests per order, share of the limit used, 429s,
and the bot's own CPU per delivered order (its process CPU time, /proc, over the run). The
anchor, measured first in the same run: the emulator's own ceiling, a bare client (another
process, no database, no bot) sending the same requests an order makes, as fast as the
emulator answers. Ratios are printed beside each figure. Exits non-zero when an order is not
delivered. Run by hand:

    python bench/fulfilment.py                          # 2,000 orders unlimited, 500 at 50/s
    python bench/fulfilment.py --only unlimited --stock 100000 --orders 2000
    python bench/fulfilment.py --repeat 2              # each buyer buys twice
    python bench/fulfilment.py --only unlimited --stock 1000 --sold 100000   # a shop's history
    python bench/fulfilment.py --database postgres://postgres@127.0.0.1:5432/stockroom_bench
    python bench/fulfilment.py --only unlimited --stock 1000 --profile /tmp/bot.prof

`--profile` runs the bot under cProfile (its CPU figures then include the profiler's cost).
The PostgreSQL database must exist; its tables are emptied before each scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fulfilment_ratelimit import (
    add_buyers,
    bot_environment,
    empty_postgres,
    send_orders,
    stop_bot,
)
from bench.fulfilment_setup import (
    UNLIMITED,
    Ceiling,
    ceiling_client,
    import_codes,
    measure_ceiling,
    own_cpu,
    process_cpu,
    sell_oldest,
    start_bot,
    wait_delivered,
)
from demo.emulator.server import _TOKEN_ROUTES, DiscordEmulator
from demo.emulator.wire import RequestRecord

LIMIT = 50  # Discord's global limit, requests per second


@dataclass
class Scenario:
    limited: bool
    stock: int
    orders: int
    sold: int = 0  # codes already sold before the run (the oldest ones)

    @property
    def name(self) -> str:
        limit = f"{LIMIT}/s limit" if self.limited else "no limit"
        sold = f", {self.sold:,} sold before" if self.sold else ""
        return f"{limit}, {self.stock:,} codes in stock{sold}, {self.orders:,} orders"


@dataclass
class Result:
    scenario: Scenario
    delivered: int
    seconds: float
    requests: list[RequestRecord]
    bot_cpu: float  # seconds of the bot process over the run
    emulator_cpu: float  # seconds of this process (emulator and webhook sender) over the run
    import_seconds: float
    began: float = 0.0  # perf_counter when the first webhook was sent

    @property
    def counted(self) -> list[RequestRecord]:
        """Requests inside the global limit (interaction and webhook-token routes are not)."""
        return [r for r in self.requests if r.template and not r.template.startswith(_TOKEN_ROUTES)]


async def run_scenario(scenario: Scenario, args: argparse.Namespace, tmp: Path) -> Result:
    emulator = DiscordEmulator()  # OpenAPI checks off: they cost emulator CPU, not bot work
    if scenario.limited:
        emulator.faults.global_limit, emulator.faults.global_window = LIMIT, 1.0
        emulator.faults.route_limit = (args.route_limit, 1.0)
    else:
        emulator.faults.global_limit = UNLIMITED
        emulator.faults.route_limit = (UNLIMITED, 1.0)
    await emulator.start()
    folder = tmp / f"{'limited' if scenario.limited else 'unlimited'}-{scenario.stock}"
    folder.mkdir()
    try:
        buyer_ids = add_buyers(emulator, -(-scenario.orders // args.repeat))
        buyers = [buyer_ids[n % len(buyer_ids)] for n in range(scenario.orders)]
        database = args.database or f"sqlite://{folder}/bench.sqlite3"
        if database.startswith("postgres"):
            await empty_postgres(database)
        env = bot_environment(emulator, database, folder, LIMIT if scenario.limited else 0)
        env["LOG_LEVEL"] = args.log_level
        import_seconds = import_codes(env, scenario.sold + scenario.orders + scenario.stock, folder)
        if scenario.sold:
            await sell_oldest(database, scenario.sold)
        profile = f"{args.profile}.{folder.name}" if args.profile else ""
        child = await start_bot(env, folder / "bot.log", profile)
        try:
            await asyncio.sleep(1.0)  # start-up requests (command sync) outside the run
            first = len(emulator.requests)
            bot_before, own_before = process_cpu(child.pid), own_cpu()
            began = time.perf_counter()
            await send_orders(int(env["WEBHOOK_PORT"]), buyers, args.concurrency)
            delivered, ended = await wait_delivered(
                emulator, set(buyer_ids), scenario.orders, args.timeout
            )
            bot_cpu, emulator_cpu = process_cpu(child.pid) - bot_before, own_cpu() - own_before
        finally:
            await stop_bot(child)
        if delivered < scenario.orders:
            print((folder / "bot.log").read_text()[-3000:], file=sys.stderr)
        requests = emulator.requests[first:]
    finally:
        await emulator.stop()
    return Result(
        scenario, delivered, ended - began, requests, bot_cpu, emulator_cpu, import_seconds, began
    )


# -- report -----------------------------------------------------------------------------------


def report(result: Result, ceiling: Ceiling) -> bool:
    s = result.scenario
    counted = result.counted
    refused = [r for r in counted if r.status == 429]
    scopes = Counter(r.scope or "none" for r in refused)
    delivered = max(result.delivered, 1)
    orders_per_s = result.delivered / result.seconds
    requests_per_s = len(counted) / result.seconds
    per_order = len(counted) / delivered
    cpu_ms = 1000 * result.bot_cpu / delivered
    # The emulator's ceiling for this run's request mix: its requests/s over this run's per order.
    ceiling_orders = ceiling.requests_per_s / per_order
    print(s.name)
    print(
        f"  delivered {result.delivered:,}/{s.orders:,} in {result.seconds:.1f} s: "
        f"{orders_per_s:.1f} orders/s"
    )
    print(
        f"  Discord requests {len(counted):,}: {per_order:.2f} per order, {requests_per_s:.1f}/s"
        + (f" = {100 * requests_per_s / LIMIT:.1f} % of the {LIMIT}/s limit" if s.limited else "")
    )
    routes = Counter(f"{r.method} {r.template}" for r in counted)
    print("  by route: " + " · ".join(f"{route} {n}" for route, n in routes.most_common()))
    print(
        f"  429s {len(refused)}"
        + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(scopes.items())) + ")" if refused else "")
    )
    print(
        f"  bot CPU {result.bot_cpu:.2f} s = {cpu_ms:.1f} ms per order "
        f"(one core's worth: {1000 / cpu_ms:.0f} orders/s); "
        f"this process (emulator + webhooks) {result.emulator_cpu:.2f} s"
    )
    if s.limited:
        anchor = LIMIT / per_order
        print(
            f"  anchor: the limit itself, {LIMIT}/s = {anchor:.1f} orders/s at this run's "
            f"{per_order:.2f} requests an order; ratio {orders_per_s / anchor:.2f}"
        )
    else:
        print(
            f"  anchor: emulator ceiling {ceiling.requests_per_s:.0f} requests/s = "
            f"{ceiling_orders:.0f} orders/s at this run's mix; "
            f"ratio {orders_per_s / ceiling_orders:.2f}"
        )
    print(f"  import of {s.sold + s.orders + s.stock:,} codes first: {result.import_seconds:.1f} s")
    if s.limited:
        print_timeline(result)
    return result.delivered >= s.orders


def _is_feed(record: RequestRecord) -> bool:
    body = record.body if isinstance(record.body, dict) else {}
    return str(body.get("nonce", "")).startswith("feed-")


def _kind(record: RequestRecord) -> str:
    if record.template == "/users/@me/channels":
        return "open"
    if record.method == "PUT":
        return "role"
    return "feed" if _is_feed(record) else "dm"


def print_timeline(result: Result) -> None:
    """How the limit was used: requests per second by kind, and when buyers were all served."""
    counted = result.counted
    if not counted:
        return
    start = result.began
    buyers = [r.at - start for r in counted if _kind(r) != "feed"]
    feed = [r.at - start for r in counted if _kind(r) == "feed"]
    served = max(buyers, default=0.0)
    print(
        f"  last buyer request at {served:.1f} s, last feed message at "
        f"{max(feed, default=0.0):.1f} s; feed messages after the last buyer request: "
        f"{sum(1 for t in feed if t > served)}"
    )
    seconds: dict[int, Counter[str]] = {}
    for record in counted:
        seconds.setdefault(int(record.at - start), Counter())[_kind(record)] += 1
    line = " ".join(
        f"{second}:{sum(kinds.values())}="
        + "+".join(f"{kind[0]}{kinds[kind]}" for kind in ("open", "dm", "role", "feed"))
        for second, kinds in sorted(seconds.items())
    )
    print(f"  requests in each second (o: DM opened, d: DM, r: role, f: feed message): {line}")


def cpu_per_order(result: Result) -> float:
    return result.bot_cpu / max(result.delivered, 1)


async def main_async(args: argparse.Namespace) -> int:
    scenarios = []
    for stock in args.stock:
        if args.only in ("both", "limited"):
            scenarios.append(Scenario(True, stock, args.limited_orders, args.sold))
        if args.only in ("both", "unlimited"):
            scenarios.append(Scenario(False, stock, args.orders, args.sold))
    ok = True
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in scenarios:
            # The anchor right before each scenario: the shared machine's load drifts.
            ceiling = await measure_ceiling(args, args.ceiling_orders)
            print(
                f"\nanchor, same run: the emulator's own ceiling (bare client in another "
                f"process, {args.concurrency} orders in flight): {ceiling.orders_per_s:.0f} "
                f"orders/s of {ceiling.requests_per_order} requests = "
                f"{ceiling.requests_per_s:.0f} requests/s"
            )
            result = await run_scenario(scenario, args, Path(tmp))
            results.append(result)
            ok = report(result, ceiling) and ok
    by_stock: dict[bool, dict[int, Result]] = {}
    for result in results:
        by_stock.setdefault(result.scenario.limited, {})[result.scenario.stock] = result
    for limited, runs in by_stock.items():
        if len(runs) < 2:
            continue
        low, high = min(runs), max(runs)
        a, b = runs[low], runs[high]
        print(
            f"\n{'limited' if limited else 'unlimited'}: {high:,} vs {low:,} codes in stock: "
            f"orders/s x{(b.delivered / b.seconds) / (a.delivered / a.seconds):.2f}, "
            f"bot CPU per order x{cpu_per_order(b) / cpu_per_order(a):.2f}"
        )
    return 0 if ok else 1


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--ceiling-client":
        asyncio.run(ceiling_client(json.loads(sys.argv[2])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000, help="orders of an unlimited run")
    parser.add_argument("--limited-orders", type=int, default=500, help="orders at 50/s")
    parser.add_argument(
        "--stock",
        type=lambda text: [int(x) for x in text.split(",")],
        default=[1000, 100_000],
        help="codes in stock beyond the run's orders, comma-separated (default 1000,100000)",
    )
    parser.add_argument("--sold", type=int, default=0, help="codes sold before the run (default 0)")
    parser.add_argument("--only", choices=("both", "limited", "unlimited"), default="both")
    parser.add_argument("--repeat", type=int, default=1, help="orders per buyer (default 1)")
    parser.add_argument("--route-limit", type=int, default=50, help="per bucket and second")
    parser.add_argument("--concurrency", type=int, default=20, help="webhooks in flight")
    parser.add_argument("--ceiling-orders", type=int, default=1000, help="orders of the anchor")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--database", default="")
    parser.add_argument("--log-level", default="INFO", help="the bot's LOG_LEVEL")
    parser.add_argument("--profile", default="", help="run the bot under cProfile into this file")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    raise SystemExit(asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
