"""The shop's custom ids: what it builds parses back; anything else is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cogs.shop import ids
from models.errors import InvalidInput

LONGEST_KEY = "k" * 64


def test_built_ids_parse_back_to_their_action() -> None:
    assert ids.parse(ids.PRODUCT_SELECT) == ids.ChooseProduct()
    assert ids.parse(ids.package_select_id("game-key")) == ids.ChoosePackage("game-key")
    assert ids.parse(ids.pay_id(ids.PayMethod.STRIPE, "game-key", 5)) == ids.Pay(
        ids.PayMethod.STRIPE, "game-key", 5
    )
    assert ids.parse(ids.wallet_history_id(3)) == ids.WalletHistory(3)
    assert ids.parse(ids.topup_id(ids.PayMethod.QRIS)) == ids.TopUp(ids.PayMethod.QRIS)
    assert ids.parse(ids.orders_page_id(2)) == ids.OrdersPage(2)
    assert ids.parse(ids.ORDER_SELECT) == ids.ViewOrder()
    assert ids.parse(ids.resend_id("SR-7K3P9Q")) == ids.Resend("SR-7K3P9Q")
    assert ids.parse(ids.notify_restock_id("game-key")) == ids.NotifyRestock("game-key")
    assert ids.parse(ids.renew_id("vip-pass", 3)) == ids.Renew("vip-pass", 3)


def test_ids_stay_within_discords_100_characters() -> None:
    longest = [
        ids.pay_id(ids.PayMethod.WALLET, LONGEST_KEY, ids.MAX_QUANTITY),
        ids.package_select_id(LONGEST_KEY),
        ids.notify_restock_id(LONGEST_KEY),
        ids.renew_id(LONGEST_KEY, ids.MAX_QUANTITY),
        ids.resend_id("S" * 32),
        ids.wallet_history_id(ids.MAX_PAGE),
    ]
    assert max(len(i) for i in longest) <= 100


@pytest.mark.parametrize(
    "custom_id",
    [
        "",
        "shop",
        "shop:",
        "shop:product:extra",
        "shop:pkg:",
        "shop:pkg:Game-Key",
        "shop:pkg:game key",
        "shop:pkg:-leading-dash",
        "shop:pay:wallet:game-key",
        "shop:pay:wallet:game-key:0",
        "shop:pay:wallet:game-key:1001",
        "shop:pay:wallet:game-key:-1",
        "shop:pay:wallet:game-key:1.5",
        "shop:pay:wallet:game-key:١",  # a non-ASCII digit
        "shop:pay:paypal:game-key:1",
        "shop:pay:WALLET:game-key:1",
        "shop:pay:wallet:game-key:1:extra",
        "shop:notify:",
        "shop:notify:Game Key",
        "shop:notify:game-key:extra",
        "shop:renew:vip-pass",
        "shop:renew:vip-pass:0",
        "shop:renew:Vip:1",
        "shop:renew:vip-pass:1:extra",
        "wallet:history:",
        "wallet:history:x",
        "wallet:history:10000",
        "wallet:topup:wallet",
        "wallet:topup:",
        "orders:page:-1",
        "orders:resend:",
        "orders:resend:SR 1",
        "orders:resend:" + "S" * 33,
        "orders:resend:../x",
        "panel:shop",
        "admin:anything",
    ],
)
def test_anything_the_shop_never_sent_is_refused(custom_id: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ids.parse(custom_id)
    assert refused.value.message == ids.STALE


@given(st.text(max_size=120))
def test_parse_never_fails_other_than_with_a_refusal(custom_id: str) -> None:
    try:
        action = ids.parse(custom_id)
    except InvalidInput:
        return
    assert isinstance(action, ids.ShopAction)


def test_select_values_are_checked_like_id_parts() -> None:
    assert ids.single_value(["game-key"]) == "game-key"
    for values in (None, [], ["a", "b"]):
        with pytest.raises(InvalidInput):
            ids.single_value(values)
    assert ids.quantity_part("5") == 5
    for bad in ("0", "1e3", " 5", "five", True):
        with pytest.raises(InvalidInput):
            ids.quantity_part(bad)


def test_only_the_shops_prefixes_are_claimed() -> None:
    assert ids.is_shop_id("shop:pay:wallet:game-key:1")
    assert ids.is_shop_id("orders:view") and ids.is_shop_id("wallet:history:1")
    assert not ids.is_shop_id("panel:shop")  # the persistent view answers those
    assert not ids.is_shop_id("admin:orders:2")


def test_coupon_ids_round_trip_and_forged_codes_are_refused() -> None:
    longest_key = "k" * 64
    pay = ids.pay_id(ids.PayMethod.STRIPE, longest_key, 1000, "ABCDEFGHIJKLMN")
    assert len(pay) <= 100  # Discord's custom id limit, with the longest key and code
    assert ids.parse(pay) == ids.Pay(ids.PayMethod.STRIPE, longest_key, 1000, "ABCDEFGHIJKLMN")
    assert ids.parse("shop:pay:wallet:vip:1") == ids.Pay(ids.PayMethod.WALLET, "vip", 1, None)
    assert ids.parse("shop:coupon:vip:2") == ids.AskCoupon("vip", 2)
    for forged in (
        "shop:pay:wallet:vip:1:save10",  # codes are sent upper case only
        "shop:pay:wallet:vip:1:AB",
        "shop:pay:wallet:vip:1:SAVE10:X",
        "shop:coupon:vip",
        "shop:coupon:vip:1:SAVE10",
    ):
        with pytest.raises(InvalidInput):
            ids.parse(forged)
