"""/admin wallet end to end: amounts as people write them, a preview, and Confirm or Cancel."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from demo.emulator import DiscordEmulator
from models.audit.tables import AuditEntry
from models.base import WalletKind
from models.customers.tables import WalletTransaction
from models.customers.wallet import balance, credit
from tests.discord_plugin import RunningBot, StartBot
from tests.e2e.test_admin import WAIT, admin_reply, fields_of, text_of

pytestmark = pytest.mark.e2e


def buttons_of(message) -> list[str]:  # type: ignore[no-untyped-def]
    return message.custom_ids()


async def preview(emulator: DiscordEmulator, who, user, amount: str, reason: str = "goodwill"):  # type: ignore[no-untyped-def]
    return await admin_reply(emulator, who, "admin wallet", user=user, amount=amount, reason=reason)


async def audit_actions(count: int) -> list[tuple[str, str]]:
    """(action, outcome) of the audit rows once there are `count` (written after replies)."""
    for _ in range(100):
        rows = await AuditEntry.all().order_by("id")
        if len(rows) >= count:
            return [(row.action, row.details.get("outcome", "")) for row in rows]
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} audit rows")


async def test_preview_shows_the_result_and_only_confirm_applies_it(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    await credit(world.alice.id, 500, reference="seed-topup")
    shown = await preview(discord_emulator, world.admin, world.alice, "10.50")
    fields = fields_of(shown)
    assert fields["Customer"] == f"<@{world.alice.id}>"
    assert (fields["Current balance"], fields["Change"], fields["Resulting balance"]) == (
        "$5.00",
        "+$10.50",
        "$15.50",
    )
    assert fields["Reason"] == "goodwill"
    confirm, cancel = buttons_of(shown)
    assert confirm.endswith(":confirm") and cancel.endswith(":cancel") and confirm != cancel
    assert await balance(world.alice.id) == 500  # a preview changes nothing

    done = await discord_emulator.reply(
        await discord_emulator.click(world.admin, shown, confirm), within=WAIT
    )
    assert "$15.50" in text_of(done) and done.custom_ids() == []
    assert await balance(world.alice.id) == 1550
    entry = await WalletTransaction.get(kind=WalletKind.ADJUSTMENT)
    assert (entry.amount, entry.actor_id, entry.note) == (1050, world.admin.id, "goodwill")
    assert await audit_actions(2) == [("wallet", "done"), ("wallet confirm", "done")]


async def test_confirm_clicked_twice_applies_once(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    shown = await preview(discord_emulator, world.admin, world.bob, "25")
    confirm = buttons_of(shown)[0]
    clicks = await asyncio.gather(
        discord_emulator.click(world.admin, shown, confirm),
        discord_emulator.click(world.admin, shown, confirm),
    )
    answers = [await discord_emulator.reply(ix, within=WAIT) for ix in clicks]
    assert sum("already answered" in text_of(answer) for answer in answers) == 1
    assert await balance(world.bob.id) == 2500
    assert await WalletTransaction.filter(kind=WalletKind.ADJUSTMENT).count() == 1


async def test_cancel_changes_nothing_and_the_preview_cannot_be_confirmed_after(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    shown = await preview(discord_emulator, world.admin, world.alice, "Rp 50.000", "typo")
    assert "not in USD" in shown.content  # the wallet is in USD: nothing to confirm
    shown = await preview(discord_emulator, world.admin, world.alice, "$1,000")
    assert fields_of(shown)["Resulting balance"] == "$1,000.00"
    cancel = buttons_of(shown)[1]
    cancelled = await discord_emulator.reply(
        await discord_emulator.click(world.admin, shown, cancel), within=WAIT
    )
    assert "Cancelled; nothing was changed." in text_of(cancelled)
    assert cancelled.custom_ids() == []
    assert await balance(world.alice.id) == 0
    assert await WalletTransaction.all().count() == 0
    actions = await audit_actions(3)
    assert actions[-1] == ("wallet cancel", "done")


async def test_only_the_invoking_admin_may_answer_the_preview(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    shown = await preview(discord_emulator, world.admin, world.carol, "5")
    confirm = buttons_of(shown)[0]
    stranger = await discord_emulator.reply(
        await discord_emulator.click(world.alice, shown, confirm), within=WAIT
    )
    assert "Only shop admins" in stranger.content
    other_admin = await discord_emulator.reply(
        await discord_emulator.click(world.owner, shown, confirm), within=WAIT
    )
    assert f"Only <@{world.admin.id}>" in other_admin.content
    assert await balance(world.carol.id) == 0
    done = await discord_emulator.reply(
        await discord_emulator.click(world.admin, shown, confirm), within=WAIT
    )
    assert "$5.00" in text_of(done)
    assert await balance(world.carol.id) == 500


async def test_an_expired_preview_changes_nothing(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    world = discord_emulator.world
    stockroom.bot.get_cog("WalletAdjustments").preview_seconds = 0.2
    shown = await preview(discord_emulator, world.admin, world.alice, "5")
    confirm = buttons_of(shown)[0]
    await discord_emulator.wait_until(
        lambda: not discord_emulator.world.messages[shown.id].custom_ids(),
        "the expired preview to lose its buttons",
        within=WAIT,
    )
    assert "expired" in text_of(discord_emulator.world.messages[shown.id])
    with pytest.raises(LookupError):
        await discord_emulator.click(world.admin, shown, confirm)
    assert await balance(world.alice.id) == 0


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        ("ten", "not an amount"),
        ("1.299", "ambiguous: I read $1,299.00"),
        ("0.125", "at most 2 decimals"),
        ("0", "0 changes nothing"),
        ("-5", "would put it below zero"),
        ("€5", "not in USD"),
    ],
)
async def test_a_bad_amount_is_an_ephemeral_message_and_changes_nothing(
    stockroom: RunningBot, discord_emulator: DiscordEmulator, amount: str, says: str
) -> None:
    world = discord_emulator.world
    refused = await preview(discord_emulator, world.admin, world.alice, amount)
    assert refused.ephemeral and says in refused.content, refused.content
    assert refused.custom_ids() == []
    assert await balance(world.alice.id) == 0
    assert await WalletTransaction.all().count() == 0


async def test_taking_money_shows_the_lower_balance_and_a_rupiah_wallet_reads_rupiah(
    start_bot: StartBot, discord_emulator: DiscordEmulator, tmp_path: Path
) -> None:
    config = tmp_path / "idr.toml"
    config.write_text('[shop]\nwallet_currency = "IDR"\n')
    await start_bot(config_path=config)
    world = discord_emulator.world
    shown = await preview(discord_emulator, world.admin, world.bob, "Rp 50.000")
    assert fields_of(shown)["Change"] == "+Rp 50,000.00"
    confirm = buttons_of(shown)[0]
    await discord_emulator.reply(
        await discord_emulator.click(world.admin, shown, confirm), within=WAIT
    )
    assert await balance(world.bob.id) == 5_000_000
    taking = await preview(discord_emulator, world.admin, world.bob, "-12.500", "correction")
    fields = fields_of(taking)
    assert (fields["Change"], fields["Resulting balance"]) == ("-Rp 12,500.00", "Rp 37,500.00")
    await discord_emulator.reply(
        await discord_emulator.click(world.admin, taking, buttons_of(taking)[0]), within=WAIT
    )
    assert await balance(world.bob.id) == 3_750_000
