"""Drivers: what users and integrations do — commands, clicks, modals, messages, joins, roles."""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING, Any

import aiohttp

from demo.emulator import commands, payloads
from demo.emulator.messaging import publish, stored_embeds
from demo.emulator.state import (
    Channel,
    Interaction,
    Member,
    Message,
    Role,
    User,
    Webhook,
    World,
)

if TYPE_CHECKING:
    from demo.emulator.gateway import Gateway

Who = User | Member | str
_SELECTS = (3, 5, 6, 7, 8)  # string, user, role, mentionable, channel select


class Drivers:
    """Mixed into DiscordEmulator: each driver changes the world and tells the bot."""

    world: World
    gateway: Gateway
    interactions: dict[int, Interaction]
    base_url: str

    # -- who -------------------------------------------------------------------------

    def user(self, who: Who) -> User:
        if isinstance(who, Member):
            return who.user
        if isinstance(who, str):
            return self.world.user_named(who)
        return who

    def member(self, who: Who) -> Member:
        user = self.user(who)
        member = self.world.member(user.id)
        if member is None:
            raise LookupError(f"{user.name} is not a member of the emulated guild")
        return member

    # -- interactions ----------------------------------------------------------------

    async def _interact(
        self,
        who: Who,
        kind: int,
        data: dict[str, Any],
        channel: Channel | None,
        message: Message | None = None,
    ) -> Interaction:
        world = self.world
        member = self.member(who)
        if channel is None:
            channel = world.channel(message.channel_id) if message else world.shop_channel
        assert channel is not None
        ix = Interaction(
            id=world.ids.next(),
            token="aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48),
            type=kind,
            user=member.user,
            channel_id=channel.id,
            data=data,
            created_at=asyncio.get_running_loop().time(),
            message_id=message.id if message else None,
        )
        self.interactions[ix.id] = ix
        member_data = payloads.member(member)
        member_data["permissions"] = str(world.permissions_of(member.user.id))
        payload: dict[str, Any] = {
            "id": str(ix.id),
            "application_id": str(world.application_id),
            "type": kind,
            "data": data,
            "guild_id": str(world.guild.id),
            "channel_id": str(channel.id),
            "channel": payloads.channel(world, channel),
            "member": member_data,
            "token": ix.token,
            "version": 1,
            "app_permissions": str(world.permissions_of(world.bot.id)),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(world.guild.id)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = payloads.message(world, message, self.base_url)
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return ix

    async def slash(
        self, who: Who, command: str, *, channel: Channel | None = None, **options: Any
    ) -> Interaction:
        """`/command [group] [sub] option=value ...` as `who`; unknown names raise LookupError.

        Values: str/int/float/bool, a User/Member, Role or Channel, or (filename, bytes) for an
        attachment option; a choice may be given by its value or its name.
        """
        data = commands.chat_input_data(self.world, command, options, base_url=self.base_url)
        return await self._interact(who, 2, data, channel)

    async def autocomplete(
        self,
        who: Who,
        command: str,
        *,
        focused: str,
        channel: Channel | None = None,
        within: float = 5.0,
        **options: Any,
    ) -> list[dict[str, Any]]:
        """Types into option `focused` and returns the choices the bot offered."""
        data = commands.chat_input_data(
            self.world, command, options, focused=focused, base_url=self.base_url
        )
        ix = await self._interact(who, 4, data, channel)
        await self.world.changed.wait_for(
            lambda: ix.choices is not None, within, f"autocomplete choices for /{command}"
        )
        return ix.choices or []

    async def user_command(self, who: Who, name: str, target: Who) -> Interaction:
        user = self.user(target)
        resolved: dict[str, Any] = {"users": {str(user.id): payloads.user(user)}}
        member = self.world.member(user.id)
        if member is not None:
            resolved["members"] = {str(user.id): payloads.member(member, with_user=False)}
        data = commands.context_menu_data(
            self.world, name, commands.USER_COMMAND, {"id": str(user.id)}, resolved
        )
        return await self._interact(who, 2, data, None)

    async def message_command(self, who: Who, name: str, message: Message) -> Interaction:
        rendered = payloads.message(self.world, message, self.base_url)
        data = commands.context_menu_data(
            self.world,
            name,
            commands.MESSAGE_COMMAND,
            {"id": str(message.id)},
            {"messages": {str(message.id): rendered}},
        )
        channel = self.world.channel(message.channel_id)
        return await self._interact(who, 2, data, channel)

    def _component(self, message: Message | int, custom_id: str) -> tuple[Message, dict[str, Any]]:
        found = self.world.messages.get(message if isinstance(message, int) else message.id)
        if found is None or found.deleted:
            raise LookupError(f"message {message!r} does not exist")
        component = found.find_component(custom_id)
        if component is None:
            raise LookupError(
                f"no component {custom_id!r} on the message; has {found.custom_ids()}"
            )
        if component.get("disabled"):
            raise LookupError(f"component {custom_id!r} is disabled")
        return found, component

    async def click(self, who: Who, message: Message | int, custom_id: str) -> Interaction:
        """Clicks the button `custom_id` on `message` as `who`."""
        found, component = self._component(message, custom_id)
        if component.get("type") != 2:
            raise LookupError(f"component {custom_id!r} is not a button")
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(who, 3, data, None, found)

    async def select(
        self, who: Who, message: Message | int, custom_id: str, values: list[str]
    ) -> Interaction:
        """Chooses `values` in the select menu `custom_id` (option values or ids)."""
        found, component = self._component(message, custom_id)
        kind = component.get("type")
        if kind not in _SELECTS:
            raise LookupError(f"component {custom_id!r} is not a select menu")
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not low <= len(values) <= high:
            raise LookupError(f"select {custom_id!r} takes {low} to {high} values")
        if kind == 3:
            offered = [o["value"] for o in component.get("options", [])]
            unknown = [v for v in values if v not in offered]
            if unknown:
                raise LookupError(f"select {custom_id!r} has no option {unknown}; has {offered}")
        data = {"custom_id": custom_id, "component_type": kind, "values": values}
        return await self._interact(who, 3, data, None, found)

    async def submit_modal(
        self, who: Who, shown: Interaction, values: dict[str, str]
    ) -> Interaction:
        """Fills and submits the modal the bot showed in answer to `shown`."""
        modal = shown.modal
        if modal is None:
            raise LookupError("the bot did not answer that interaction with a modal")
        rows: list[dict[str, Any]] = []
        seen: set[str] = set()

        def answer(component: dict[str, Any]) -> dict[str, Any]:
            custom_id = component["custom_id"]
            seen.add(custom_id)
            if custom_id not in values and component.get("required", True):
                raise LookupError(f"modal field {custom_id!r} is required")
            entry = {
                "type": component["type"],
                "id": component.get("id", 0),
                "custom_id": custom_id,
            }
            if component["type"] == 4:
                entry["value"] = values.get(custom_id, "")
            else:
                entry["values"] = list(values.get(custom_id, []))
            return entry

        for row in modal.get("components", []):
            if row.get("type") == 1:
                inner = [answer(c) for c in row.get("components", [])]
                rows.append({"type": 1, "components": inner})
            elif row.get("type") == 18:
                rows.append({"type": 18, "component": answer(row["component"])})
        unknown = set(values) - seen
        if unknown:
            raise LookupError(f"modal has no field {sorted(unknown)}; has {sorted(seen)}")
        data = {"custom_id": modal["custom_id"], "components": rows}
        message = self.world.messages.get(shown.message_id or 0)
        channel = self.world.channel(shown.channel_id)
        return await self._interact(who, 5, data, channel, message)

    # -- messages, webhooks, members, roles ------------------------------------------

    async def say(
        self,
        who: Who,
        channel: Channel,
        content: str = "",
        *,
        embeds: list[dict[str, Any]] | None = None,
    ) -> Message:
        """A member posts a plain message in a guild channel."""
        message = Message(
            id=self.world.ids.next(),
            channel_id=channel.id,
            author=self.user(who),
            content=content,
            embeds=stored_embeds(embeds or []),
        )
        self.world.messages[message.id] = message
        await publish(self, message)  # type: ignore[arg-type]
        return message

    def create_webhook(self, channel: Channel, name: str = "Store notifications") -> Webhook:
        hook = Webhook(
            id=self.world.ids.next(),
            token=secrets.token_urlsafe(48),
            channel_id=channel.id,
            name=name,
        )
        self.world.webhooks[hook.id] = hook
        return hook

    async def post_webhook(
        self,
        channel: Channel | Webhook,
        *,
        content: str = "",
        embeds: list[dict[str, Any]] | None = None,
        username: str | None = None,
    ) -> Message:
        """An integration posts through a channel webhook, over HTTP like a real store would."""
        hook = channel if isinstance(channel, Webhook) else self.create_webhook(channel)
        body: dict[str, Any] = {"content": content, "embeds": embeds or []}
        if username:
            body["username"] = username
        url = f"{self.base_url}/api/v10/webhooks/{hook.id}/{hook.token}?wait=true"
        async with aiohttp.ClientSession() as session, session.post(url, json=body) as response:
            data = await response.json(content_type=None)
            if response.status != 200:
                raise AssertionError(f"webhook post refused: {response.status} {data}")
        return self.world.messages[int(data["id"])]

    async def join(self, who: Who) -> Member:
        """A user joins the guild (GUILD_MEMBER_ADD)."""
        user = self.user(who)
        member = Member(user=user)
        self.world.guild.members[user.id] = member
        await self.gateway.dispatch("GUILD_MEMBER_ADD", payloads.member_event(self.world, member))
        return member

    async def leave(self, who: Who) -> None:
        """A member leaves the guild (GUILD_MEMBER_REMOVE); fetching them now gives 10007."""
        member = self.member(who)
        del self.world.guild.members[member.user.id]
        await self.gateway.dispatch(
            "GUILD_MEMBER_REMOVE",
            {"guild_id": str(self.world.guild.id), "user": payloads.user(member.user)},
        )

    async def create_role(self, name: str, position: int, permissions: int = 0) -> Role:
        """An admin adds a role at `position`; roles at or above it move up (GUILD_ROLE_*)."""
        world = self.world
        moved = [r for r in world.guild.roles.values() if r.position >= position and r.position]
        role = Role(id=world.ids.next(), name=name, position=position, permissions=permissions)
        world.guild.roles[role.id] = role
        await self.gateway.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(world.guild.id), "role": payloads.role(role)}
        )
        for other in moved:
            other.position += 1
            await self.update_role(other)
        return role

    async def update_role(self, role: Role, **changes: Any) -> Role:
        for key, value in changes.items():
            setattr(role, key, value)
        await self.gateway.dispatch(
            "GUILD_ROLE_UPDATE", {"guild_id": str(self.world.guild.id), "role": payloads.role(role)}
        )
        return role

    async def delete_role(self, role: Role) -> None:
        del self.world.guild.roles[role.id]
        for member in self.world.guild.members.values():
            if role.id in member.roles:
                member.roles.remove(role.id)
        await self.gateway.dispatch(
            "GUILD_ROLE_DELETE", {"guild_id": str(self.world.guild.id), "role_id": str(role.id)}
        )
