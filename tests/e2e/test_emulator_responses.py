"""Interaction answers under Discord's rules: one callback each, limits on every way to answer."""

from __future__ import annotations

from typing import Any

import disnake
import pytest
from disnake.ext import commands

from demo.emulator import DiscordEmulator
from tests.discord_plugin import RunningBot, StartBot

pytestmark = pytest.mark.e2e
WAYS = ["reply", "followup", "edit", "modal"]


def _twins() -> list[disnake.ui.Button]:
    """Two buttons sharing one custom id; the second disabled, which Discord checks too."""
    return [
        disnake.ui.Button(label="Previous", custom_id="probe:page:1", disabled=True),
        disnake.ui.Button(label="Next", custom_id="probe:page:1"),
    ]


async def _answer_with_twins(inter: disnake.Interaction, way: str) -> None:
    if way == "reply":
        await inter.response.send_message("page", components=_twins())
    elif way == "followup":
        await inter.response.defer()
        await inter.followup.send("page", components=_twins())
    elif way == "edit":
        await inter.response.send_message("page")
        await inter.edit_original_response(components=_twins())
    elif way == "update":
        await inter.response.edit_message(components=_twins())  # type: ignore[attr-defined]
    else:
        fields = [disnake.ui.TextInput(label="Code", custom_id="probe:code") for _ in range(2)]
        await inter.response.send_modal(title="Redeem", custom_id="probe:m", components=fields)


def _add_probe(bot: Any, refused: list[disnake.HTTPException]) -> None:
    async def answer(inter: disnake.Interaction, way: str) -> None:
        try:
            await _answer_with_twins(inter, way)
        except disnake.HTTPException as exc:
            refused.append(exc)
            if inter.response.is_done():
                await inter.edit_original_response(content="refused")
            else:
                await inter.response.send_message("refused")

    @bot.slash_command(name="probe", description="emulator checks")
    async def probe(inter: disnake.ApplicationCommandInteraction) -> None:
        pass

    @probe.sub_command(name="twins", description="answer with a duplicated custom id")
    async def twins(
        inter: disnake.ApplicationCommandInteraction, way: str = commands.Param(choices=WAYS)
    ) -> None:
        await answer(inter, way)

    @probe.sub_command(name="twice", description="answer one interaction twice")
    async def twice(inter: disnake.ApplicationCommandInteraction) -> None:
        await inter.response.send_message("first")
        try:  # disnake refuses a second answer itself; the wire is asked directly
            await inter.client.http.create_interaction_response(
                inter.id, inter.token, type=4, data={"content": "second"}
            )
        except disnake.HTTPException as exc:
            refused.append(exc)
        await inter.followup.send("after")

    @probe.sub_command(name="panel", description="a message with a button")
    async def panel(inter: disnake.ApplicationCommandInteraction) -> None:
        button = disnake.ui.Button(label="Go", custom_id="probe:update")
        await inter.response.send_message("panel", components=[button])

    async def on_button(inter: disnake.MessageInteraction) -> None:
        if inter.component.custom_id == "probe:update":
            await answer(inter, "update")

    bot.add_listener(on_button, "on_button_click")


@pytest.fixture
def refused() -> list[disnake.HTTPException]:
    return []


@pytest.fixture
async def probed(start_bot: StartBot, refused: list[disnake.HTTPException]) -> RunningBot:
    return await start_bot(prepare=lambda bot: _add_probe(bot, refused))


def _is_duplicate_refusal(exc: disnake.HTTPException) -> bool:
    return (exc.status, exc.code) == (400, 50035) and (
        "custom_id: Component custom id cannot be duplicated" in exc.text
    )


@pytest.mark.parametrize("way", WAYS)
async def test_every_way_of_answering_refuses_duplicated_custom_ids(
    probed: RunningBot,
    discord_emulator: DiscordEmulator,
    refused: list[disnake.HTTPException],
    way: str,
) -> None:
    ix = await discord_emulator.slash("alice", "probe twins", way=way)
    reply = await discord_emulator.reply(ix)
    await discord_emulator.wait_until(lambda: reply.content == "refused", "the refusal")

    (exc,) = refused
    assert _is_duplicate_refusal(exc), exc.text
    assert reply.custom_ids() == []
    assert (ix.followup_ids, ix.modal) == ([], None)


async def test_a_component_update_refuses_duplicated_custom_ids(
    probed: RunningBot, discord_emulator: DiscordEmulator, refused: list[disnake.HTTPException]
) -> None:
    panel = await discord_emulator.reply(await discord_emulator.slash("bob", "probe panel"))
    click = await discord_emulator.click("bob", panel, "probe:update")

    assert (await discord_emulator.reply(click)).content == "refused"
    (exc,) = refused
    assert _is_duplicate_refusal(exc), exc.text
    assert panel.custom_ids() == ["probe:update"]  # the message kept its one button


async def test_an_interaction_is_answered_only_once(
    probed: RunningBot, discord_emulator: DiscordEmulator, refused: list[disnake.HTTPException]
) -> None:
    ix = await discord_emulator.slash("alice", "probe twice")
    reply = await discord_emulator.reply(ix)
    await discord_emulator.followup(ix, 0)  # sent once the second answer was refused

    (exc,) = refused
    assert (exc.status, exc.code) == (400, 40060)
    assert exc.text == "Interaction has already been acknowledged."
    assert reply.content == "first"
    posted = [m.content for m in discord_emulator.world.channel_messages(ix.channel_id)]
    assert posted == ["first", "after"]
