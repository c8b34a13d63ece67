"""What a coupon takes off one price, and why a coupon cannot be used: pure, no database.

Every refusal names its reason (unknown, not yet valid, expired, used up, not for this product,
already used by this customer), so the buyer is told which and nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from models.coupons.tables import Coupon, CouponKind
from models.errors import InvalidInput
from models.money import exponent, format_money, whole_in_practice

# 14 characters: the code rides in the pay buttons' custom ids (Discord: 100 characters).
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,13}$")
CODE_RULE = "A coupon code is 3 to 14 letters, digits or dashes, e.g. SAVE10."
PERCENT_MIN, PERCENT_MAX = 1, 99


class CouponRefused(InvalidInput):
    """A coupon that cannot be used on this purchase; the message says why."""


@dataclass(frozen=True)
class Discount:
    """A coupon applied to one price: what the buyer pays instead, and what it saves."""

    coupon_id: int
    code: str
    list_price: int
    discount: int
    currency: str

    @property
    def price(self) -> int:
        return self.list_price - self.discount

    def order_details(self) -> dict[str, Any]:
        """What the order keeps in details["coupon"]: the feed, stats and exports read it."""
        return {"code": self.code, "discount": self.discount, "list_price": self.list_price}

    def describe(self) -> str:
        """ "SAVE10: -$1.00" """
        return f"{self.code}: {format_money(-self.discount, self.currency)}"


@dataclass(frozen=True)
class AppliedCoupon:
    """The coupon an order was sold under, as its details["coupon"] records it."""

    code: str
    discount: int
    list_price: int


def applied_coupon(details: Any) -> AppliedCoupon | None:
    """details["coupon"] read back (feed, stats, exports, receipts); None without a coupon
    or when the entry is not one this module wrote."""
    entry = details.get("coupon") if isinstance(details, dict) else None
    if not isinstance(entry, dict):
        return None
    code, discount, listed = entry.get("code"), entry.get("discount"), entry.get("list_price")
    if not isinstance(code, str) or not isinstance(discount, int) or not isinstance(listed, int):
        return None
    return AppliedCoupon(code, discount, listed)


def normalise_code(text: str) -> str:
    """The code as stored (upper case, no spaces around), or a refusal saying what a code is."""
    code = (text or "").strip().upper()
    if not CODE.match(code):
        raise CouponRefused(CODE_RULE)
    return code


def check_usable(
    coupon: Coupon | None,
    code: str,
    *,
    product_key: str,
    product_name: str,
    currency: str,
    list_price: int,
    now: datetime,
) -> Discount:
    """The discount `coupon` gives on this price now, or CouponRefused naming the reason.

    Uses and once-per-customer are checked here for a clear early answer; the redemption in
    the order's transaction (models.coupons.actions.redeem) is what really decides them.
    """
    if coupon is None:
        raise CouponRefused(f"There is no coupon {code}.")
    if not coupon.active:
        raise CouponRefused(f"The coupon {code} has been withdrawn.")
    if coupon.valid_from is not None and now < coupon.valid_from:
        raise CouponRefused(
            f"The coupon {code} is not valid yet: it starts {_when(coupon.valid_from)}."
        )
    if coupon.valid_until is not None and now >= coupon.valid_until:
        raise CouponRefused(f"The coupon {code} has expired ({_when(coupon.valid_until)}).")
    if coupon.max_uses is not None and coupon.uses >= coupon.max_uses:
        raise CouponRefused(f"The coupon {code} has been used up.")
    if coupon.product_keys and product_key not in coupon.product_keys:
        raise CouponRefused(f"The coupon {code} is not for {product_name}.")
    discount = discount_on(coupon, code, product_name, currency, list_price)
    if discount <= 0:
        raise CouponRefused(f"The coupon {code} takes nothing off {product_name}'s price.")
    return Discount(coupon.id, code, list_price, discount, currency)


def discount_on(
    coupon: Coupon, code: str, product_name: str, currency: str, list_price: int
) -> int:
    """Minor units off `list_price`: a percent rounds down (to whole units where prices are
    whole in practice); a fixed amount must be in the product's currency and
    leave something to pay (a zero order has no payment to count)."""
    if CouponKind(coupon.kind) is CouponKind.PERCENT:
        off = list_price * coupon.value // 100
        unit = 10 ** exponent(currency)
        if whole_in_practice(currency) and list_price % unit == 0:
            off -= off % unit  # a whole rupiah price stays whole (QRIS charges whole units)
        return off
    if (coupon.currency or "").upper() != currency.upper():
        raise CouponRefused(
            f"The coupon {code} takes {coupon.currency} off; {product_name} is sold in {currency}."
        )
    if coupon.value >= list_price:
        raise CouponRefused(
            f"The coupon {code} is worth {format_money(coupon.value, currency)}, as much as "
            f"{product_name} costs: it is not for {product_name}."
        )
    return coupon.value


def parse_moment(text: str, name: str) -> datetime:
    """ "2026-12-31" or "2026-12-31 18:00" (UTC) -> an aware datetime; a refusal naming `name`."""
    shown = (text or "").strip()
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(shown, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise InvalidInput(
        f"{name}: write a UTC date as 2026-12-31 or 2026-12-31 18:00, not {shown!r}."
    )


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
