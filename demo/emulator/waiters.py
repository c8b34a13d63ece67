"""Waiters: event-driven checks of outcomes (replies, DMs, roles, messages) with a time limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from demo.emulator.state import Channel, Interaction, Member, Message, Role, User, World

T = TypeVar("T")
Who = User | Member | str
DEFAULT_WITHIN = 5.0


class Waiters:
    """Mixed into DiscordEmulator: each waiter returns as soon as the world satisfies it."""

    world: World
    _dm_cursor: dict[int, int]
    user: Callable[[Who], User]  # from Drivers

    def follow(self, client: Any) -> None:
        """Also re-checks waiters after `client` (a disnake Client) handles a gateway event.

        disnake parses an event right after scheduling its `socket_event_type` listeners, so
        this listener runs once the bot's cache reflects the event.
        """

        async def parsed(_event_type: str) -> None:
            self.world.changed.fire()

        client.add_listener(parsed, "on_socket_event_type")

    async def wait_until(
        self, check: Callable[[], T], what: str, within: float = DEFAULT_WITHIN
    ) -> T:
        """check()'s first truthy value, re-checked whenever the emulated world changes
        and, for a followed bot, whenever the bot has handled a gateway event."""
        return await self.world.changed.wait_for(check, within, what)

    async def response(self, ix: Interaction, within: float = DEFAULT_WITHIN) -> int:
        """The callback type the bot answered `ix` with (4 message, 5 deferred, 7 update...)."""
        return await self.wait_until(
            lambda: ix.response_type, f"a response to interaction {ix.id}", within
        )

    async def reply(
        self, ix: Interaction, *, final: bool = True, within: float = DEFAULT_WITHIN
    ) -> Message:
        """The interaction's original response (or the message a type-7 update changed).

        With `final`, a deferred ("thinking…") response is waited on until the bot edits it.
        """

        def check() -> Message | None:
            message = self.world.messages.get(ix.original_id or 0)
            if message is None or (final and message.loading):
                return None
            return message

        return await self.wait_until(check, f"the reply to interaction {ix.id}", within)

    async def followup(
        self, ix: Interaction, index: int = 0, *, within: float = DEFAULT_WITHIN
    ) -> Message:
        """The bot's `index`-th follow-up message to the interaction."""

        def check() -> Message | None:
            if len(ix.followup_ids) > index:
                return self.world.messages[ix.followup_ids[index]]
            return None

        return await self.wait_until(check, f"follow-up #{index} to interaction {ix.id}", within)

    async def modal(self, ix: Interaction, within: float = DEFAULT_WITHIN) -> dict[str, Any]:
        """The modal the bot showed in answer to `ix`."""
        return await self.wait_until(lambda: ix.modal, f"a modal for interaction {ix.id}", within)

    async def next_dm(
        self,
        who: Who,
        *,
        where: Callable[[Message], bool] | None = None,
        within: float = DEFAULT_WITHIN,
    ) -> Message:
        """The next DM from the bot to `who` not yet returned by this waiter (dpytest-style)."""
        user = self.user(who)
        cursor = self._dm_cursor.get(user.id, 0)

        def check() -> Message | None:
            for message in self.world.dms_to(user.id):
                if message.id > cursor and (where is None or where(message)):
                    return message
            return None

        message = await self.wait_until(check, f"a DM to {user.name}", within)
        self._dm_cursor[user.id] = message.id
        return message

    def dms(self, who: Who) -> list[Message]:
        """Every DM the bot has sent to `who` so far, oldest first."""
        return self.world.dms_to(self.user(who).id)

    async def roles_of(
        self,
        who: Who,
        *,
        until: Callable[[set[int]], bool] | None = None,
        within: float = DEFAULT_WITHIN,
    ) -> set[int]:
        """The member's role ids, once `until(role_ids)` holds (at once without `until`)."""
        user = self.user(who)

        def check() -> tuple[set[int]] | None:
            member = self.world.member(user.id)
            roles = set(member.roles) if member else set()
            return (roles,) if until is None or until(roles) else None

        (roles,) = await self.wait_until(check, f"the roles of {user.name} to match", within)
        return roles

    async def has_role(
        self, who: Who, role: Role, present: bool = True, *, within: float = DEFAULT_WITHIN
    ) -> set[int]:
        """The member's role ids once they hold `role` (or, with present=False, no longer do)."""
        return await self.roles_of(
            who, until=lambda ids: (role.id in ids) == present, within=within
        )

    async def messages_in(
        self,
        channel: Channel,
        *,
        until: Callable[[list[Message]], bool] | None = None,
        within: float = DEFAULT_WITHIN,
    ) -> list[Message]:
        """The channel's visible messages, once `until(messages)` holds."""

        def check() -> tuple[list[Message]] | None:
            messages = self.world.channel_messages(channel.id)
            return (messages,) if until is None or until(messages) else None

        (found,) = await self.wait_until(check, f"messages in #{channel.name}", within)
        return found

    async def message_in(
        self,
        channel: Channel,
        where: Callable[[Message], bool],
        *,
        within: float = DEFAULT_WITHIN,
    ) -> Message:
        """The first visible message in the channel that satisfies `where`."""

        def check() -> Message | None:
            return next((m for m in self.world.channel_messages(channel.id) if where(m)), None)

        return await self.wait_until(check, f"a matching message in #{channel.name}", within)
