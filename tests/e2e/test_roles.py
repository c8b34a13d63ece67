"""Role jobs and role sync end to end: grant, refund, re-join, blocked roles, reconciliation."""

from __future__ import annotations

import asyncio

import pytest

from cogs.roles import resync_roles
from demo.emulator.state import Perm
from models.base import JobKind, JobStatus, OrderStatus
from models.orders.tables import Order
from models.outbox.tables import Job
from tests.discord_plugin import RunningBot, StartBot
from tests.e2e.test_delivery import (
    WAIT,
    jobs_settled,
    pay_external_order,
    refund_external_order,
    wait_for_db,
)

pytestmark = pytest.mark.e2e
MEMBER_ROLE = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"


async def test_refund_removes_the_role_only_when_no_other_order_entitles(
    stockroom: RunningBot,
) -> None:
    emulator = stockroom.emulator
    customer = emulator.world.customer_role
    first = await pay_external_order(emulator.world.alice.id, "vip", 1, 1000)
    second = await pay_external_order(emulator.world.alice.id, "vip", 1, 1000)
    await emulator.has_role("alice", customer, within=WAIT)
    for order in (first, second):
        await wait_for_db(
            lambda order=order: Order.filter(id=order.id, status=OrderStatus.DELIVERED).exists(),
            "the role order to be delivered",
        )

    await refund_external_order(first)
    await wait_for_db(lambda: jobs_settled(first.id), "the first refund's jobs")
    revoke = await Job.get(order_id=first.id, kind=JobKind.REVOKE_ROLE)
    assert revoke.status is JobStatus.DONE
    assert customer.id in emulator.world.member(emulator.world.alice.id).roles
    removals = emulator.requests_to("DELETE", MEMBER_ROLE)
    assert removals == []

    await refund_external_order(second)
    await emulator.has_role("alice", customer, present=False, within=WAIT)
    (removal,) = emulator.requests_to("DELETE", MEMBER_ROLE)
    assert second.number in (removal.reason or "")


