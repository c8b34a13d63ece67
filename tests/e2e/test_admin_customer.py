"""/admin customer end to end: orders, wallet and ledger pages, roles and why, DMs, flags."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from demo.emulator.state import Message
from models.audit.tables import AuditEntry
from models.base import OrderSource, OrderStatus
from models.customers import wallet
from models.customers.actions import set_dms_closed
from models.customers.topups import TopUpFact, credit_topup, find_topup, record_topup_fact
from models.orders.actions import mark_needs_attention
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.orders.purchases import purchase_with_wallet
from models.orders.tables import Order
from tests.discord_plugin import RunningBot
from tests.e2e.test_admin import WAIT, admin_reply, fields_of, text_of
from tests.e2e.test_shop import forge

BUTTONS = ("orders-prev", "orders-next", "ledger-prev", "ledger-next")


def button_id(message: Message, name: str) -> str:
    return next(i for i in message.custom_ids() if i.endswith(f":{name}"))


def field(message: Message, starts: str) -> tuple[str, str]:
    return next((n, v) for n, v in fields_of(message).items() if n.startswith(starts))


async def external_vip(discord_id: int, n: int, status: PaymentStatus) -> Order:
    result = await apply_payment_event(
        PaymentEvent(
            source=OrderSource.GENERIC,
            status=status,
            cause=f"generic:{status.value}",
            reference=f"evt-{n}-{status.value}",
            external_id=f"cust-{n}",
            discord_user_id=discord_id,
            product_key="vip",
            amount=1000,
            currency="USD",
        )
    )
    return await Order.get(number=result.order_number)


async def test_the_profile_shows_orders_ledger_roles_dms_and_flags(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    alice = world.alice
    for n in range(4):
        await wallet.credit(alice.id, 1000, reference=f"alice-topup-{n}")
    bought = await purchase_with_wallet(alice.id, "vip", reference="alice-vip")
    await world.changed.wait_for(
        lambda: world.customer_role.id in world.member(alice.id).roles, WAIT, "the VIP role"
    )
    for n in range(5):
        await external_vip(alice.id, n, PaymentStatus.PAID)
    disputed = await external_vip(alice.id, 0, PaymentStatus.DISPUTED)
    assert disputed.status is OrderStatus.DISPUTED
    await mark_needs_attention(bought.id, "DMs closed; codes in the fallback thread")
    shown = await admin_reply(
        emulator, world.admin, "admin wallet", user=alice, amount="-1", reason="goodwill fix"
    )
    confirm = next(i for i in shown.custom_ids() if i.endswith(":confirm"))
    await emulator.reply(await emulator.click(world.admin, shown, confirm), within=WAIT)

    reply = await admin_reply(emulator, world.admin, "admin customer", user=alice)
    assert f"<@{alice.id}>" in reply.embeds[0]["description"]
    assert "DMs open" in reply.embeds[0]["description"]
    found = fields_of(reply)
    assert "balance **$29.00**" in found["Wallet"] and "topped up $40.00" in found["Wallet"]
    assert f"dispute: orders {disputed.number}" in found["Flags"]
    assert f"attention: {bought.number} · DMs closed" in found["Flags"]
    assert "debt" not in found["Flags"]
    roles = found["Roles Stockroom manages"]
    entitled = [o.number for o in await Order.filter(status=OrderStatus.DELIVERED).order_by("id")]
    assert f"<@&{world.customer_role.id}> · held · entitled by {', '.join(entitled)}" in roles
    assert disputed.number not in roles
    orders_name, orders = field(reply, "Orders")
    assert orders_name == "Orders · page 1 of 2 · 6 in all"
    assert disputed.number in orders and bought.number not in orders  # newest first
    ledger_name, ledger = field(reply, "Ledger")
    assert ledger_name == "Ledger · page 1 of 2"
    assert f"goodwill fix · by <@{world.admin.id}>" in ledger and "→ $29.00" in ledger
    ids = reply.custom_ids()
    assert len(ids) == len(set(ids)) == 5 and "admin:openorder" in ids
    assert all(len(i) <= 100 for i in ids)

    page = await emulator.reply(
        await emulator.click(world.admin, reply, button_id(reply, "ledger-next"))
    )
    assert page.id == reply.id
    assert field(page, "Ledger")[0] == "Ledger · page 2 of 2"
    assert field(page, "Orders")[0].startswith("Orders · page 1 of 2")
    assert "Top-up" in field(page, "Ledger")[1]
    page = await emulator.reply(
        await emulator.click(world.admin, page, button_id(page, "orders-next"))
    )
    assert field(page, "Orders")[0] == "Orders · page 2 of 2 · 6 in all"
    assert field(page, "Ledger")[0] == "Ledger · page 2 of 2"
    assert bought.number in field(page, "Orders")[1]

    opened = await emulator.reply(
        await emulator.select(world.admin, page, "admin:openorder", [bought.number])
    )
    assert bought.number in text_of(opened)
    audit = await AuditEntry.filter(action="customer").first()
    assert (audit.actor_id, audit.target) == (world.admin.id, f"user:{alice.id}")


async def test_debt_a_disputed_topup_and_closed_dms_are_flagged(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    bob = world.bob
    async with in_transaction() as connection:
        await credit_topup(bob.id, 1000, reference="stripe:cs_bob", connection=connection)
    await purchase_with_wallet(bob.id, "vip", reference="bob-vip")
    async with in_transaction() as connection:
        topup = await find_topup(connection, reference="stripe:cs_bob")
        await record_topup_fact(topup, TopUpFact.DISPUTE_OPENED, connection)
    await set_dms_closed(bob.id, True)
    reply = await admin_reply(emulator, world.admin, "admin customer", user=bob)
    assert "DMs closed" in reply.embeds[0]["description"]
    flags = fields_of(reply)["Flags"]
    assert "debt: owes $10.00 to the wallet" in flags
    assert "1 disputed top-up(s)" in flags
    assert "balance **-$10.00**" in fields_of(reply)["Wallet"]


async def test_someone_without_orders_gets_an_empty_profile(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    reply = await admin_reply(emulator, world.admin, "admin customer", user=world.dave)
    assert "No order, wallet or ledger entry yet" in reply.embeds[0]["description"]
    found = fields_of(reply)
    assert found["Flags"] == "None"
    assert "No orders." in field(reply, "Orders")[1]
    assert "None: no active order grants a role." in found["Roles Stockroom manages"]
    assert "admin:openorder" not in reply.custom_ids()
    bot = await admin_reply(emulator, world.admin, "admin customer", user=world.bot)
    assert "Bots are not customers" in bot.content


async def test_members_who_are_not_admins_are_refused(stockroom: RunningBot) -> None:
    emulator = stockroom.emulator
    world = emulator.world
    await wallet.credit(world.bob.id, 500, reference="bob-topup")
    refused = await admin_reply(emulator, world.alice, "admin customer", user=world.bob)
    assert "Only shop admins" in refused.content
    reply = await admin_reply(emulator, world.admin, "admin customer", user=world.bob)
    # The reply is the admin's alone; a client could still send its button id.
    forged = await emulator.reply(
        await forge(emulator, "alice", reply, button_id(reply, "ledger-next"))
    )
    assert forged.ephemeral and "Only shop admins" in forged.content
    assert world.messages[reply.id].embeds == reply.embeds
    entry = await AuditEntry.filter(actor_id=world.alice.id).first()
    assert entry.details["outcome"].startswith("refused: Only shop admins")
