"""Migration without harm: shop roles handed out before Stockroom are adopted, not stripped.

A member holding a managed role with no recorded order for it keeps the role (it is adopted,
remembered and reported) until an admin runs `/admin resyncroles strict:True`.
"""

from __future__ import annotations

import asyncio

import pytest

from demo.emulator import DiscordEmulator
from models.audit.tables import AuditEntry
from models.roles.tables import AdoptedRole
from tests.discord_plugin import RunningBot, StartBot
from tests.e2e.test_admin import admin_reply, fields_of, text_of
from tests.e2e.test_delivery import (
    WAIT,
    jobs_settled,
    pay_external_order,
    refund_external_order,
    wait_for_db,
)

pytestmark = pytest.mark.e2e
MEMBER_ROLE = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"


async def start_up_done(running: RunningBot) -> None:
    await asyncio.wait_for(running.bot.get_cog("RoleSync").startup_done.wait(), WAIT)


def holds(emulator: DiscordEmulator, user_id: int, role_id: int) -> bool:
    return role_id in emulator.world.member(user_id).roles


async def test_a_first_start_keeps_hand_given_roles_until_a_strict_resync(
    start_bot: StartBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    customer = world.customer_role
    # Handed out by the shop's previous bot, before Stockroom ever ran here.
    for user in (world.bob, world.carol):
        world.member(user.id).roles.append(customer.id)

    first = await start_bot()
    await start_up_done(first)
    assert holds(discord_emulator, world.bob.id, customer.id)
    assert holds(discord_emulator, world.carol.id, customer.id)
    assert discord_emulator.requests_to("DELETE", MEMBER_ROLE) == []
    alert = await discord_emulator.message_in(
        world.admin_channel, lambda m: "adopted" in text_of(m).lower(), within=WAIT
    )
    assert "2 " in text_of(alert) and "resyncroles strict" in text_of(alert)
    adopted = await AdoptedRole.all().values_list("discord_id", "role_id")
    assert sorted(adopted) == sorted([(world.bob.id, customer.id), (world.carol.id, customer.id)])
    # A buyer's role is the shop's own: alice pays, and keeps it through the strict resync.
    order = await pay_external_order(world.alice.id, "vip", 1, 1000)
    await discord_emulator.has_role("alice", customer, within=WAIT)
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs")
    settings = first.settings
    await first.bot.close()

    # The second start remembers the adoption: nothing is stripped, nothing adopted again.
    second = await start_bot(
        env={
            "DATABASE_URL": settings.database_url,
            "STOCK_ENCRYPTION_KEYS": ",".join(settings.stock_keys),
        }
    )
    await start_up_done(second)
    assert holds(discord_emulator, world.bob.id, customer.id)
    assert holds(discord_emulator, world.carol.id, customer.id)
    assert discord_emulator.requests_to("DELETE", MEMBER_ROLE) == []
    assert await AdoptedRole.all().count() == 2

    reply = await admin_reply(discord_emulator, world.admin, "admin resyncroles")
    found = fields_of(reply)
    assert (found["Removed"], found["Adopted"]) == ("0", "2")
    assert holds(discord_emulator, world.bob.id, customer.id)

    reply = await admin_reply(discord_emulator, world.admin, "admin resyncroles", strict=True)
    found = fields_of(reply)
    assert (found["Removed"], found["Adopted"]) == ("2", "0")
    assert not holds(discord_emulator, world.bob.id, customer.id)
    assert not holds(discord_emulator, world.carol.id, customer.id)
    assert holds(discord_emulator, world.alice.id, customer.id)
    assert await AdoptedRole.all().count() == 0
    entry = await AuditEntry.filter(action="resyncroles strict").first()
    assert entry is not None and entry.actor_id == world.admin.id
    assert (entry.details["removed"], entry.details["adoptions_ended"]) == (2, 2)
    assert entry.details["outcome"] == "done"
    asked = await AuditEntry.filter(action="resyncroles").order_by("-id").first()
    assert asked is not None and asked.details["strict"] is True

    # After the strict resync a role handed out again without an order is adopted afresh.
    world.member(world.bob.id).roles.append(customer.id)
    found = fields_of(await admin_reply(discord_emulator, world.admin, "admin resyncroles"))
    assert (found["Removed"], found["Adopted"]) == ("0", "1")
    assert holds(discord_emulator, world.bob.id, customer.id)


async def test_a_role_whose_order_was_refunded_is_drift_not_adopted(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    customer = world.customer_role
    await start_up_done(stockroom)
    order = await pay_external_order(world.bob.id, "vip", 1, 1000)
    await discord_emulator.has_role("bob", customer, within=WAIT)
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs")
    await refund_external_order(order)
    await discord_emulator.has_role("bob", customer, present=False, within=WAIT)
    # Given back by hand behind the bot's back: bob has a recorded order, which is refunded.
    world.member(world.bob.id).roles.append(customer.id)

    found = fields_of(await admin_reply(discord_emulator, world.admin, "admin resyncroles"))
    assert (found["Removed"], found["Adopted"]) == ("1", "0")
    assert not holds(discord_emulator, world.bob.id, customer.id)
    assert await AdoptedRole.all().count() == 0


# Carol's DMs are closed: the receipt DM of her role purchase is refused once (a 403, as
# Discord answers), after which she is known to have closed DMs.
@pytest.mark.invalid_requests(1)
async def test_an_adopted_role_survives_the_refund_of_a_later_order(
    start_bot: StartBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    customer = world.customer_role
    world.member(world.carol.id).roles.append(customer.id)
    running = await start_bot()
    await start_up_done(running)
    assert await AdoptedRole.filter(discord_id=world.carol.id).exists()

    order = await pay_external_order(world.carol.id, "vip", 1, 1000)
    await wait_for_db(lambda: jobs_settled(order.id), "the order's jobs")
    await refund_external_order(order)
    await wait_for_db(lambda: jobs_settled(order.id), "the refund's jobs")
    # She held the role before Stockroom: the refund of her order takes away only what it gave.
    assert holds(discord_emulator, world.carol.id, customer.id)
    assert discord_emulator.requests_to("DELETE", MEMBER_ROLE) == []


async def test_strict_resync_is_refused_to_non_admins(
    start_bot: StartBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    world.member(world.bob.id).roles.append(world.customer_role.id)
    running = await start_bot()
    await start_up_done(running)
    refused = await admin_reply(discord_emulator, world.alice, "admin resyncroles", strict=True)
    assert "Only shop admins" in refused.content
    assert holds(discord_emulator, world.bob.id, world.customer_role.id)
    assert await AdoptedRole.all().count() == 1
    entry = await AuditEntry.get(action="resyncroles")
    assert entry.actor_id == world.alice.id and entry.details["outcome"].startswith("refused")
