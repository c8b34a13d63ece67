"""Ecwid carts: every line its own order (product, quantity, price), unmapped lines flagged."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from cryptography.fernet import Fernet

from cogs.shop.render.my_orders import status_label
from models.base import JobKind, OrderSource, OrderStatus, StockStatus
from models.catalog.tables import Product
from models.customers.tables import Customer
from models.orders.actions import mark_delivered
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.tables import Order
from models.outbox.tables import Job
from models.stock.cipher import StockCipher
from models.stock.restock import add_stock
from models.stock.tables import StockItem
from tests.webhooks.ecwid.test_ecwid import send
from tests.webhooks.helpers import BUYER, processed
from webhooks.ecwid import update_storefront

CIPHER = StockCipher((Fernet.generate_key().decode(),))
MAP = {"GAME-KEY": "game-key", "VIP": "vip", "BUNDLE": "starter-bundle"}


def with_map(settings, product_map: dict[str, str]):
    return dataclasses.replace(
        settings, ecwid=dataclasses.replace(settings.ecwid, product_map=product_map)
    )


@pytest.fixture
async def cart_client(make_client, settings):
    return await make_client(with_map(settings, MAP))


def item(sku: str, quantity: int, price: float, name: str = "") -> dict[str, Any]:
    return {"sku": sku, "name": name or sku, "quantity": quantity, "price": price}


def add_cart(fake, order_id: str, items: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
    """An Ecwid order (GET answer) with these items; its total includes 4.00 shipping."""
    total = sum(i["price"] * i["quantity"] for i in items if isinstance(i, dict)) + 4.0
    order = fake.add_order(order_id, discord_user_id=str(BUYER), total=total, **options)
    order["items"] = [
        {"id": 100 + n, **i} if isinstance(i, dict) else i for n, i in enumerate(items)
    ]
    return order


THREE_LINES = [
    item("GAME-KEY", 2, 4.5, "Game key"),
    item("BUNDLE", 1, 15.0, "Starter bundle"),
    item("VIP", 1, 10.0, "VIP access"),
]


async def lines_of(ecwid_id: str) -> dict[str, Order]:
    orders = await Order.filter(source=OrderSource.ECWID).prefetch_related("product")
    return {o.external_id: o for o in orders if o.external_id.split("/")[0] == ecwid_id}


async def held(order: Order) -> int:
    return await StockItem.filter(order_id=order.id, status=StockStatus.RESERVED).count()


async def test_a_three_line_cart_is_three_orders_each_with_its_line(cart_client, fake_ecwid):
    await add_stock("game-key", ["GK-1", "GK-2", "GK-3"], CIPHER)
    await add_stock("starter-bundle", ["SB-1"], CIPHER)
    add_cart(fake_ecwid, "CART3", THREE_LINES)
    await send(cart_client, "evt-cart3", "CART3")
    await processed(cart_client)

    lines = await lines_of("CART3")
    assert sorted(lines) == ["CART3", "CART3/2", "CART3/3"]
    seen = {
        external_id: (o.product.key, o.quantity, o.amount, o.currency, o.status)
        for external_id, o in lines.items()
    }
    assert seen == {
        "CART3": ("game-key", 2, 900, "USD", OrderStatus.PAID),
        "CART3/2": ("starter-bundle", 1, 1500, "USD", OrderStatus.PAID),
        "CART3/3": ("vip", 1, 1000, "USD", OrderStatus.PAID),
    }
    assert not any(o.needs_attention for o in lines.values())
    assert (await held(lines["CART3"]), await held(lines["CART3/2"])) == (2, 1)
    deliveries = await Job.filter(kind=JobKind.DELIVER_CODES).values_list("order_id", flat=True)
    assert sorted(deliveries) == sorted([lines["CART3"].id, lines["CART3/2"].id])
    grants = await Job.filter(kind=JobKind.GRANT_ROLE).values_list("order_id", flat=True)
    assert lines["CART3/3"].id in grants
    buyer = await Customer.get(discord_id=BUYER)
    assert buyer.total_spent == 900 + 1500 + 1000  # the lines, not the cart total with shipping
    assert {o.customer_id for o in lines.values()} == {buyer.id}


async def test_a_refund_or_cancellation_reaches_every_line(cart_client, fake_ecwid):
    await add_stock("game-key", ["GK-1", "GK-2"], CIPHER)
    await add_stock("starter-bundle", ["SB-1"], CIPHER)
    add_cart(fake_ecwid, "REF3", THREE_LINES)
    add_cart(fake_ecwid, "CAN2", THREE_LINES[1:], payment_status="AWAITING_PAYMENT")
    await send(cart_client, "evt-ref3-paid", "REF3")
    await send(cart_client, "evt-can2-new", "CAN2")
    await processed(cart_client)
    fake_ecwid.orders["REF3"]["paymentStatus"] = "REFUNDED"
    fake_ecwid.orders["CAN2"]["paymentStatus"] = "CANCELLED"
    await send(cart_client, "evt-ref3-refund", "REF3", event_type="order.updated")
    await send(cart_client, "evt-can2-cancel", "CAN2", event_type="order.updated")
    await processed(cart_client)

    refunded = await lines_of("REF3")
    assert {k: o.status for k, o in refunded.items()} == dict.fromkeys(
        ["REF3", "REF3/2", "REF3/3"], OrderStatus.REFUNDED
    )
    assert [o.refunded_amount for o in refunded.values()] == [o.amount for o in refunded.values()]
    cancelled = await lines_of("CAN2")
    assert {k: o.status for k, o in cancelled.items()} == dict.fromkeys(
        ["CAN2", "CAN2/2"], OrderStatus.CANCELLED
    )
    # The refunded lines' codes are back on sale, none is held any more.
    assert await StockItem.filter(status=StockStatus.RESERVED).count() == 0
    assert await StockItem.filter(status=StockStatus.AVAILABLE).count() == 3
    revokes = await Job.filter(kind=JobKind.REVOKE_ROLE).values_list("order_id", flat=True)
    assert refunded["REF3/3"].id in revokes


async def test_an_unmapped_line_is_flagged_and_the_admins_told_once(cart_client, fake_ecwid):
    await add_stock("game-key", ["GK-1"], CIPHER)
    add_cart(
        fake_ecwid, "MIX2", [item("GAME-KEY", 1, 5.0), item("T-SHIRT", 2, 12.5, "Band T-shirt")]
    )
    await send(cart_client, "evt-mix-1", "MIX2")
    await send(cart_client, "evt-mix-2", "MIX2", event_type="order.updated")
    await processed(cart_client)

    lines = await lines_of("MIX2")
    key, shirt = lines["MIX2"], lines["MIX2/2"]
    assert (key.product.key, key.status, key.needs_attention) == (
        "game-key",
        OrderStatus.PAID,
        False,
    )
    assert shirt.product is None and shirt.needs_attention
    assert (shirt.quantity, shirt.amount, shirt.currency) == (2, 2500, "USD")
    assert shirt.product_name == "Band T-shirt"
    assert "T-SHIRT" in shirt.attention_reason and "MIX2" in shirt.attention_reason
    assert key.details["unfulfilled_skus"] == shirt.details["unfulfilled_skus"] == ["T-SHIRT"]
    alerts = await Job.filter(kind=JobKind.NOTIFY_ADMIN, order_id__isnull=False).values(
        "order_id", "payload"
    )
    assert len(alerts) == 1, alerts
    assert alerts[0]["order_id"] == shirt.id
    assert "T-SHIRT" in str(alerts[0]["payload"]) and "MIX2" in str(alerts[0]["payload"])


async def test_an_order_with_nothing_mapped_is_flagged_not_silently_paid(cart_client, fake_ecwid):
    add_cart(fake_ecwid, "NONE1", [item("T-SHIRT", 1, 20.0)])
    await send(cart_client, "evt-none", "NONE1")
    await processed(cart_client)

    (order,) = (await lines_of("NONE1")).values()
    assert order.external_id == "NONE1" and order.product is None
    assert order.status == OrderStatus.PAID and order.needs_attention
    assert "T-SHIRT" in order.attention_reason
    # The buyer's My orders does not claim a delivery (nor a failed DM) for it.
    assert status_label(order) == "Paid — the seller is handling it"
    assert await Job.filter(kind=JobKind.NOTIFY_ADMIN, order_id=order.id).count() == 1
    assert not await Job.filter(kind=JobKind.DELIVER_CODES).exists()


@pytest.mark.parametrize(
    ("items", "wanted"),
    [
        ([], "no items"),
        ([item("GAME-KEY", 0, 5.0)], "quantity"),
        ([{"sku": "", "name": "Gift wrap", "quantity": 1, "price": 1.0}], "no SKU"),
        (["not an item"], "not understood"),
    ],
)
async def test_lines_the_shop_cannot_read_are_flagged(cart_client, fake_ecwid, items, wanted):
    add_cart(fake_ecwid, "ODD1", items)
    await send(cart_client, "evt-odd", "ODD1")
    await processed(cart_client)

    (order,) = (await lines_of("ODD1")).values()
    assert order.product is None and order.needs_attention
    assert wanted in order.attention_reason
    assert await Job.filter(kind=JobKind.NOTIFY_ADMIN, order_id=order.id).count() == 1


async def test_a_sku_mapped_to_no_catalog_product_flags_only_its_line(
    make_client, settings, fake_ecwid
):
    client = await make_client(with_map(settings, {**MAP, "OLD": "discontinued"}))
    await add_stock("game-key", ["GK-1"], CIPHER)
    add_cart(fake_ecwid, "GONE2", [item("OLD", 1, 3.0), item("GAME-KEY", 1, 5.0)])
    await send(client, "evt-gone", "GONE2")
    await processed(client)

    lines = await lines_of("GONE2")
    assert lines["GONE2"].product is None and "discontinued" in lines["GONE2"].attention_reason
    assert lines["GONE2/2"].product.key == "game-key"
    assert lines["GONE2/2"].status == OrderStatus.PAID


async def test_mapping_the_sku_later_fulfils_the_line_and_lifts_the_flag(
    make_client, settings, fake_ecwid
):
    before = await make_client(with_map(settings, MAP))
    add_cart(fake_ecwid, "LATE2", [item("VIP", 1, 10.0), item("GAME-KEY-XL", 2, 4.0)])
    await send(before, "evt-late-1", "LATE2")
    await processed(before)
    assert (await lines_of("LATE2"))["LATE2/2"].needs_attention

    # The seller maps the SKU and restarts; Ecwid's next update of the order fulfils the line.
    after = await make_client(with_map(settings, {**MAP, "GAME-KEY-XL": "game-key"}))
    await add_stock("game-key", ["GK-1", "GK-2"], CIPHER)
    await send(after, "evt-late-2", "LATE2", event_type="order.updated")
    await processed(after)

    line = (await lines_of("LATE2"))["LATE2/2"]
    assert (line.product.key, line.quantity, line.amount) == ("game-key", 2, 800)
    assert not line.needs_attention and line.attention_reason == ""
    assert line.status == OrderStatus.PAID and await held(line) == 2
    assert await Job.filter(kind=JobKind.DELIVER_CODES, order_id=line.id).count() == 1


async def test_the_storefront_is_marked_delivered_once_every_line_is(
    cart_client, settings, http, fake_ecwid
):
    await add_stock("game-key", ["GK-1", "GK-2"], CIPHER)
    await add_stock("starter-bundle", ["SB-1"], CIPHER)
    add_cart(fake_ecwid, "FUL3", THREE_LINES)
    await send(cart_client, "evt-ful3", "FUL3")
    await processed(cart_client)
    lines = await lines_of("FUL3")

    await mark_delivered(lines["FUL3/2"].id)
    note = await update_storefront(settings, http, "FUL3/2", "DELIVERED")
    assert fake_ecwid.puts == [] and "1 of 3 lines delivered" in note
    await mark_delivered(lines["FUL3"].id)
    await mark_delivered(lines["FUL3/3"].id)
    note = await update_storefront(settings, http, "FUL3/3", "DELIVERED")
    assert fake_ecwid.puts == [("FUL3", {"fulfillmentStatus": "DELIVERED"})]
    assert "FUL3" in note and "DELIVERED" in note
    # The other lines' jobs, run late, leave it to the last line's: one PUT for the cart.
    note = await update_storefront(settings, http, "FUL3", "DELIVERED")
    assert len(fake_ecwid.puts) == 1 and "FUL3/3" in note
    # Each delivered line queued its storefront update; the one PUT names the Ecwid order.
    jobs = await Job.filter(kind=JobKind.UPDATE_STOREFRONT).values_list("payload", flat=True)
    assert sorted(p["external_id"] for p in jobs) == ["FUL3", "FUL3/2", "FUL3/3"]


async def test_a_cart_with_an_unfulfilled_line_is_never_marked_delivered(
    cart_client, settings, http, fake_ecwid
):
    await add_stock("game-key", ["GK-1"], CIPHER)
    add_cart(fake_ecwid, "HALF2", [item("GAME-KEY", 1, 5.0), item("T-SHIRT", 1, 9.0)])
    await send(cart_client, "evt-half", "HALF2")
    await processed(cart_client)
    await mark_delivered((await lines_of("HALF2"))["HALF2"].id)
    note = await update_storefront(settings, http, "HALF2", "DELIVERED")
    assert fake_ecwid.puts == [] and "1 of 2" in note


async def test_an_order_recorded_before_carts_were_split_stays_one_order(cart_client, fake_ecwid):
    # Before carts were split, the first mapped item stood for the cart under the Ecwid id.
    await add_stock("game-key", ["GK-1"], CIPHER)
    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.ECWID,
            status=PaymentStatus.PAID,
            cause="ecwid:order.created",
            reference="evt-before",
            external_id="OLD2",
            discord_user_id=BUYER,
            product_key="game-key",
            quantity=1,
            amount=1400,
            currency="USD",
            details={"ecwid_order_id": "OLD2", "unfulfilled_skus": ["T-SHIRT"]},
        )
    )
    add_cart(fake_ecwid, "OLD2", [item("T-SHIRT", 1, 9.0), item("GAME-KEY", 1, 5.0)])
    await send(cart_client, "evt-old-update", "OLD2", event_type="order.updated")
    fake_ecwid.orders["OLD2"]["paymentStatus"] = "REFUNDED"
    await send(cart_client, "evt-old-refund", "OLD2", event_type="order.updated")
    await processed(cart_client)

    (order,) = (await lines_of("OLD2")).values()  # no line order made up for its items
    assert (order.product.key, order.status) == ("game-key", OrderStatus.REFUNDED)
    assert not await Job.filter(kind=JobKind.NOTIFY_ADMIN, order_id__isnull=False).exists()


async def test_a_product_added_in_discord_and_mapped_is_fulfilled(
    make_client, settings, fake_ecwid
):
    await Product.create(key="pass-day", name="Day pass", kind="role", price=300, currency="USD")
    client = await make_client(with_map(settings, {**MAP, "DAY": "pass-day"}))
    add_cart(fake_ecwid, "CARTDAY", [item("DAY", 1, 3.0, "Day pass")])
    await send(client, "evt-cartday", "CARTDAY")
    await processed(client)
    (line,) = (await lines_of("CARTDAY")).values()
    assert line.product.key == "pass-day" and line.amount == 300
    assert line.status in (OrderStatus.PAID, OrderStatus.DELIVERED) and not line.attention_reason
