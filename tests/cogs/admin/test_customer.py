"""/admin customer's reply: button ids that parse and never repeat, an embed inside the limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cogs import _embeds
from cogs.admin.customer import (
    BUTTONS,
    customer_components,
    customer_embed,
    page_id,
    parse_page_id,
)
from models.base import OrderSource, OrderStatus, PaymentMethod, WalletKind
from models.customers.tables import WalletTransaction
from models.customers.wallet import WalletPage
from models.errors import InvalidInput
from models.orders.queries import OrderPage
from models.orders.tables import Order
from models.reports.customer_view import CustomerView, Flags, RoleGrant

NOW = datetime(2026, 12, 2, tzinfo=UTC)


def order(n: int) -> Order:
    return Order(
        id=n,
        number=f"SR-{n:06d}",
        source=OrderSource.DISCORD,
        product_name="P" * 255,
        quantity=1,
        amount=500,
        currency="USD",
        status=OrderStatus.DELIVERED,
        payment_method=PaymentMethod.WALLET,
        needs_attention=True,
        created_at=NOW,
    )


def entry(n: int) -> WalletTransaction:
    return WalletTransaction(
        id=n,
        kind=WalletKind.ADJUSTMENT,
        amount=-n,
        currency="USD",
        balance_after=n,
        reference=f"interaction:{n}",
        note="N" * 255,
        actor_id=99,
        created_at=NOW,
    )


def view(orders_page: int, orders_pages: int, ledger_page: int, ledger_pages: int) -> CustomerView:
    numbers = tuple(f"SR-{n:06d}" for n in range(300))
    return CustomerView(
        discord_id=123456789012345678,
        known=True,
        currency="USD",
        dms_closed=True,
        total_spent=10**12,
        total_topped_up=10**12,
        orders=OrderPage([order(n) for n in range(5)], orders_page, orders_pages, 5000),
        ledger=WalletPage(-5, "USD", [entry(n) for n in range(5)], ledger_page, ledger_pages),
        roles=tuple(RoleGrant(1000 + r, numbers) for r in range(30)),
        managed_roles=frozenset(range(1000, 1040)),
        flags=Flags(5, numbers, 3, tuple((n, "R" * 255) for n in numbers)),
    )


def test_a_huge_profile_stays_inside_discords_embed_limits() -> None:
    embed = customer_embed(view(1, 1, 1, 1), None)
    assert len(embed) <= _embeds.TOTAL_MAX
    assert all(len(f.value) <= _embeds.FIELD_VALUE_MAX for f in embed.fields)
    assert [f.name.split(" ·")[0] for f in embed.fields][:3] == [
        "Wallet",
        "Flags",
        "Roles Stockroom manages",
    ]


@pytest.mark.parametrize("pages", [(1, 1, 1, 1), (2, 3, 1, 2), (9999, 9999, 9999, 9999)])
def test_button_ids_never_repeat_and_parse_back(pages) -> None:
    rows = customer_components(view(*pages))
    ids = [c.custom_id for row in rows for c in row.children]
    assert len(ids) == len(set(ids)) == 5
    assert all(len(i) <= 100 for i in ids)
    for custom_id in ids[:4]:
        discord_id, orders_page, ledger_page = parse_page_id(custom_id)
        assert discord_id == 123456789012345678
        assert 1 <= orders_page <= pages[1] and 1 <= ledger_page <= pages[3]


def test_the_next_buttons_lead_to_the_next_pages() -> None:
    rows = customer_components(view(2, 3, 1, 2))
    by_name = {c.custom_id.rsplit(":", 1)[1]: c for c in rows[0].children}
    assert list(by_name) == list(BUTTONS)
    assert parse_page_id(by_name["orders-next"].custom_id)[1:] == (3, 1)
    assert parse_page_id(by_name["orders-prev"].custom_id)[1:] == (1, 1)
    assert parse_page_id(by_name["ledger-next"].custom_id)[1:] == (2, 2)
    assert by_name["ledger-prev"].disabled and not by_name["ledger-next"].disabled


@pytest.mark.parametrize(
    "custom_id",
    [
        "admin:customer:1:0:1:orders-next",
        "admin:customer:0:1:1:orders-next",
        "admin:customer:1:1:1:sideways",
        "admin:customer:1:1:orders-next",
        "admin:customer:x:1:1:orders-next",
        "admin:customer:1:10000:1:orders-next",
        page_id(1, 1, 1, "ledger-next") + ":extra",
    ],
)
def test_forged_ids_are_refused(custom_id: str) -> None:
    with pytest.raises(InvalidInput, match="run /admin customer again"):
        parse_page_id(custom_id)
