"""An order's usual way (new, paid, delivered) is logged at DEBUG, not a line per order at
INFO on a launch day; what an operator may act on stays at INFO (both engines)."""

from __future__ import annotations

import logging

import pytest

from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.stock.restock import add_stock
from tests.models.conftest import external

_LOGGER = "models.orders.lifecycle"


def _transitions(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [
        (r.levelno, r.getMessage().split(": ", 1)[1]) for r in caplog.records if r.name == _LOGGER
    ]


async def test_the_usual_way_of_an_order_is_logged_at_debug(catalog, cipher, caplog) -> None:
    await add_stock("game-key", ["CODE-1-ABCD"], cipher)
    caplog.set_level(logging.DEBUG, logger=_LOGGER)
    await apply_payment_event(external("a", PaymentStatus.PENDING, "pending-a"))
    await apply_payment_event(external("a", PaymentStatus.PAID, "paid-a"))
    await apply_payment_event(external("b", PaymentStatus.PAID, "paid-b", product_key="vip"))
    await apply_payment_event(external("b", PaymentStatus.DELIVERED, "delivered-b"))
    assert _transitions(caplog) == [
        (logging.DEBUG, "None -> pending (generic:pending)"),
        (logging.DEBUG, "pending -> paid (generic:paid)"),
        (logging.DEBUG, "None -> paid (generic:paid)"),
        (logging.DEBUG, "paid -> delivered (generic:delivered)"),
    ]


async def test_what_an_operator_may_act_on_is_logged_at_info(catalog, caplog) -> None:
    caplog.set_level(logging.INFO, logger=_LOGGER)
    await apply_payment_event(external("c", PaymentStatus.PAID, "paid-c"))  # no codes held
    await apply_payment_event(external("c", PaymentStatus.REFUNDED, "refund-c"))
    await apply_payment_event(external("d", PaymentStatus.PAID, "paid-d", product_key="vip"))
    await apply_payment_event(external("d", PaymentStatus.DISPUTED, "dispute-d"))
    await apply_payment_event(external("e", PaymentStatus.CANCELLED, "cancel-e"))
    assert _transitions(caplog) == [
        (logging.INFO, "None -> awaiting_stock (generic:paid)"),
        (logging.INFO, "awaiting_stock -> refunded (generic:refunded)"),
        (logging.INFO, "paid -> disputed (generic:disputed)"),
        (logging.INFO, "None -> cancelled (generic:cancelled)"),
    ]
