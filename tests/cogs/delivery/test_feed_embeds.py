"""Feed embeds rendered without Discord: colours, fields, money events, masked emails, limits,
and how queued embeds are packed into messages."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import disnake
import pytest

from cogs import _embeds
from cogs.delivery.feed import FeedMessage, fold_jobs, message_nonce, plan_messages
from cogs.delivery.feed_embeds import EMBEDS_PER_MESSAGE, FEED_EMBED_MAX, feed_embed, topup_embed
from models.base import OrderSource, OrderStatus, PaymentMethod
from models.orders.feed_entries import FeedEntry, TopUpFeedEntry
from models.outbox.feed import FEED_MESSAGE_KEY


def an_entry(kind: str, **changes: object) -> FeedEntry:
    values: dict = {
        "order_id": 7,
        "number": "SR-ABC123",
        "kind": kind,
        "status": OrderStatus.PAID,
        "source": OrderSource.STRIPE,
        "product_name": "Game key",
        "quantity": 5,
        "amount": 2250,
        "currency": "USD",
        "discord_id": 42 << 22,
        "email": "carol@example.org",
        "cause": "stripe:checkout.session.completed",
        "at": datetime(2026, 11, 22, tzinfo=UTC),
        "payment_method": PaymentMethod.STRIPE,
    }
    values.update(changes)
    return FeedEntry(**values)


def a_topup(kind: str, change: int, clawed: int, balance: int) -> TopUpFeedEntry:
    return TopUpFeedEntry(
        topup_id=3,
        kind=kind,
        discord_id=42 << 22,
        topup_amount=2000,
        currency="USD",
        change=change,
        clawed=clawed,
        balance=balance,
        at=datetime(2026, 11, 22, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("kind", "colour"),
    [
        ("checkout_started", 0xF39C12),
        ("pending", 0xF1C40F),
        ("completed", 0x2ECC71),
        ("delivered", 0x2ECC71),
        ("failed", 0xE74C3C),
        ("refunded", 0x95A5A6),
        ("partially_refunded", 0x95A5A6),
        ("disputed", 0x8B0000),
        ("dispute_won", 0x2ECC71),
        ("dispute_lost", 0x8B0000),
    ],
)
def test_feed_embed_colour_follows_the_event(kind: str, colour: int) -> None:
    assert feed_embed(an_entry(kind)).colour.value == colour


def test_feed_embed_shows_the_order_but_not_the_email() -> None:
    embed = feed_embed(an_entry("completed"))
    fields = {f.name: f.value for f in embed.fields}
    assert embed.title == "Order SR-ABC123 — Payment completed"
    assert fields == {
        "Product": "Game key",
        "Quantity": "5",
        "Amount": "$22.50",
        "Customer": f"<@{42 << 22}>",
        "Email": "c***@example.org",
        "Source": "Stripe",
        "Status": "paid",
        "Payment": "Card (Stripe)",
    }
    assert "carol@example.org" not in str(embed.to_dict())


def test_a_partial_refund_shows_its_amount_the_total_and_the_reason() -> None:
    entry = an_entry(
        "partially_refunded",
        status=OrderStatus.PARTIALLY_REFUNDED,
        refund=700,
        refunded_total=1200,
        reason="one key did not work",
    )
    embed = feed_embed(entry)
    fields = {f.name: f.value for f in embed.fields}
    assert embed.title == "Order SR-ABC123 — Partially refunded"
    assert fields["Refund"] == "$7.00 (refunded in all: $12.00)"
    assert fields["Reason"] == "one key did not work"


def test_a_partial_refund_of_unknown_size_says_so_instead_of_zero() -> None:
    # Ecwid's PARTIALLY_REFUNDED carries no amount.
    entry = an_entry("partially_refunded", status=OrderStatus.PARTIALLY_REFUNDED, cause="ecwid:x")
    fields = {f.name: f.value for f in feed_embed(entry).fields}
    assert fields["Refund"] == "amount not given by the store"
    free = an_entry("refunded", status=OrderStatus.REFUNDED, amount=0)
    assert {f.name: f.value for f in feed_embed(free).fields}["Refund"] == (
        "$0.00 (refunded in all: $0.00)"
    )


def test_a_wallet_order_says_so_and_a_pending_checkout_awaits_payment() -> None:
    wallet = feed_embed(an_entry("completed", payment_method=PaymentMethod.WALLET))
    assert {f.name: f.value for f in wallet.fields}["Payment"] == "Wallet"
    pending = feed_embed(an_entry("pending", status=OrderStatus.PENDING))
    assert pending.title == "Order SR-ABC123 — Awaiting payment"


def test_topup_embeds_tell_credit_clawback_and_give_back() -> None:
    credited = topup_embed(a_topup("topup", 2000, 0, 2000))
    taken = topup_embed(a_topup("topup_clawed_back", -1500, 2000, -300))
    given = topup_embed(a_topup("topup_given_back", 1500, 500, 1200))
    assert [e.title for e in (credited, taken, given)] == [
        "Wallet topped up",
        "Top-up taken back",
        "Top-up given back",
    ]
    fields = {f.name: f.value for f in taken.fields}
    assert fields == {
        "Customer": f"<@{42 << 22}>",
        "Top-up": "$20.00",
        "Wallet change": "−$15.00",
        "Taken back in all": "$20.00",
        "Wallet balance": "-$3.00",
    }
    assert taken.colour.value == 0x8B0000 and given.colour.value == 0x2ECC71


def test_every_feed_embed_fits_a_tenth_of_a_message() -> None:
    longest = an_entry(
        "partially_refunded",
        number="SR-" + "X" * 29,
        product_name="P" * 5000,
        email="e" * 64 + "@" + "d" * 180 + ".com",
        cause="c" * 64,
        reason="r" * 5000,
        refund=10**15,
        refunded_total=10**15,
        amount=10**15,
        discord_id=2**63 - 1,
    )
    embed = feed_embed(longest)
    assert len(embed) <= FEED_EMBED_MAX
    assert FEED_EMBED_MAX * EMBEDS_PER_MESSAGE <= _embeds.TOTAL_MAX
    assert {f.name for f in embed.fields} >= {"Product", "Email", "Refund", "Reason"}


def job(
    job_id: int, message: str | None = None, *, order: int | None = None, kind: str = "completed"
) -> SimpleNamespace:
    payload: dict = {"order_id": job_id if order is None else order, "kind": kind}
    if message:
        payload[FEED_MESSAGE_KEY] = message
    return SimpleNamespace(id=job_id, payload=payload)


def test_queued_embeds_are_packed_ten_to_a_message_in_order() -> None:
    embed = feed_embed(an_entry("completed"))
    items = [([job(n)], embed) for n in range(1, 24)]
    messages = plan_messages(items)  # type: ignore[arg-type]
    assert [len(m.jobs) for m in messages] == [10, 10, 3]
    assert [j.id for m in messages for j in m.jobs] == list(range(1, 24))
    assert [m.nonce for m in messages] == ["feed-1", "feed-11", "feed-21"]
    assert all(m.size <= _embeds.TOTAL_MAX for m in messages)


def test_jobs_sent_together_before_are_sent_together_again_with_their_nonce() -> None:
    embed = feed_embed(an_entry("completed"))
    items = [([job(3, "feed-3")], embed), ([job(4, "feed-3")], embed), ([job(9)], embed)]
    first, second = plan_messages(items)  # type: ignore[arg-type]
    assert (first.nonce, first.marked, [j.id for j in first.jobs]) == ("feed-3", True, [3, 4])
    assert (second.nonce, second.marked, [j.id for j in second.jobs]) == ("feed-9", False, [9])


def test_one_embed_of_several_jobs_carries_them_all_into_its_message() -> None:
    embed = feed_embed(an_entry("delivered"), ["completed"])
    pair = [job(1, order=5), job(2, order=5, kind="delivered")]
    (message,) = plan_messages([(pair, embed), ([job(3)], embed)])  # type: ignore[list-item]
    assert [j.id for j in message.jobs] == [1, 2, 3]
    assert len(message.embeds) == 2 and message.nonce == "feed-1"


def ids(groups: list) -> list[list[int]]:
    return [[j.id for j in group] for group in groups]


def test_an_orders_completed_entry_folds_into_its_delivered_entry_in_the_same_round() -> None:
    jobs = [
        job(1, order=10),
        job(2, order=11),
        job(3, order=10, kind="delivered"),
        job(4, order=11, kind="delivered"),
        job(5, order=12, kind="delivered"),  # its "completed" went in an earlier round
    ]
    # Each pair takes the place of its newer job, so the feed stays in the order shown.
    assert ids(fold_jobs(jobs)) == [[1, 3], [2, 4], [5]]  # type: ignore[arg-type]


def test_only_completed_then_delivered_of_one_order_and_one_message_fold() -> None:
    jobs = [
        job(1, order=10),
        job(2, order=10, kind="refunded"),  # news of its own between the two
        job(3, order=10, kind="delivered"),
        job(4, "feed-4", order=20),  # sent before in message feed-4 ...
        job(5, order=20, kind="delivered"),  # ... this one never was: it must not join it
        job(6, "feed-6", order=30),
        job(7, "feed-6", order=30, kind="delivered"),  # the same message before: stays one
        job(8, order=40, kind="delivered"),
        job(9, order=40),  # "completed" after "delivered" (a redelivery) is not folded
        job(10, order=50, kind="pending"),
        job(11, order=50, kind="delivered"),
    ]
    assert ids(fold_jobs(jobs)) == [  # type: ignore[arg-type]
        [1],
        [2],
        [3],
        [4],
        [5],
        [6, 7],
        [8],
        [9],
        [10],
        [11],
    ]


def test_top_up_entries_never_fold() -> None:
    topup = SimpleNamespace(id=1, payload={"topup_id": 3, "entry_id": 4, "kind": "topup"})
    assert ids(fold_jobs([topup, job(2, order=3, kind="delivered")])) == [[1], [2]]  # type: ignore[list-item]


def test_a_folded_embed_names_both_entries_and_shows_the_later() -> None:
    embed = feed_embed(an_entry("delivered", status=OrderStatus.DELIVERED), ["completed"])
    shown = embed.to_dict()
    assert shown["title"] == "Order SR-ABC123 — Payment completed · Delivered"
    assert {f["name"]: f["value"] for f in shown["fields"]}["Status"] == "delivered"
    assert shown["color"] == feed_embed(an_entry("delivered")).to_dict()["color"]


def test_a_nonce_stays_within_discord_limit() -> None:
    assert message_nonce(10**19) == "feed-10000000000000000000"
    with pytest.raises(ValueError):
        message_nonce(10**20)


def test_a_timed_order_shows_its_access_and_a_renewal_is_marked() -> None:
    until = datetime(2026, 12, 22, tzinfo=UTC)
    stamp = int(until.timestamp())
    renewal = feed_embed(an_entry("completed", access_until=until, renewal=True)).to_dict()
    assert renewal["title"] == "Order SR-ABC123 — Payment completed (renewal)"
    access = {f["name"]: f["value"] for f in renewal["fields"]}["Access"]
    assert access == f"renewal, until <t:{stamp}:f>"
    new = feed_embed(an_entry("completed", access_until=until)).to_dict()
    assert new["title"] == "Order SR-ABC123 — Payment completed"
    assert {f["name"]: f["value"] for f in new["fields"]}["Access"] == f"new, until <t:{stamp}:f>"
    assert "Access" not in {
        f["name"] for f in feed_embed(an_entry("completed")).to_dict()["fields"]
    }


def test_a_lapse_is_its_own_grey_entry() -> None:
    until = datetime(2026, 12, 22, tzinfo=UTC)
    embed = feed_embed(an_entry("access_ended", access_until=until, renewal=True)).to_dict()
    assert embed["title"] == "Order SR-ABC123 — Access ended"
    assert embed["color"] == _embeds.REFUNDED.value
    access = {f["name"]: f["value"] for f in embed["fields"]}["Access"]
    assert access == f"ended <t:{int(until.timestamp())}:f>"
    assert len(feed_embed(an_entry("access_ended", access_until=until))) <= FEED_EMBED_MAX


class CountedEmbed(disnake.Embed):
    """An embed of a set length that counts how often its length is asked."""

    def __init__(self, length: int) -> None:
        super().__init__(description="x" * length)
        self.asked = 0

    def __len__(self) -> int:
        self.asked += 1
        return super().__len__()


def test_packing_measures_each_embed_once_and_splits_at_the_character_limit() -> None:
    # Three embeds of 2,500 fit in 6,000 characters; a fourth would not.
    embeds = [CountedEmbed(2500) for _ in range(7)]
    items = [([job(n)], embed) for n, embed in enumerate(embeds, start=1)]
    messages = plan_messages(items)  # type: ignore[arg-type]
    assert [len(m.jobs) for m in messages] == [2, 2, 2, 1]
    assert [m.size for m in messages] == [5000, 5000, 5000, 2500]
    assert all(m.size == sum(len(e) for e in m.embeds) for m in messages)
    assert [e.asked for e in embeds] == [2] * 7  # once in packing, once in the check above


def test_a_message_added_to_by_hand_keeps_its_size() -> None:
    message = FeedMessage("feed-1", marked=False)
    small, large = CountedEmbed(100), CountedEmbed(_embeds.TOTAL_MAX - 100)
    message.add([job(1)], small)
    assert message.fits(large)
    message.add([job(2)], large)
    assert message.size == _embeds.TOTAL_MAX
    assert not message.fits(CountedEmbed(1))
