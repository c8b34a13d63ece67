"""Interactions through the emulator: slash sub-commands, buttons, selects, modals, autocomplete."""

from __future__ import annotations

import logging
from typing import Any

import disnake
import pytest
from disnake.ext import commands

from demo.emulator import DiscordEmulator
from demo.emulator.commands import CommandNotFound
from models.errors import OutOfStock
from tests.discord_plugin import RunningBot, StartBot

pytestmark = pytest.mark.e2e
EPHEMERAL = 1 << 6


async def test_slash_sub_command_with_a_choice_replies_ephemerally(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    ix = await discord_emulator.slash("alice", "stockroom help", topic="wallet")

    reply = await discord_emulator.reply(ix)
    assert ix.response_type == 4
    assert reply.ephemeral
    assert reply.embeds[0]["title"] == "Your wallet"
    assert "top it up" in reply.embeds[0]["description"].lower()
    assert reply.custom_ids() == [
        "help:topic:buying",
        "help:topic:wallet",
        "help:topic:delivery",
        "help:topic:refunds",
    ]
    assert reply.find_component("help:topic:wallet")["disabled"] is True
    assert discord_emulator.world.channel_messages(ix.channel_id) == []  # ephemeral: not posted


async def test_a_choice_can_be_given_by_its_display_name(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    ix = await discord_emulator.slash("bob", "stockroom help", topic="Refunds")
    reply = await discord_emulator.reply(ix)
    assert reply.embeds[0]["title"] == "Refunds"


async def test_topic_button_switches_the_same_message(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    shown = await discord_emulator.reply(
        await discord_emulator.slash("alice", "stockroom help", topic="buying")
    )

    click = await discord_emulator.click("alice", shown, "help:topic:delivery")

    updated = await discord_emulator.reply(click)
    assert click.response_type == 7  # UPDATE_MESSAGE
    assert updated.id == shown.id
    assert updated.embeds[0]["title"] == "Delivery"
    assert updated.edited_timestamp is not None
    assert updated.find_component("help:topic:buying")["disabled"] is False


async def test_status_reports_guild_latency_and_uptime(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    reply = await discord_emulator.reply(await discord_emulator.slash("ada", "stockroom status"))
    fields = {f["name"]: f["value"] for f in reply.embeds[0]["fields"]}
    assert reply.ephemeral
    assert fields["Server"] == "Stockroom Test Shop"
    assert fields["Gateway latency"].endswith(" ms")  # the emulator acknowledges heartbeats
    assert fields["Uptime"].endswith("s")


async def test_drivers_refuse_what_the_bot_never_registered(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    with pytest.raises(CommandNotFound, match="not registered"):
        await discord_emulator.slash("alice", "nosuch")
    with pytest.raises(CommandNotFound, match="needs a sub-command"):
        await discord_emulator.slash("alice", "stockroom")
    with pytest.raises(CommandNotFound, match="has no choice 'weather'"):
        await discord_emulator.slash("alice", "stockroom help", topic="weather")
    with pytest.raises(CommandNotFound, match="has no option 'colour'"):
        await discord_emulator.slash("alice", "stockroom help", topic="wallet", colour="red")
    with pytest.raises(CommandNotFound, match="missing required"):
        await discord_emulator.slash("alice", "stockroom help")
    shown = await discord_emulator.reply(
        await discord_emulator.slash("alice", "stockroom help", topic="buying")
    )
    with pytest.raises(LookupError, match="is disabled"):
        await discord_emulator.click("alice", shown, "help:topic:buying")
    with pytest.raises(LookupError, match="no component"):
        await discord_emulator.click("alice", shown, "help:topic:nope")


# -- test-only commands, added before the bot connects ---------------------------------


def _add_probe(bot: Any) -> None:
    """A /probe command group exercising the interaction kinds the shop's cogs rely on."""

    @bot.slash_command(name="probe", description="emulator checks")
    async def probe(inter: disnake.ApplicationCommandInteraction) -> None:
        pass

    @probe.sub_command(name="fail", description="raise an error")
    async def fail(
        inter: disnake.ApplicationCommandInteraction,
        kind: str = commands.Param(choices=["shop", "crash"]),
    ) -> None:
        if kind == "shop":
            raise OutOfStock("Game key is sold out; try again tomorrow.")
        raise RuntimeError("database unreachable")

    @probe.sub_command(name="pick", description="autocomplete")
    async def pick(
        inter: disnake.ApplicationCommandInteraction, fruit: str, count: int = 1
    ) -> None:
        await inter.response.send_message(f"{count} x {fruit}")

    @pick.autocomplete("fruit")
    async def fruits(inter: disnake.ApplicationCommandInteraction, typed: str) -> list[str]:
        return [f for f in ("apple", "apricot", "banana") if f.startswith(typed)]

    @probe.sub_command(name="later", description="defer then follow up")
    async def later(inter: disnake.ApplicationCommandInteraction) -> None:
        await inter.response.defer(ephemeral=True)
        await inter.edit_original_response(content="done")
        await inter.followup.send("and one more thing", ephemeral=True)

    @probe.sub_command(name="form", description="modal")
    async def form(inter: disnake.ApplicationCommandInteraction) -> None:
        await inter.response.send_modal(
            title="Redeem",
            custom_id="probe:form",
            components=[disnake.ui.TextInput(label="Code", custom_id="probe:code")],
        )

    @probe.sub_command(name="menu", description="select")
    async def menu(inter: disnake.ApplicationCommandInteraction) -> None:
        select = disnake.ui.StringSelect(
            custom_id="probe:menu",
            options=[disnake.SelectOption(label=n, value=n) for n in ("red", "green", "blue")],
            max_values=2,
        )
        await inter.response.send_message("choose", components=[select])

    _add_probe_listeners(bot)


def _add_probe_listeners(bot: Any) -> None:
    """Listeners answering the modal, the select menu and a refusing button."""

    async def on_modal(inter: disnake.ModalInteraction) -> None:
        if inter.custom_id == "probe:form":
            await inter.response.send_message(f"got {inter.text_values['probe:code']}")

    async def on_dropdown(inter: disnake.MessageInteraction) -> None:
        if inter.component.custom_id == "probe:menu":
            await inter.response.edit_message(content="chose " + ",".join(inter.values))

    async def on_button(inter: disnake.MessageInteraction) -> None:
        if inter.component.custom_id == "probe:refuse":
            raise OutOfStock("That package just sold out.")

    bot.add_listener(on_modal, "on_modal_submit")
    bot.add_listener(on_dropdown, "on_dropdown")
    bot.add_listener(on_button, "on_button_click")


@pytest.fixture
async def probed(start_bot: StartBot) -> RunningBot:
    return await start_bot(prepare=_add_probe)


async def test_shop_error_becomes_its_own_ephemeral_message(
    probed: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    reply = await discord_emulator.reply(
        await discord_emulator.slash("alice", "probe fail", kind="shop")
    )
    assert reply.ephemeral
    assert reply.content == "Game key is sold out; try again tomorrow."


async def test_unexpected_error_is_logged_and_answered_vaguely(
    probed: RunningBot, discord_emulator: DiscordEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="cogs.errors"):
        reply = await discord_emulator.reply(
            await discord_emulator.slash("alice", "probe fail", kind="crash")
        )
    assert reply.ephemeral
    assert reply.content.startswith("Something went wrong")
    assert "database unreachable" not in reply.content
    (record,) = [r for r in caplog.records if r.name == "cogs.errors"]
    assert "/probe fail" in record.getMessage()
    assert "database unreachable" in str(record.exc_info[1])


async def test_shop_error_in_a_button_listener_reaches_the_same_handler(
    probed: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    channel = probed.bot.get_channel(discord_emulator.world.shop_channel.id)
    button = disnake.ui.Button(label="Buy", custom_id="probe:refuse")
    sent = await channel.send("offer", components=[button])
    click = await discord_emulator.click("bob", sent.id, "probe:refuse")
    reply = await discord_emulator.reply(click)
    assert reply.ephemeral
    assert reply.content == "That package just sold out."


async def test_autocomplete_offers_choices_then_the_command_runs(
    probed: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    choices = await discord_emulator.autocomplete(
        "alice", "probe pick", focused="fruit", fruit="ap"
    )
    assert [c["value"] for c in choices] == ["apple", "apricot"]
    reply = await discord_emulator.reply(
        await discord_emulator.slash("alice", "probe pick", fruit="apricot", count=3)
    )
    assert reply.content == "3 x apricot"
    assert not reply.ephemeral
    assert reply.id in [m.id for m in discord_emulator.world.channel_messages(reply.channel_id)]


async def test_deferred_reply_is_edited_and_followed_up(
    probed: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    ix = await discord_emulator.slash("alice", "probe later")
    reply = await discord_emulator.reply(ix)  # waits past the "thinking…" placeholder
    followup = await discord_emulator.followup(ix)
    assert ix.response_type == 5
    assert (reply.content, reply.flags & EPHEMERAL) == ("done", EPHEMERAL)
    assert (followup.content, followup.ephemeral) == ("and one more thing", True)


async def test_modal_is_shown_and_submitted(
    probed: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    shown = await discord_emulator.slash("alice", "probe form")
    modal = await discord_emulator.modal(shown)
    assert modal["title"] == "Redeem"
    with pytest.raises(LookupError, match="is required"):
        await discord_emulator.submit_modal("alice", shown, {})
    with pytest.raises(LookupError, match="no field"):
        await discord_emulator.submit_modal("alice", shown, {"probe:code": "x", "probe:oops": "y"})
    submitted = await discord_emulator.submit_modal("alice", shown, {"probe:code": "ABC-123"})
    reply = await discord_emulator.reply(submitted)
    assert reply.content == "got ABC-123"


async def test_select_menu_choice_updates_the_message(
    probed: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    menu = await discord_emulator.reply(await discord_emulator.slash("alice", "probe menu"))
    with pytest.raises(LookupError, match="no option"):
        await discord_emulator.select("alice", menu, "probe:menu", ["purple"])
    chose = await discord_emulator.select("alice", menu, "probe:menu", ["red", "blue"])
    updated = await discord_emulator.reply(chose)
    assert updated.id == menu.id
    assert updated.content == "chose red,blue"
