"""/admin order and recovery end to end: the timeline, its buttons, parked jobs retried."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from demo.emulator import DiscordEmulator
from models.base import InboxStatus, JobKind, JobStatus, PaymentMethod
from models.inbox.tables import WebhookEvent
from models.orders.purchases import start_checkout
from models.orders.tables import Order, OrderEvent
from models.outbox.tables import Job
from tests.discord_plugin import RunningBot
from tests.e2e.stripe_bot import bot_env  # noqa: F401  (the module's fixture)
from tests.e2e.test_admin import WAIT, admin_reply, text_of
from tests.e2e.test_admin_orders import paid_order
from tests.e2e.test_shop_payments import post_webhook, until
from tests.webhooks.helpers import (
    checkout_session,
    stripe_event,
    stripe_headers,
)

pytestmark = pytest.mark.e2e


async def _stripe(running: RunningBot, body: str) -> None:
    assert await post_webhook(running, "/webhooks/stripe", body, stripe_headers(body)) == 200

    async def settled() -> bool:
        rows = await WebhookEvent.filter(provider="stripe").values_list("status", flat=True)
        return bool(rows) and InboxStatus.RECEIVED not in rows

    await until(settled, "the Stripe events to be processed")


def _partial_refund(fixtures: dict, payment_intent: str, refunded: int) -> dict:
    charge = copy.deepcopy(fixtures["charge"])
    charge.update(
        amount=1000,
        amount_captured=1000,
        amount_refunded=refunded,
        refunded=False,
        payment_intent=payment_intent,
        captured=True,
    )
    return charge


async def test_timeline_shows_stripe_paid_partial_refund_and_admin_retry_in_order(
    stockroom: RunningBot, discord_emulator: DiscordEmulator, stripe_fixtures: dict
) -> None:
    world = discord_emulator.world
    order = await start_checkout(
        world.alice.id,
        "vip",
        payment_method=PaymentMethod.STRIPE,
        reference="timeline-test",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
    )
    session = checkout_session(stripe_fixtures, order_id=order.id, payment_intent="pi_tl")
    paid = stripe_event(stripe_fixtures, "checkout.session.completed", session, event_id="evt_tl1")
    await _stripe(stockroom, paid)
    await discord_emulator.has_role(world.alice, world.customer_role, within=WAIT)
    refund = _partial_refund(stripe_fixtures, "pi_tl", 300)
    await _stripe(
        stockroom, stripe_event(stripe_fixtures, "charge.refunded", refund, event_id="evt_tl2")
    )
    await admin_reply(
        discord_emulator, world.admin, "admin processorder", order=order.number, action="retry"
    )

    view = await admin_reply(discord_emulator, world.admin, "admin order", number=order.number)
    timeline = view.embeds[0]["description"].split("**Timeline**")[1]
    causes = [e.cause for e in await OrderEvent.filter(order_id=order.id).order_by("id")]
    assert "admin:retry" in causes and sum(c.startswith("stripe") for c in causes) == 2
    positions = [timeline.index(f"`{cause}`") for cause in causes]
    assert positions == sorted(positions), timeline
    assert "$3.00" in timeline and f"<@{world.admin.id}>" in timeline
    stripe_paid = next(c for c in causes if c.startswith("stripe"))
    assert timeline.index(f"`{stripe_paid}`") < timeline.index("refund $3.00")
    assert timeline.index("refund $3.00") < timeline.index("`admin:retry`")
    jobs = next(f["value"] for f in view.embeds[0]["fields"] if f["name"] == "Jobs")
    assert "grant_role" in jobs
    assert {"admin:order:" + order.number + ":refund"} <= set(view.custom_ids())


async def test_a_parked_grant_retried_from_the_order_view_is_delivered(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    low = world.customer_role.position
    await discord_emulator.update_role(
        world.customer_role, position=world.moderator_role.position + 1
    )
    order = await paid_order(world.bob.id)

    async def parked() -> Job | None:
        return await Job.get_or_none(order_id=order.id, kind=JobKind.GRANT_ROLE, status="parked")

    job = await until(parked, "the grant to be parked")
    view = await admin_reply(discord_emulator, world.admin, "admin order", number=order.number)
    assert "**parked** after 1 attempt(s)" in text_of(view)
    await discord_emulator.update_role(world.customer_role, position=low)

    refused = await discord_emulator.click(world.alice, view, f"admin:job:{job.id}:retry")
    assert "Only shop admins" in (await discord_emulator.reply(refused, within=WAIT)).content
    ix = await discord_emulator.click(world.admin, view, f"admin:job:{job.id}:retry")
    assert "queued again" in text_of(await discord_emulator.reply(ix, within=WAIT))
    await discord_emulator.has_role(world.bob, world.customer_role, within=WAIT)
    await until(lambda: Order.filter(id=order.id, status="delivered").exists(), "delivered")
    again = await discord_emulator.click(world.admin, view, f"admin:job:{job.id}:retry")
    assert "is not parked" in (await discord_emulator.reply(again, within=WAIT)).content


@pytest.mark.invalid_requests(1)  # the receipt DM, refused by Carol's closed DMs
async def test_processorder_retry_of_a_parked_delivery_settles_the_parked_job(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    low = world.customer_role.position
    await discord_emulator.update_role(
        world.customer_role, position=world.moderator_role.position + 1
    )
    order = await paid_order(world.carol.id)
    await until(
        lambda: Job.filter(order_id=order.id, status=JobStatus.PARKED).exists(), "a parked grant"
    )
    await discord_emulator.update_role(world.customer_role, position=low)
    reply = await admin_reply(
        discord_emulator, world.admin, "admin processorder", order=order.number, action="retry"
    )
    assert "paid" in text_of(reply)
    await discord_emulator.has_role(world.carol, world.customer_role, within=WAIT)
    await until(lambda: Order.filter(id=order.id, status="delivered").exists(), "delivered")
    # The grant that was given up on is settled by the retry, not left parked for ever.
    assert not await Job.filter(order_id=order.id, status=JobStatus.PARKED).exists()


async def test_jobs_and_webhooks_list_and_refuse_bad_arguments(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    listing = await admin_reply(discord_emulator, world.admin, "admin jobs")
    assert "No job is parked" in text_of(listing)
    bad = await admin_reply(discord_emulator, world.admin, "admin jobs", action="retry")
    assert "Say which job" in bad.content
    gone = await admin_reply(discord_emulator, world.admin, "admin jobs", action="dismiss", job=99)
    assert "Job #99 is not parked" in gone.content
    row = await WebhookEvent.create(
        provider="generic", event_id="evt-x", raw_body="{}", status="failed", error="boom"
    )
    hooks = await admin_reply(discord_emulator, world.admin, "admin webhooks")
    assert f"#{row.id} generic" in text_of(hooks) and "boom" in text_of(hooks)
    replay = await admin_reply(
        discord_emulator, world.admin, "admin webhooks", action="replay", event=row.id
    )
    assert "queued for processing again" in text_of(replay)
    # Processed again: the body lacks an event id, so the new attempt's error replaces "boom".
    await until(
        lambda: WebhookEvent.filter(id=row.id, error__contains="event_id").exists(), "replayed"
    )
    nothing = await admin_reply(discord_emulator, world.admin, "admin webhooks", action="replay")
    assert "Say which event" in nothing.content


@pytest.mark.parametrize("command", ["admin order", "admin jobs", "admin webhooks"])
async def test_non_admins_are_refused(
    stockroom: RunningBot, discord_emulator: DiscordEmulator, command: str
) -> None:
    options = {"number": "SR-NOPE22"} if command == "admin order" else {}
    reply = await admin_reply(discord_emulator, discord_emulator.world.alice, command, **options)
    assert "Only shop admins" in reply.content


async def test_vieworders_rows_open_the_order_view_and_autocomplete_finds_orders(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    order = await paid_order(world.bob.id)
    listing = await admin_reply(discord_emulator, world.admin, "admin vieworders")
    ix = await discord_emulator.select(world.admin, listing, "admin:openorder", [order.number])
    view = await discord_emulator.reply(ix, within=WAIT)
    assert view.ephemeral and view.embeds[0]["title"].startswith(f"Order {order.number}")
    assert "`generic:paid`" in view.embeds[0]["description"]

    by_number = await discord_emulator.autocomplete(
        world.admin, "admin order", focused="number", number=order.number[3:7]
    )
    assert [c["value"] for c in by_number] == [order.number]
    by_name = await discord_emulator.autocomplete(
        world.admin, "admin order", focused="number", number=world.bob.name[:3]
    )
    assert order.number in [c["value"] for c in by_name]
    missing = await admin_reply(discord_emulator, world.admin, "admin order", number="SR-NOPE22")
    assert "There is no order" in missing.content
