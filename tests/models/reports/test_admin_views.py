"""What /admin shows, against a real database: stock report, order list, trends, code reveal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.base import OrderStatus, PaymentMethod
from models.errors import InvalidInput, NotFound
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentStatus
from models.orders.purchases import start_checkout
from models.orders.tables import Order, OrderEvent
from models.orders.trends import orders_per_day
from models.reports.admin_views import code_products, order_list, stock_report
from models.stock.restock import add_stock
from models.stock.reveal import reveal_order_codes
from tests.models.conftest import external


async def test_code_products_lists_only_products_with_codes(catalog) -> None:
    assert [key for key, _ in await code_products()] == ["bundle", "game-key"]
    assert await code_products("GAME") == [("game-key", "Game key")]


async def test_stock_report_counts_each_status_and_marks_low_stock(catalog, cipher) -> None:
    await add_stock("game-key", ["A1", "A2", "A3", "A4"], cipher)
    await apply_payment_event(external("o1", PaymentStatus.PAID, "e1", quantity=1))
    (game,) = await stock_report("game-key")
    assert (game.available, game.reserved, game.delivered, game.revoked) == (3, 1, 0, 0)
    assert not game.is_low
    await apply_payment_event(external("o2", PaymentStatus.PAID, "e2", quantity=1))
    (game,) = await stock_report("game-key")
    assert game.available == 2 and game.is_low
    with pytest.raises(NotFound):
        await stock_report("vip")


async def test_stock_report_tells_codes_held_by_open_checkouts_apart(catalog, cipher) -> None:
    await add_stock("game-key", ["H1", "H2", "H3"], cipher)
    await start_checkout(
        2002,
        "game-key",
        payment_method=PaymentMethod.STRIPE,
        reference="held",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
        quantity=1,
    )
    await apply_payment_event(external("paid", PaymentStatus.PAID, "e-paid", quantity=1))
    (game,) = await stock_report("game-key")
    assert (game.available, game.reserved, game.held) == (1, 2, 1)


async def test_order_list_filters_pages_and_names_customers(catalog) -> None:
    for n in range(12):
        await apply_payment_event(
            external(
                f"b{n}",
                PaymentStatus.PAID,
                f"eb{n}",
                product_key="vip",
                amount=1000,
                discord_user_id=2002,
            )
        )
    await apply_payment_event(external("a1", PaymentStatus.PENDING, "ea1", product_key="vip"))
    page = await order_list(discord_id=2002, page=2, per_page=10)
    assert (page.page, page.pages, page.total, len(page.rows)) == (2, 2, 12, 2)
    assert {row.customer_discord_id for row in page.rows} == {2002}
    pending = await order_list(status=OrderStatus.PENDING)
    assert [row.status for row in pending.rows] == [OrderStatus.PENDING]
    with pytest.raises(NotFound, match="only 2 page"):
        await order_list(discord_id=2002, page=3)


async def test_orders_per_day_has_every_day_and_splits_paid(catalog) -> None:
    await apply_payment_event(external("p1", PaymentStatus.PAID, "e1", product_key="vip"))
    await apply_payment_event(external("p2", PaymentStatus.PENDING, "e2", product_key="vip"))
    old = await apply_payment_event(external("p3", PaymentStatus.PAID, "e3", product_key="vip"))
    now = datetime.now(UTC)
    await Order.filter(id=old.order_id).update(created_at=now - timedelta(days=2))
    days = await orders_per_day(now, 30)
    assert len(days) == 30 and days[-1][0] == now.date()
    assert days[-1][1:] == (1, 1)
    assert days[-3][1:] == (1, 0)
    assert sum(p + o for _, p, o in days) == 3


async def test_reveal_returns_codes_and_audits_without_them(catalog, cipher) -> None:
    await add_stock("game-key", ["SECRET-1", "SECRET-2"], cipher)
    result = await apply_payment_event(
        external("r1", PaymentStatus.PAID, "e1", quantity=2, amount=1000)
    )
    revealed = await reveal_order_codes(
        result.order_number.lower(), cipher, actor_id=42, reference="interaction:1"
    )
    assert sorted(revealed.codes) == ["SECRET-1", "SECRET-2"]
    event = await OrderEvent.get(order_id=result.order_id, cause="admin:reveal_codes")
    assert event.actor_id == 42 and "SECRET" not in str(event.detail)
    assert event.from_status == event.to_status
    order = await Order.get(id=result.order_id)
    assert order.status == result.status
    role_only = await apply_payment_event(
        external("r2", PaymentStatus.PAID, "e2", product_key="vip")
    )
    with pytest.raises(InvalidInput, match="no codes"):
        await reveal_order_codes(role_only.order_number, cipher, actor_id=42, reference="i:2")
