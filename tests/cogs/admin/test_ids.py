"""/admin custom ids and option choices: round trips, and forged ids refused."""

from __future__ import annotations

from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cogs.admin.ids import OrdersFilter, orders_page_id, parse_orders_page_id
from cogs.admin.options import ActionChoice, StatusChoice
from models.base import OrderStatus
from models.errors import InvalidInput
from models.orders.actions import _ADMIN


@given(
    st.integers(min_value=1, max_value=9999),
    st.sampled_from([None, *OrderStatus]),
    st.one_of(st.none(), st.integers(min_value=1 << 22, max_value=2**63 - 1)),
    st.sampled_from(["prev", "next"]),
)
def test_orders_page_ids_round_trip_and_fit_discord(page, status, customer, button) -> None:
    where = OrdersFilter(status=status, customer_id=customer)
    custom_id = orders_page_id(page, where, button)
    assert len(custom_id) <= 100
    assert parse_orders_page_id(custom_id) == (page, where)


def test_the_two_buttons_to_one_page_have_different_ids() -> None:
    where = OrdersFilter()
    assert orders_page_id(1, where, "prev") != orders_page_id(1, where, "next")


def test_ids_from_before_the_button_part_still_parse() -> None:
    assert parse_orders_page_id("admin:orders:2:paid:0") == (2, OrdersFilter(OrderStatus.PAID))


@pytest.mark.parametrize(
    "custom_id",
    [
        "admin:orders:0:all:0",
        "admin:orders:1:bogus:0",
        "admin:orders:1:all:-5",
        "admin:orders:1:all",
        "admin:orders:12345:all:0",
        "admin:orders:1:paid:0:extra",
        "admin:orders:1:paid:0:next:next",
        "panel:shop",
    ],
)
def test_forged_or_stale_ids_are_refused(custom_id: str) -> None:
    with pytest.raises(InvalidInput, match="not valid any more"):
        parse_orders_page_id(custom_id)


def test_status_choices_are_exactly_the_order_statuses() -> None:
    assert set(get_args(StatusChoice)) == {status.value for status in OrderStatus}


def test_action_choices_are_the_order_cores_admin_actions() -> None:
    assert set(get_args(ActionChoice)) == set(_ADMIN)
