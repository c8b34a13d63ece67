"""ProductKind is the one answer to "does this product deliver codes / grant a role?"."""

from __future__ import annotations

import pytest

from models.base import ProductKind
from settings import ProductConfig


@pytest.mark.parametrize(
    ("kind", "codes", "role", "role_only"),
    [
        (ProductKind.CODE, True, False, False),
        (ProductKind.ROLE, False, True, True),
        (ProductKind.CODE_AND_ROLE, True, True, False),
    ],
)
def test_each_kind_says_what_it_hands_over(
    kind: ProductKind, codes: bool, role: bool, role_only: bool
) -> None:
    assert (kind.delivers_codes, kind.grants_role, kind.role_only) == (codes, role, role_only)
    # The stored value (a plain string, as a query returns it) answers the same.
    assert ProductKind(kind.value).delivers_codes is codes
    config = ProductConfig(key="k", name="K", kind=kind.value, price=1, currency="USD")
    assert (config.delivers_codes, config.grants_role) == (codes, role)


def test_filters_name_exactly_the_kinds_that_answer_yes() -> None:
    assert set(ProductKind.delivering_codes()) == {ProductKind.CODE, ProductKind.CODE_AND_ROLE}
    assert set(ProductKind.granting_roles()) == {ProductKind.ROLE, ProductKind.CODE_AND_ROLE}


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        ProductKind("coupon")
