"""Custom ids of the shop's buttons, selects and modals: built here, parsed and checked here.

Every id the shop sends is one of the shapes below; anything else coming back (a forged or
stale id, a value that is not ours) is refused by ``parse`` with ``InvalidInput`` before any
domain function runs. Ids carry everything a click needs, so they keep working after a
restart without any state held in the process.

    panel:shop | panel:wallet | panel:orders          the persistent panel's buttons
    shop:product                                      product select (value: product key)
    shop:page:<n>                                     product pages, 25 products a page
    shop:pkg:<key>                                    package select (value: quantity)
    shop:pay:<method>:<key>:<qty>[:<coupon>]          payment choice buttons (coupon applied)
    shop:coupon:<key>:<qty>                           "I have a coupon", and its modal
    shop:notify:<key>                                 "notify me when restocked" (sold out)
    shop:renew:<key>:<qty>                            Renew in a timed access's reminder DM
    wallet:open                                       back to the wallet summary
    wallet:history:<page>                             wallet ledger pages
    wallet:topup:<method>                             top-up button, and its modal
    orders:page:<page>                                My orders pages
    orders:view                                       order select (value: order number)
    orders:resend:<number>                            re-send the codes of one order
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from models.errors import InvalidInput
from settings_catalog import PRODUCT_KEY as _PRODUCT_KEY

PANEL_SHOP = "panel:shop"
PANEL_WALLET = "panel:wallet"
PANEL_ORDERS = "panel:orders"
PRODUCT_SELECT = "shop:product"
WALLET_OPEN = "wallet:open"
ORDER_SELECT = "orders:view"
TOPUP_AMOUNT_FIELD = "amount"
COUPON_CODE_FIELD = "code"
MAX_QUANTITY = 1000
MAX_PAGE = 999
# Whatever comes back in a select value is checked with the same rules as an id part.
_ORDER_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
_NUMBER = re.compile(r"^[0-9]{1,4}$")
# As models.coupons.rules.CODE: 14 characters keep the longest pay id under Discord's 100.
_COUPON = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,13}$")
STALE = "That button is not valid any more. Open the shop panel again."


class PayMethod(StrEnum):
    """How a customer pays for an order or a top-up."""

    WALLET = "wallet"
    STRIPE = "stripe"
    QRIS = "qris"


TOPUP_METHODS = (PayMethod.STRIPE, PayMethod.QRIS)
_PAY_METHODS = frozenset(m.value for m in PayMethod)


@dataclass(frozen=True)
class ChooseProduct:
    """The product select: the chosen key is in the interaction's values."""


@dataclass(frozen=True)
class ShopPage:
    page: int


@dataclass(frozen=True)
class ChoosePackage:
    product_key: str


@dataclass(frozen=True)
class Pay:
    method: PayMethod
    product_key: str
    quantity: int
    coupon: str | None = None


@dataclass(frozen=True)
class AskCoupon:
    """The "I have a coupon" button (opens the modal), and the modal's submit."""

    product_key: str
    quantity: int


@dataclass(frozen=True)
class NotifyRestock:
    product_key: str


@dataclass(frozen=True)
class Renew:
    """The Renew button of a reminder DM: the payment step of the same product and pack."""

    product_key: str
    quantity: int


@dataclass(frozen=True)
class OpenWallet:
    pass


@dataclass(frozen=True)
class WalletHistory:
    page: int


@dataclass(frozen=True)
class TopUp:
    method: PayMethod


@dataclass(frozen=True)
class OrdersPage:
    page: int


@dataclass(frozen=True)
class ViewOrder:
    """The order select: the chosen order number is in the interaction's values."""


@dataclass(frozen=True)
class Resend:
    order_number: str


ShopAction = (
    ChooseProduct
    | ShopPage
    | ChoosePackage
    | Pay
    | AskCoupon
    | NotifyRestock
    | Renew
    | OpenWallet
    | WalletHistory
    | TopUp
    | OrdersPage
    | ViewOrder
    | Resend
)
PREFIXES = ("shop:", "wallet:", "orders:")


def shop_page_id(page: int) -> str:
    return f"shop:page:{page_part(page)}"


def package_select_id(product_key: str) -> str:
    return f"shop:pkg:{product_key_part(product_key)}"


def pay_id(method: PayMethod, product_key: str, quantity: int, coupon: str | None = None) -> str:
    base = f"shop:pay:{PayMethod(method)}:{product_key_part(product_key)}:{quantity_part(quantity)}"
    return base if coupon is None else f"{base}:{coupon_part(coupon)}"


