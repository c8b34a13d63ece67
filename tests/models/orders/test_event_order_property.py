"""Property: duplicates, shuffles and late events end where the clean in-order run ends.

(Orders, wallet-paid orders refunded to the wallet, and top-ups clawed back.)

Each hypothesis example plays one story twice, on two fresh orders: once in order with each
event once, once shuffled with repeats. The final states (status, refunds, codes held,
role, pending delivery, wallet) must be equal, and the shop-wide invariants must hold.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tortoise.transactions import in_transaction

from models.base import JobKind, JobStatus, OrderStatus, StockStatus, WalletKind
from models.customers.tables import Customer, WalletTransaction
from models.customers.topups import TopUpFact, credit_topup
from models.customers.wallet import balance, credit, ledger_sum
from models.errors import ShopError
from models.orders.clawbacks import apply_topup_fact
from models.orders.facts import ENTITLED
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.purchases import purchase_with_wallet
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.cipher import StockCipher
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from tests.models.conftest import external

# The order a real story would happen in; the clean run sorts by it.
CHRONOLOGY = [
    PaymentStatus.PENDING,
    PaymentStatus.FAILED,
    PaymentStatus.EXPIRED,
    PaymentStatus.PAID,
    PaymentStatus.PARTIALLY_REFUNDED,
    PaymentStatus.DISPUTED,
    PaymentStatus.DISPUTE_WON,
    PaymentStatus.DISPUTE_LOST,
    PaymentStatus.CANCELLED,
    PaymentStatus.REFUNDED,
]
_ids = itertools.count(1)


@dataclass(frozen=True)
class Fact:
    status: PaymentStatus
    refund_amount: int | None = None

    @property
    def rank(self) -> tuple[int, int]:
        return CHRONOLOGY.index(self.status), self.refund_amount or 0


fact = st.one_of(
    st.sampled_from(
        [
            Fact(PaymentStatus.PENDING),
            Fact(PaymentStatus.PAID),
            Fact(PaymentStatus.FAILED),
            Fact(PaymentStatus.EXPIRED),
            Fact(PaymentStatus.CANCELLED),
            Fact(PaymentStatus.REFUNDED),
            Fact(PaymentStatus.DISPUTED),
            Fact(PaymentStatus.DISPUTE_WON),
            Fact(PaymentStatus.DISPUTE_LOST),
        ]
    ),
    st.builds(Fact, st.just(PaymentStatus.PARTIALLY_REFUNDED), st.sampled_from([100, 200])),
    st.builds(Fact, st.just(PaymentStatus.REFUNDED), st.sampled_from([150, 500, 1000])),
)
story = st.lists(fact, min_size=1, max_size=8, unique=True)
product = st.sampled_from([("game-key", 1), ("game-key", 2), ("vip", 1), ("bundle", 1)])


async def final_state(order_id: int) -> dict:
    order = await Order.get(id=order_id)
    held = {
        s.value: await StockItem.filter(order_id=order_id, status=s).count() for s in StockStatus
    }
    role_jobs = await Job.filter(
        order_id=order_id, kind__in=(JobKind.GRANT_ROLE, JobKind.REVOKE_ROLE)
    ).order_by("id")
    active_deliveries = await Job.filter(
        order_id=order_id,
        kind=JobKind.DELIVER_CODES,
        status__in=(JobStatus.PENDING, JobStatus.RUNNING),
    ).count()
    return {
        "status": order.status,
        "refunded_amount": order.refunded_amount,
        "needs_attention": order.needs_attention,
        "held": held,
        "role": bool(role_jobs) and role_jobs[-1].kind == JobKind.GRANT_ROLE,
        "deliveries": active_deliveries,
    }


async def check_invariants(order_ids: list[int]) -> None:
    """Stock rows agree with their orders (shop-wide); these orders hold what they should;
    every wallet equals its ledger and is not negative."""
    assert await StockItem.filter(status=StockStatus.AVAILABLE, order_id__isnull=False).count() == 0
    held_by_unentitled = StockItem.filter(
        status__in=(StockStatus.RESERVED, StockStatus.DELIVERED)
    ).exclude(order__status__in=tuple(ENTITLED))
    assert await held_by_unentitled.count() == 0
    for order in await Order.filter(id__in=order_ids).prefetch_related("product"):
        held = await StockItem.filter(
            order_id=order.id, status__in=(StockStatus.RESERVED, StockStatus.DELIVERED)
        ).count()
        if order.status in ENTITLED and order.product and "code" in order.product.kind:
            assert held == order.quantity or (
                order.status is OrderStatus.AWAITING_STOCK and held < order.quantity
            )
        else:
            assert held == 0
    assert await Customer.filter(balance__lt=0).count() == 0
    for customer in await Customer.filter(orders__id__in=order_ids).distinct():
        assert customer.balance == await ledger_sum(customer.discord_id)


async def play(events: list[PaymentEvent]) -> int:
    order_id = 0
    for event in events:
        order_id = (await apply_payment_event(event)).order_id
    return order_id


def _event(external_id: str, f: Fact, key: str, quantity: int, ref: str) -> PaymentEvent:
    return external(
        external_id,
        f.status,
        ref,
        product_key=key,
        quantity=quantity,
        amount=500 * quantity,
        refund_amount=f.refund_amount,
    )


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=story, chosen=product, data=st.data())
def test_shuffled_and_repeated_events_end_like_the_clean_run(
    db_runner: asyncio.Runner, cipher: StockCipher, facts, chosen, data
) -> None:
    key, quantity = chosen
    n = next(_ids)
    clean = sorted(facts, key=lambda f: f.rank)
    shuffled = data.draw(st.permutations(facts), label="shuffled")
    repeats = data.draw(st.lists(st.sampled_from(facts), max_size=4), label="repeats")
    positions = data.draw(
        st.lists(
            st.integers(0, len(shuffled) + len(repeats)),
            min_size=len(repeats),
            max_size=len(repeats),
        ),
        label="positions",
    )
    noisy = list(shuffled)
    for f, at in zip(repeats, positions, strict=True):
        noisy.insert(at, f)

    def events(external_id: str, run: list[Fact]) -> list[PaymentEvent]:
        # The reference is the provider's event id: the same fact repeated keeps its id.
        return [
            _event(external_id, f, key, quantity, f"{f.status.value}-{f.refund_amount}")
            for f in run
        ]

    async def scenario() -> None:
        await add_stock("game-key", [f"P{n}-{i}" for i in range(4)], cipher)
        await add_stock("bundle", [f"B{n}-{i}" for i in range(2)], cipher)
        clean_id = await play(events(f"clean-{n}", clean))
        noisy_id = await play(events(f"noisy-{n}", noisy))
        assert await final_state(noisy_id) == await final_state(clean_id)
        await check_invariants([clean_id, noisy_id])

    db_runner.run(scenario())


follow_up = st.sampled_from(
    [
        Fact(PaymentStatus.PARTIALLY_REFUNDED, 100),
        Fact(PaymentStatus.PARTIALLY_REFUNDED, 300),
        Fact(PaymentStatus.REFUNDED),
        Fact(PaymentStatus.CANCELLED),
        Fact(PaymentStatus.EXPIRED),
        Fact(PaymentStatus.PAID),
    ]
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=st.lists(follow_up, min_size=1, max_size=5, unique=True), data=st.data())
def test_wallet_orders_refund_to_the_wallet_once_in_any_order(
    db_runner: asyncio.Runner, cipher: StockCipher, facts, data
) -> None:
    n = next(_ids)
    noisy = data.draw(st.permutations(facts)) + data.draw(st.lists(st.sampled_from(facts)))

    async def run(buyer: int, run: list[Fact]) -> int:
        await credit(buyer, 2000, reference=f"topup-{buyer}")
        order = await purchase_with_wallet(buyer, "game-key", reference=f"buy-{buyer}")
        for f in run:
            await apply_payment_event(
                PaymentEvent(
                    source=order.source,
                    order_id=order.id,
                    status=f.status,
                    cause=f"test:{f.status.value}",
                    reference=str(f.refund_amount),
                    refund_amount=f.refund_amount,
                )
            )
        return order.id

    async def scenario() -> None:
        await add_stock("game-key", [f"W{n}-{i}" for i in range(2)], cipher)
        clean_id = await run(n * 10 + 1, sorted(facts, key=lambda f: f.rank))
        noisy_id = await run(n * 10 + 2, noisy)
        assert await final_state(noisy_id) == await final_state(clean_id)
        assert await balance(n * 10 + 1) == await balance(n * 10 + 2)
        await check_invariants([clean_id, noisy_id])

    db_runner.run(scenario())


# -- top-ups: credit, purchases paid with it, then refunds and disputes in any order --------

TOPUP_CHRONOLOGY = [
    ("refund", 500),
    ("refund", 1500),
    ("refund", None),
    ("dispute_opened", None),
    ("dispute_won", None),
    ("dispute_lost", None),
]
topup_fact = st.sampled_from(TOPUP_CHRONOLOGY)
basket = st.lists(st.sampled_from(["vip", "game-key", "bundle"]), min_size=1, max_size=3)


async def _topup_fact(buyer: int, fact: tuple[str, int | None]) -> bool:
    """Applies one provider fact; False when the top-up is not credited yet (retried later)."""
    name, amount = fact
    kind = TopUpFact.REFUNDED if name == "refund" else TopUpFact(name)
    result = await apply_topup_fact(kind, reference=f"topup-{buyer}", refund_amount=amount)
    return result is not None


async def _credit(buyer: int) -> None:
    async with in_transaction() as conn:
        await credit_topup(buyer, 2000, reference=f"topup-{buyer}", connection=conn)


async def wallet_state(buyer: int, order_ids: list[int]) -> dict:
    kinds = {}
    for entry in await WalletTransaction.filter(customer__discord_id=buyer):
        kinds[entry.kind] = kinds.get(entry.kind, 0) + entry.amount
    assert await balance(buyer) == await ledger_sum(buyer)
    # Net amounts per kind: a clawback restored (dispute opened, then won) nets to 0, the same
    # as a dispute whose win arrived first and so never took anything.
    kinds = {kind: amount for kind, amount in kinds.items() if amount}
    purchases = WalletTransaction.filter(customer__discord_id=buyer, kind=WalletKind.PURCHASE)
    assert not await purchases.filter(balance_after__lt=0).exists()
    return {"balance": await balance(buyer), "kinds": kinds} | {
        f"order{i}": await final_state(order_id) for i, order_id in enumerate(order_ids)
    }


# Each example books up to ten purchases and facts twice: 100 examples keep it near 40 s in CI.
@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    facts=st.lists(topup_fact, min_size=1, max_size=5, unique=True),
    items=basket,
    data=st.data(),
)
def test_topup_clawbacks_end_alike_in_any_order_and_never_let_a_purchase_overdraw(
    db_runner: asyncio.Runner, cipher: StockCipher, facts, items, data
) -> None:
    n = next(_ids)
    clean = sorted(facts, key=TOPUP_CHRONOLOGY.index)
    noisy = data.draw(st.permutations(facts)) + data.draw(st.lists(st.sampled_from(facts)))
    early = data.draw(st.integers(0, len(noisy)), label="facts before the credit")

    async def run(buyer: int, before: list, after: list) -> list[int]:
        # Facts arriving before the credit find no top-up; the inbox retries them later.
        deferred = [f for f in before if not await _topup_fact(buyer, f)]
        await _credit(buyer)
        await _credit(buyer)  # a repeated provider callback
        orders = []
        for i, key in enumerate(items):
            try:
                orders.append((await purchase_with_wallet(buyer, key, reference=f"{buyer}-{i}")).id)
            except ShopError:
                pass  # too little money left: refused, nothing booked
        for f in after + deferred:
            assert await _topup_fact(buyer, f)
        # No purchase when in debt or disputed, and none ever below zero.
        try:
            await purchase_with_wallet(buyer, "vip", reference=f"{buyer}-late")
        except ShopError:
            pass
        return orders

    async def scenario() -> None:
        await add_stock("game-key", [f"T{n}-{i}" for i in range(8)], cipher)
        await add_stock("bundle", [f"TB{n}-{i}" for i in range(8)], cipher)
        clean_buyer, noisy_buyer = n * 10 + 5, n * 10 + 6
        clean_orders = await run(clean_buyer, [], clean)
        noisy_orders = await run(noisy_buyer, noisy[:early], noisy[early:])
        clean_state = await wallet_state(clean_buyer, clean_orders)
        noisy_state = await wallet_state(noisy_buyer, noisy_orders)
        assert noisy_state == clean_state

    db_runner.run(scenario())
