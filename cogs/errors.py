"""The one error handler for every interaction: commands, buttons, selects and modals."""

from __future__ import annotations

import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import disnake
from disnake.ext import commands

from models.errors import ShopError

log = logging.getLogger(__name__)
UNEXPECTED = "Something went wrong on our side; the shop admins can see what. Please try again."


def _cause(error: BaseException) -> BaseException:
    """The exception the command raised, unwrapped from disnake's invoke errors."""
    while isinstance(error, commands.CommandInvokeError | commands.ConversionError):
        error = error.original
    return error


def user_message(error: BaseException) -> str | None:
    """What to tell the user for an expected refusal, or None for an unexpected failure."""
    cause = _cause(error)
    if isinstance(cause, ShopError):
        return cause.message
    if isinstance(cause, commands.CheckFailure | commands.UserInputError):
        return str(cause) or "You cannot use this here."
    return None


async def reply_privately(inter: disnake.Interaction, text: str) -> None:
    """An ephemeral answer, whether or not the interaction was already answered."""
    try:
        if inter.response.is_done():
            await inter.followup.send(text, ephemeral=True)
        else:
            await inter.response.send_message(text, ephemeral=True)
    except disnake.HTTPException as exc:
        # The interaction may have expired; the error itself was logged by the caller.
        log.warning("could not tell the user about an error: %s", exc)


class ErrorHandler(commands.Cog):
    """Answers every failed interaction once, ephemerally, and logs the unexpected ones."""

    def __init__(self, bot: commands.InteractionBot) -> None:
        self.bot = bot
        self._previous_on_error: Callable[..., Awaitable[None]] = bot.on_error
        # Component and modal listeners are events, not commands: their exceptions reach
        # Client.on_error, which disnake documents as the override point.
        bot.on_error = self.on_event_error  # type: ignore[method-assign]

    def cog_unload(self) -> None:
        self.bot.on_error = self._previous_on_error  # type: ignore[method-assign]

    async def _handle(self, inter: disnake.Interaction, error: BaseException, what: str) -> None:
        message = user_message(error)
        if message is None:
            cause = _cause(error)
            log.error(
                "%s failed for user %s",
                what,
                inter.author.id,
                exc_info=(type(cause), cause, cause.__traceback__),
            )
            message = UNEXPECTED
        await reply_privately(inter, message)

    @commands.Cog.listener("on_slash_command_error")
    async def on_slash_error(
        self, inter: disnake.ApplicationCommandInteraction, error: commands.CommandError
    ) -> None:
        await self._handle(inter, error, f"/{inter.application_command.qualified_name}")

    @commands.Cog.listener("on_user_command_error")
    async def on_user_error(
        self, inter: disnake.ApplicationCommandInteraction, error: commands.CommandError
    ) -> None:
        await self._handle(inter, error, f"user command {inter.application_command.name!r}")

    @commands.Cog.listener("on_message_command_error")
    async def on_message_error(
        self, inter: disnake.ApplicationCommandInteraction, error: commands.CommandError
    ) -> None:
        await self._handle(inter, error, f"message command {inter.application_command.name!r}")

    async def on_event_error(self, event: str, *args: Any, **kwargs: Any) -> None:
        error = sys.exc_info()[1]
        inter = next((a for a in args if isinstance(a, disnake.Interaction)), None)
        if error is None or inter is None:
            log.exception("unhandled error in %s", event)
            return
        # From the interaction's data: `inter.component` raises when the id is on no
        # component of the message (a forged or stale click), and this must not.
        custom_id = getattr(inter, "custom_id", None) or getattr(
            getattr(inter, "data", None), "custom_id", None
        )
        await self._handle(inter, error, f"{event} ({custom_id})")


def setup(bot: commands.InteractionBot) -> None:
    bot.add_cog(ErrorHandler(bot))