def coupon_id(product_key: str, quantity: int) -> str:
    return f"shop:coupon:{product_key_part(product_key)}:{quantity_part(quantity)}"


def notify_restock_id(product_key: str) -> str:
    return f"shop:notify:{product_key_part(product_key)}"


def renew_id(product_key: str, quantity: int) -> str:
    return f"shop:renew:{product_key_part(product_key)}:{quantity_part(quantity)}"


def wallet_history_id(page: int) -> str:
    return f"wallet:history:{page_part(page)}"


def topup_id(method: PayMethod) -> str:
    if method not in TOPUP_METHODS:
        raise ValueError(f"no top-up by {method}")
    return f"wallet:topup:{method}"


def orders_page_id(page: int) -> str:
    return f"orders:page:{page_part(page)}"


def resend_id(order_number: str) -> str:
    return f"orders:resend:{order_number_part(order_number)}"


def is_shop_id(custom_id: str) -> bool:
    """True for ids this module owns (the panel's own buttons are handled by its view)."""
    return custom_id.startswith(PREFIXES)


def parse(custom_id: str) -> ShopAction:
    """The action an id stands for; InvalidInput for anything the shop never sent."""
    parts = custom_id.split(":")
    match parts:
        case ["shop", "product"]:
            return ChooseProduct()
        case ["shop", "page", page]:
            return ShopPage(page_part(page))
        case ["shop", "pkg", key]:
            return ChoosePackage(product_key_part(key))
        case ["shop", "pay" | "coupon", *_]:
            return _parse_payment(parts[1:])
        case ["shop", "notify", key]:
            return NotifyRestock(product_key_part(key))
        case ["wallet", "open"]:
            return OpenWallet()
        case ["wallet", "history", page]:
            return WalletHistory(page_part(page))
        case ["wallet", "topup", method] if method in TOPUP_METHODS:
            return TopUp(PayMethod(method))
        case ["orders", "page", page]:
            return OrdersPage(page_part(page))
        case ["orders", "view"]:
            return ViewOrder()
        case ["orders", "resend", number]:
            return Resend(order_number_part(number))
    return _parse_reminder(parts)


def _parse_reminder(parts: list[str]) -> ShopAction:
    """The ids sent in DMs rather than the shop's own messages (the Renew button)."""
    match parts:
        case ["shop", "renew", key, quantity]:
            return Renew(product_key_part(key), quantity_part(quantity))
    raise InvalidInput(STALE)


def _parse_payment(parts: list[str]) -> Pay | AskCoupon:
    """pay:<method>:<key>:<qty>[:<coupon>] and coupon:<key>:<qty>, after "shop:"."""
    match parts:
        case ["pay", method, key, quantity, *coupon] if method in _PAY_METHODS and len(coupon) < 2:
            code = coupon_part(coupon[0]) if coupon else None
            return Pay(PayMethod(method), product_key_part(key), quantity_part(quantity), code)
        case ["coupon", key, quantity]:
            return AskCoupon(product_key_part(key), quantity_part(quantity))
    raise InvalidInput(STALE)


def product_key_part(text: str) -> str:
    if not isinstance(text, str) or not _PRODUCT_KEY.match(text):
        raise InvalidInput(STALE)
    return text


def coupon_part(text: str) -> str:
    if not isinstance(text, str) or not _COUPON.match(text):
        raise InvalidInput(STALE)
    return text


def order_number_part(text: str) -> str:
    if not isinstance(text, str) or not _ORDER_NUMBER.match(text):
        raise InvalidInput(STALE)
    return text


def quantity_part(value: str | int) -> int:
    number = _whole(value)
    if not 1 <= number <= MAX_QUANTITY:
        raise InvalidInput(STALE)
    return number


def page_part(value: str | int) -> int:
    number = _whole(value)
    if not 0 <= number <= MAX_PAGE:
        raise InvalidInput(STALE)
    return number


def single_value(values: list[str] | None) -> str:
    """The one option a select sent; a select the shop built allows exactly one."""
    if not values or len(values) != 1:
        raise InvalidInput(STALE)
    return values[0]


def _whole(value: str | int) -> int:
    if isinstance(value, bool):
        raise InvalidInput(STALE)
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or not _NUMBER.match(value):
        raise InvalidInput(STALE)
    return int(value)
