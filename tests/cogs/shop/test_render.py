"""The shop's pure rendering and parsing: selects, buttons, amounts, order and wallet views."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from cogs.shop.buying import payment_choices, purchase_quantities
from cogs.shop.ids import PayMethod
from cogs.shop.render import buying as shop
from cogs.shop.render import my_orders as orders
from cogs.shop.render import wallet as wallet
from models.base import OrderStatus, ProductKind
from models.catalog.storefront import Offer, ShopProduct
from models.errors import InvalidInput
from settings import load_settings

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def product(
    key: str = "game-key",
    *,
    name: str = "Game key",
    available: int | None = 10,
    offers: tuple[Offer, ...] = (Offer(1, 500), Offer(5, 2250), Offer(10, 4000)),
    currency: str = "USD",
    description: str = "",
) -> ShopProduct:
    kind = ProductKind.ROLE if available is None else ProductKind.CODE
    return ShopProduct(key, name, description, kind, currency, available, offers)


def test_price_lines_and_savings() -> None:
    item = product()
    assert shop.price_line(item, Offer(1, 500)) == "Game key — $5.00"
    assert shop.price_line(item, Offer(5, 2250)) == "5 × Game key — $22.50"
    assert shop.saving_note(item, Offer(5, 2250)) == "save 10%"
    assert shop.saving_note(item, Offer(10, 4000)) == "save 20%"
    assert shop.saving_note(item, Offer(1, 500)) == ""
    assert shop.saving_note(item, Offer(5, 2600)) == ""  # dearer than singles: no claim
    assert shop.offer_price(item, Offer(5, 2250)) == "$22.50 / 5"


def test_stock_notes() -> None:
    assert shop.stock_note(product(available=3)) == "3 in stock"
    assert shop.stock_note(product(available=0)) == "Sold out"
    assert shop.stock_note(product(available=None)) == "Always available"


def test_product_select_keeps_discords_limits() -> None:
    many = [
        product(f"p{n}", name="N" * 100, description="D" * 500, available=n % 3) for n in range(30)
    ]
    options = shop.product_options(many)
    assert len(options) == 25
    assert all(len(o.label) <= 100 and len(o.description or "") <= 100 for o in options)
    assert [o.value for o in options] == [f"p{n}" for n in range(25)]
    first = shop.shop_page(many)
    (select,), (only_next,) = shop.shop_components(first)
    assert select.custom_id == "shop:product" and len(select.options) == 25
    assert only_next.custom_id == "shop:page:2"
    assert len(shop.shop_embed(first)) <= 6000
    last = shop.shop_page(many, 2)
    (select,), (only_previous,) = shop.shop_components(last)
    assert [o.value for o in select.options] == [f"p{n}" for n in range(25, 30)]
    assert only_previous.custom_id == "shop:page:1"
    assert shop.shop_page(many, 9).page == 2 and shop.shop_page(many, 0).page == 1


def test_a_middle_page_has_both_buttons_and_a_one_page_shop_none() -> None:
    many = [product(f"p{n}", available=1) for n in range(60)]
    (_select,), buttons = shop.shop_components(shop.shop_page(many, 2))
    assert [b.custom_id for b in buttons] == ["shop:page:1", "shop:page:3"]
    (row,) = shop.shop_components(shop.shop_page(many[:25]))
    assert len(row) == 1  # the select alone


def test_an_empty_shop_says_so_and_offers_no_select() -> None:
    assert shop.shop_components(shop.shop_page([])) == []
    assert "Nothing is for sale" in shop.shop_embed(shop.shop_page([])).description


def test_package_select_offers_only_what_stock_covers() -> None:
    (select,) = shop.package_components(product(available=6))
    assert select.custom_id == "shop:pkg:game-key"
    assert [o.value for o in select.options] == ["1", "5"]
    assert select.options[1].description == "save 10%"
    (notify,) = shop.package_components(product(available=0))
    assert (notify.custom_id, notify.label) == ("shop:notify:game-key", "Notify me when restocked")
    assert "DM you once" in shop.package_embed(product(available=0)).description
    # Some left, but fewer than the smallest pack: no select, and not "sold out" either.
    assert shop.package_components(product(available=3, offers=(Offer(5, 2250),))) == []
    assert (
        "Check back soon"
        in shop.package_embed(product(available=3, offers=(Offer(5, 2250),))).description
    )
    (roles,) = shop.package_components(product(available=None, offers=(Offer(1, 1000),)))
    assert [o.value for o in roles.options] == ["1"]


def test_payment_buttons_follow_the_choices() -> None:
    item, offer = product(), Offer(5, 2250)
    everything = shop.PaymentChoices(3000, "USD", stripe=True, qris=True)
    assert [b.custom_id for b in shop.payment_buttons(item, offer, everything)] == [
        "shop:pay:wallet:game-key:5",
        "shop:pay:stripe:game-key:5",
        "shop:pay:qris:game-key:5",
        "shop:coupon:game-key:5",
    ]
    card_only = shop.PaymentChoices(None, "EUR", stripe=True, qris=False)
    assert [b.label for b in shop.payment_buttons(item, offer, card_only)] == [
        "Card (Stripe)",
        "I have a coupon",
    ]
    nothing = shop.PaymentChoices(None, "EUR", stripe=False, qris=False)
    assert shop.payment_buttons(item, offer, nothing) == []
    assert "No way to pay" in str(shop.payment_embed(item, offer, nothing).fields)


@pytest.fixture
def settings():
    return load_settings({"DISCORD_APP_TOKEN": "t"})


def test_disabled_providers_and_other_currencies_are_not_offered(settings) -> None:
    usd, idr = product(), product(currency="IDR", offers=(Offer(1, 5_000_000), Offer(2, 990_050)))
    choices = payment_choices(settings, usd, Offer(1, 500), 700)
    assert (choices.wallet_balance, choices.stripe, choices.qris) == (700, False, False)
    assert payment_choices(settings, idr, Offer(1, 5_000_000), 700).wallet_balance is None


def test_qris_is_offered_for_whole_amounts_in_its_currency(settings) -> None:
    from dataclasses import replace

    enabled = replace(settings, midtrans=replace(settings.midtrans, server_key="SB-key"))
    idr = product(currency="IDR", offers=(Offer(1, 5_000_000), Offer(2, 990_050)))
    assert payment_choices(enabled, idr, Offer(1, 5_000_000), 0).qris
    assert not payment_choices(enabled, idr, Offer(2, 990_050), 0).qris  # Rp 9,900.50
    assert not payment_choices(enabled, product(), Offer(1, 500), 0).qris  # USD


def test_a_subscription_is_sold_by_card_only_and_says_why(settings) -> None:
    from dataclasses import replace

    enabled = replace(
        settings,
        midtrans=replace(settings.midtrans, server_key="SB-key", currency="USD"),
        stripe=replace(settings.stripe, api_key="sk_test_x", webhook_secret="whsec_x"),
    )
    monthly = replace(product(available=None, offers=(Offer(1, 500),)), interval="month")
    choices = payment_choices(enabled, monthly, Offer(1, 500), 5000)
    assert (choices.wallet_balance, choices.stripe, choices.qris) == (None, True, False)
    buttons = shop.payment_buttons(monthly, Offer(1, 500), choices)
    assert [b.label for b in buttons] == ["Subscribe by card (Stripe)"]
    text = str(shop.payment_embed(monthly, Offer(1, 500), choices).fields)
    assert "Renews every month" in text and "wallet and QRIS cannot" in text
    assert shop.price_line(monthly, Offer(1, 500)) == "Game key — $5.00 a month"
    one_off = payment_choices(enabled, product(available=None), Offer(1, 500), 5000)
    assert (one_off.wallet_balance, one_off.qris, one_off.interval) == (5000, True, None)


def test_one_item_or_a_package_goes_to_the_order_core() -> None:
    assert purchase_quantities(1) == {"quantity": 1}
    assert purchase_quantities(5) == {"package_quantity": 5}


@pytest.mark.parametrize(
    ("text", "currency", "amount"),
    [
        ("10", "USD", 1000),
        ("$12.50", "USD", 1250),
        ("1,000", "USD", 100_000),
        ("  25.5 ", "USD", 2550),
        ("75,000", "IDR", 7_500_000),
        ("Rp 50.000", "IDR", 5_000_000),
        ("12,50 €", "EUR", 1250),
        ("500", "JPY", 500),
    ],
)
def test_topup_amounts_are_read_in_the_wallet_currency(text, currency, amount) -> None:
    assert wallet.parse_topup_amount(text, currency) == amount


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter an amount like $10.00"),
        ("ten", "Enter an amount like $10.00"),
        ("1.001", "Enter an amount like $10.00"),
        ("1e3", "Enter an amount like $10.00"),
        ("0", "Top up between $1.00 and $2,000.00."),
        ("-5", "Top up between $1.00 and $2,000.00."),
        ("0.99", "Top up between $1.00 and $2,000.00."),
        ("2000.01", "Top up between $1.00 and $2,000.00."),
    ],
)
def test_bad_topup_amounts_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        wallet.parse_topup_amount(text, "USD")
    assert refused.value.message.startswith(message)


def test_a_topup_amount_read_two_ways_is_refused_saying_how_it_was_read() -> None:
    with pytest.raises(InvalidInput) as refused:
        wallet.parse_topup_amount("1.500", "EUR")
    assert "ambiguous" in refused.value.message and "€1,500.00" in refused.value.message


def test_qris_topups_take_whole_amounts_only() -> None:
    assert wallet.parse_topup_amount("50000", "IDR", whole_units=True) == 5_000_000
    with pytest.raises(InvalidInput, match="whole amounts"):
        wallet.parse_topup_amount("50000.50", "IDR", whole_units=True)


def test_topup_modal_names_the_amount_field_and_limits() -> None:
    modal = wallet.topup_modal(PayMethod.STRIPE, "USD")
    assert modal["custom_id"] == "wallet:topup:stripe"
    (label,) = modal["components"]
    assert label.component.custom_id == "amount"
    assert label.description == "Between $1.00 and $2,000.00"


def test_wallet_view_pages_and_topup_buttons() -> None:
    buttons = wallet.wallet_components(1, 3, [PayMethod.STRIPE, PayMethod.QRIS])
    assert [(b.custom_id, b.disabled) for b in buttons] == [
        ("wallet:history:0", True),
        ("wallet:history:2", False),
        ("wallet:topup:stripe", False),
        ("wallet:topup:qris", False),
    ]
    assert [b.custom_id for b in wallet.wallet_components(1, 1, [])] == []
    line = wallet.ledger_line("purchase", -2250, "USD", 1_700_000_000, "order SR-2")
    assert line == "<t:1700000000:d> Purchase **-$22.50** · order SR-2"
    assert "**+$10.00**" in wallet.ledger_line("topup", 1000, "USD", 1_700_000_000)
    embed = wallet.wallet_embed(750, "USD", [], 1, 1)
    assert embed.fields[0].value == "$7.50" and "No transactions" in embed.fields[1].value


def order(status: OrderStatus, *, kind: str = "code", attention: bool = False, **extra):
    values = {
        "number": "SR-ABC234",
        "product_name": "Game key",
        "product": SimpleNamespace(name="Game key", kind=kind),
        "quantity": 5,
        "amount": 2250,
        "currency": "USD",
        "status": status,
        "needs_attention": attention,
        "created_at": NOW,
        "paid_at": NOW,
        "delivered_at": None,
        "access_until": None,
    }
    return SimpleNamespace(**(values | extra))


def test_a_timed_order_shows_until_when_its_access_runs() -> None:
    from datetime import timedelta

    from models import clock

    later = clock.now() + timedelta(days=3)
    earlier = clock.now() - timedelta(days=1)
    running = order(OrderStatus.DELIVERED, kind="role", access_until=later)
    assert orders.access_text(running) == f"Active until <t:{int(later.timestamp())}:f>"
    ended = order(OrderStatus.DELIVERED, kind="role", access_until=earlier)
    assert orders.access_text(ended) == f"Ended <t:{int(earlier.timestamp())}:R>"
    fields = {f.name: f.value for f in orders.order_embed(running).fields}
    assert fields["Access"] == orders.access_text(running)
    assert orders.access_text(order(OrderStatus.DELIVERED, kind="role")) is None
    assert orders.access_text(order(OrderStatus.REFUNDED, kind="role", access_until=later)) is None


def test_resend_is_offered_only_for_codes_the_buyer_holds() -> None:
    assert orders.can_resend(order(OrderStatus.DELIVERED))
    assert orders.can_resend(order(OrderStatus.PARTIALLY_REFUNDED))
    assert orders.can_resend(order(OrderStatus.PAID, attention=True))
    assert not orders.can_resend(order(OrderStatus.PAID))
    for gone in (OrderStatus.REFUNDED, OrderStatus.PENDING, OrderStatus.DISPUTED):
        assert not orders.can_resend(order(gone, attention=True))
    assert not orders.can_resend(order(OrderStatus.DELIVERED, kind="role"))
    ids = [b.custom_id for b in orders.order_components(order(OrderStatus.DELIVERED))]
    assert ids == ["orders:resend:SR-ABC234", "orders:page:1"]
    assert [b.custom_id for b in orders.order_components(order(OrderStatus.REFUNDED))] == [
        "orders:page:1"
    ]


def test_order_views_in_the_buyers_words() -> None:
    flagged = order(OrderStatus.DELIVERED, attention=True)
    assert orders.status_label(flagged) == "Delivered — we could not DM you"
    assert orders.status_label(order(OrderStatus.AWAITING_STOCK)) == "Paid — waiting for stock"
    assert orders.order_line(order(OrderStatus.PAID)) == "5 × Game key · $22.50"
    nameless = order(OrderStatus.PAID, product_name="", quantity=1)
    assert orders.order_line(nameless) == "Game key · $22.50"
    page = SimpleNamespace(orders=[order(OrderStatus.PENDING)] * 5, page=2, pages=3, total=12)
    embed = orders.orders_embed(page)
    assert len(embed.fields) == 5 and "Page 2 of 3" in embed.footer.text
    select, buttons = orders.orders_components(page)
    assert select[0].custom_id == "orders:view"
    assert [b.custom_id for b in buttons] == ["orders:page:1", "orders:page:3"]
    empty = SimpleNamespace(orders=[], page=1, pages=1, total=0)
    assert orders.orders_components(empty) == []
    assert "no orders yet" in orders.orders_embed(empty).description