async def test_rejoining_member_gets_the_role_back(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    customer = emulator.world.customer_role
    order = await pay_external_order(emulator.world.bob.id, "vip", 1, 1000)
    await emulator.has_role("bob", customer, within=WAIT)
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs")

    await emulator.join("dave")  # never bought anything
    await emulator.leave("bob")
    await emulator.join("bob")
    await emulator.has_role("bob", customer, within=WAIT)

    # Gateway events are handled in order: dave's join was seen before bob's came back.
    assert customer.id not in emulator.world.member(emulator.world.dave.id).roles
    grants = await Job.filter(kind=JobKind.GRANT_ROLE).values_list("payload", flat=True)
    assert {payload["discord_id"] for payload in grants} == {emulator.world.bob.id}


async def test_role_above_the_bot_parks_the_grant_with_a_clear_admin_message(
    stockroom: RunningBot,
) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    # An admin drags Customer above the bot's own role.
    await emulator.update_role(world.customer_role, position=world.moderator_role.position + 1)
    order = await pay_external_order(world.alice.id, "vip", 1, 1000)

    alert = await emulator.message_in(
        world.admin_channel, lambda m: "Job parked: grant_role" in str(m.embeds), within=WAIT
    )
    text = alert.embeds[0]["description"]
    assert "@Customer" in text and "@Stockroom" in text and "drag" in text
    job = await Job.get(order_id=order.id, kind=JobKind.GRANT_ROLE)
    assert job.status is JobStatus.PARKED and job.attempts == 1
    # Known from the cached hierarchy: no refused request was spent on it.
    assert emulator.requests_to("PUT", MEMBER_ROLE) == []
    assert world.customer_role.id not in world.member(world.alice.id).roles
    order = await Order.get(id=order.id)
    assert order.status is OrderStatus.PAID


@pytest.mark.invalid_requests(1)  # the refused grant; parked, not retried
async def test_discord_missing_permissions_parks_the_grant(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    # Start-up reconciliation reads entitlements page by page: an order paid while it runs
    # would be reconciled too (a second refused grant). Let it finish first.
    await asyncio.wait_for(stockroom.bot.get_cog("RoleSync").startup_done.wait(), WAIT)
    # Manage Roles is taken from the bot's role without the bot hearing of it yet.
    world.bot_role.permissions &= ~Perm.MANAGE_ROLES
    order = await pay_external_order(world.bob.id, "vip", 1, 1000)

    alert = await emulator.message_in(
        world.admin_channel, lambda m: "Job parked: grant_role" in str(m.embeds), within=WAIT
    )
    assert "@Customer" in alert.embeds[0]["description"]
    (refused,) = emulator.requests_to("PUT", MEMBER_ROLE)
    assert refused.status == 403
    job = await Job.get(order_id=order.id, kind=JobKind.GRANT_ROLE)
    assert job.status is JobStatus.PARKED and job.attempts == 1
    assert "Manage Roles" in job.last_error and "@Customer" in job.last_error


async def refunded_then_given_back(emulator, who) -> None:  # type: ignore[no-untyped-def]
    """`who` bought the role, was refunded (role gone), then got it back by hand: drift."""
    customer = emulator.world.customer_role
    order = await pay_external_order(who.id, "vip", 1, 1000)
    await emulator.has_role(who, customer, within=WAIT)
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs")
    await refund_external_order(order)
    await emulator.has_role(who, customer, present=False, within=WAIT)
    await wait_for_db(lambda: jobs_settled(order.id), "the refund's jobs")
    emulator.world.member(who.id).roles.append(customer.id)


async def test_resync_fixes_drift_both_ways(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    customer = world.customer_role
    await asyncio.wait_for(stockroom.bot.get_cog("RoleSync").startup_done.wait(), WAIT)
    order = await pay_external_order(world.alice.id, "vip", 1, 1000)
    await emulator.has_role("alice", customer, within=WAIT)
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs")
    await refunded_then_given_back(emulator, world.bob)
    # Drift behind the bot's back: alice lost the role, bob was handed his back by hand.
    world.member(world.alice.id).roles.remove(customer.id)
    world.member(world.carol.id).roles.append(world.moderator_role.id)  # not a shop role
    await emulator.join("dave")
    world.member(world.dave.id).roles.append(customer.id)  # no order at all: adopted

    report = await resync_roles(stockroom.bot)

    assert (report.granted, report.removed, report.failed) == (1, 1, 0)
    assert (report.adopted, report.newly_adopted) == (1, 1)
    assert report.roles_managed == 1 and report.problems == []
    assert report.members_checked == len(world.guild.members)
    assert customer.id in world.member(world.alice.id).roles
    assert customer.id not in world.member(world.bob.id).roles
    assert customer.id in world.member(world.dave.id).roles
    assert world.moderator_role.id in world.member(world.carol.id).roles


async def test_start_up_reconciliation_removes_unearned_shop_roles(start_bot: StartBot) -> None:
    first = await start_bot()
    emulator = first.emulator
    world = emulator.world
    await asyncio.wait_for(first.bot.get_cog("RoleSync").startup_done.wait(), WAIT)
    order = await pay_external_order(world.alice.id, "vip", 1, 1000)
    await emulator.has_role("alice", world.customer_role, within=WAIT)
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs")
    await refunded_then_given_back(emulator, world.bob)
    world.member(world.bob.id).roles.remove(world.customer_role.id)
    settings = first.settings
    await first.bot.close()

    # While the bot is away: bob, refunded, is given the shop role back; alice loses hers.
    world.member(world.bob.id).roles.append(world.customer_role.id)
    world.member(world.alice.id).roles.remove(world.customer_role.id)

    second = await start_bot(
        env={
            "DATABASE_URL": settings.database_url,
            "STOCK_ENCRYPTION_KEYS": ",".join(settings.stock_keys),
        }
    )
    await emulator.has_role("bob", world.customer_role, present=False, within=WAIT)
    await emulator.has_role("alice", world.customer_role, within=WAIT)
    await asyncio.wait_for(second.bot.get_cog("RoleSync").startup_done.wait(), WAIT)
    assert not await Job.filter(kind=JobKind.GRANT_ROLE, status=JobStatus.PENDING).exists()


async def test_a_buyer_who_holds_the_role_is_not_granted_it_again(stockroom: RunningBot) -> None:
    """A returning buyer's second order costs no role request (Discord's 50/s is shared by
    every order on a launch day): the member, as the gateway keeps it, holds the role."""
    emulator = stockroom.emulator
    customer = emulator.world.customer_role
    await asyncio.wait_for(stockroom.bot.get_cog("RoleSync").startup_done.wait(), WAIT)
    first = await pay_external_order(emulator.world.alice.id, "vip", 1, 1000)
    await emulator.has_role("alice", customer, within=WAIT)
    await wait_for_db(lambda: jobs_settled(first.id), "the first order's jobs")
    second = await pay_external_order(emulator.world.alice.id, "vip", 1, 1000)
    await wait_for_db(lambda: jobs_settled(second.id), "the second order's jobs")
    puts = emulator.requests_to("PUT", MEMBER_ROLE)
    assert len(puts) == 1, [p.reason for p in puts]
    for order in (first, second):
        await wait_for_db(
            lambda order=order: Order.filter(id=order.id, status=OrderStatus.DELIVERED).exists(),
            "both role orders delivered",
        )
