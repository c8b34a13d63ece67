"""The buyer notice DMs: receipt, queued, back in stock — plain words, inside Discord's limits."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from cogs._embeds import TITLE_MAX, TOTAL_MAX
from cogs.delivery.receipts import queued_embed, receipt_embed
from cogs.delivery.restock_notices import restock_embed
from models.customers.restock_requests import RestockNotice


def order(**extra):
    values = {
        "number": "SR-7K3P9Q",
        "product_name": "VIP access",
        "product": None,
        "quantity": 1,
        "amount": 1000,
        "currency": "USD",
        "paid_at": datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
    }
    return SimpleNamespace(**{**values, **extra})


def test_a_receipt_names_the_order_price_and_role() -> None:
    embed = receipt_embed(order(), "VIP")
    assert embed.title == "Receipt for order SR-7K3P9Q"
    assert "**VIP access**" in embed.description and "**@VIP**" in embed.description
    fields = {f.name: f.value for f in embed.fields}
    assert (fields["Order"], fields["Paid"]) == ("SR-7K3P9Q", "$10.00")
    assert "Date" in fields
    unknown_role = receipt_embed(order(paid_at=None), None)
    assert "your role" in unknown_role.description
    assert "Date" not in {f.name for f in unknown_role.fields}


def test_a_queued_notice_says_the_codes_follow_by_dm() -> None:
    embed = queued_embed(order(product_name="Game key", quantity=3, amount=1500))
    assert embed.title == "Order SR-7K3P9Q is queued"
    assert "3 × Game key" in embed.description and "by DM" in embed.description
    assert {f.name: f.value for f in embed.fields}["Paid"] == "$15.00"


def test_long_product_names_stay_inside_the_limits() -> None:
    name = "N" * 900
    for embed in (
        receipt_embed(order(product_name=name), "R" * 300),
        queued_embed(order(product_name=name)),
        restock_embed(RestockNotice(1, 42, "k", name, True, 3, False)),
    ):
        assert len(embed.title) <= TITLE_MAX and len(embed) <= TOTAL_MAX
    notice = restock_embed(RestockNotice(1, 42, "game-key", "Game key", True, 4, False))
    assert notice.title == "Back in stock: Game key" and "4 available" in notice.description
