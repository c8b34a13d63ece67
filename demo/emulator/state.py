"""The emulated Discord world: users, one guild with roles, members, channels and messages."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

DISCORD_EPOCH_MS = 1_420_070_400_000
T = TypeVar("T")


class Perm:
    """Permission bits used by the emulator (topics/permissions)."""

    ADMINISTRATOR = 1 << 3
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    MANAGE_THREADS = 1 << 34
    CREATE_PRIVATE_THREADS = 1 << 36
    SEND_MESSAGES_IN_THREADS = 1 << 38
    ALL = (1 << 51) - 1


EVERYONE_PERMS = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.ADD_REACTIONS
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.SEND_MESSAGES_IN_THREADS
)
BOT_PERMS = (
    EVERYONE_PERMS
    | Perm.MANAGE_ROLES
    | Perm.MANAGE_MESSAGES
    | Perm.MANAGE_THREADS
    | Perm.CREATE_PRIVATE_THREADS
    | Perm.MANAGE_WEBHOOKS
)


class AppFlag:
    """Application flags for privileged intents (resources/application "Application Flags")."""

    GATEWAY_PRESENCE_LIMITED = 1 << 13
    GUILD_MEMBERS_LIMITED = 1 << 15
    MESSAGE_CONTENT_LIMITED = 1 << 19


class ChannelType:
    GUILD_TEXT = 0
    DM = 1
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12


class EmulatorTimeout(AssertionError):
    """A waiter gave up; the message names what it was waiting for."""


class Signal:
    """Wakes every waiter when the world changes; waiters re-check their condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait_for(self, check: Callable[[], T], within: float, what: str) -> T:
        """Returns check()'s first truthy result; raises EmulatorTimeout after `within` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            event = self._event
            result = check()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise EmulatorTimeout(f"timed out after {within}s waiting for {what}")
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                continue


class Snowflakes:
    """Discord-shaped ids: milliseconds since the Discord epoch, then an increment."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def next(self) -> int:
        millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (millis << 22) | (next(self._counter) & 0x3FFFFF)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class User:
    id: int
    name: str
    bot: bool = False
    dms_open: bool = True


@dataclass
class Role:
    id: int
    name: str
    position: int
    permissions: int = 0
    color: int = 0
    bot_id: int | None = None


@dataclass
class Member:
    user: User
    roles: list[int] = field(default_factory=list)
    joined_at: str = field(default_factory=now_iso)
    nick: str | None = None


@dataclass
class Channel:
    id: int
    type: int
    name: str | None = None
    guild_id: int | None = None
    parent_id: int | None = None
    recipient_id: int | None = None
    owner_id: int | None = None
    position: int = 0
    thread_members: set[int] = field(default_factory=set)


@dataclass
class Attachment:
    id: int
    filename: str
    content: bytes
    content_type: str = "application/octet-stream"

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


@dataclass
class Message:
    id: int
    channel_id: int
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    webhook_id: int | None = None
    interaction_id: int | None = None
    message_reference: dict[str, Any] | None = None
    nonce: str | int | None = None  # echoed in the create reply and MESSAGE_CREATE
    reactions: dict[str, set[int]] = field(default_factory=dict)
    timestamp: str = field(default_factory=now_iso)
    edited_timestamp: str | None = None
    deleted: bool = False

    EPHEMERAL = 1 << 6
    LOADING = 1 << 7

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & self.EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & self.LOADING)

    def custom_ids(self) -> list[str]:
        """Every component custom_id in the message, depth first."""
        found: list[str] = []

        def walk(items: list[dict[str, Any]]) -> None:
            for item in items:
                if "custom_id" in item:
                    found.append(item["custom_id"])
                walk(item.get("components", []))
                if "accessory" in item:
                    walk([item["accessory"]])

        walk(self.components)
        return found

    def find_component(self, custom_id: str) -> dict[str, Any] | None:
        stack = list(self.components)
        while stack:
            item = stack.pop(0)
            if item.get("custom_id") == custom_id:
                return item
            stack.extend(item.get("components", []))
            if "accessory" in item:
                stack.append(item["accessory"])
        return None


@dataclass
class Webhook:
    id: int
    token: str
    channel_id: int
    name: str


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)


class World:
    """Everything the emulated Discord knows, with the default shop server already built."""

    def __init__(self) -> None:
        self.ids = Snowflakes()
        self.changed = Signal()
        self.token = "emulator." + secrets.token_urlsafe(24)
        self.users: dict[int, User] = {}
        self.messages: dict[int, Message] = {}
        self.webhooks: dict[int, Webhook] = {}
        self.uploads: dict[int, Attachment] = {}  # files attached to command options
        self.dm_channels: dict[int, Channel] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.commands_put: set[int | None] = set()
        self.bot = self.add_user("Stockroom", bot=True)
        self.application_id = self.bot.id
        # Privileged intents switched on in the Developer Portal: members and message content.
        self.application_flags = AppFlag.GUILD_MEMBERS_LIMITED | AppFlag.MESSAGE_CONTENT_LIMITED
        self.owner = self.add_user("owen")
        self.admin = self.add_user("ada")
        self.alice = self.add_user("alice")
        self.bob = self.add_user("bob")
        self.carol = self.add_user("carol", dms_open=False)
        self.dave = self.add_user("dave")
        gid = self.ids.next()
        self.guild = Guild(id=gid, name="Stockroom Test Shop", owner_id=self.owner.id)
        g = self.guild
        self.everyone = self._role(gid, "@everyone", 0, EVERYONE_PERMS)
        self.customer_role = self._role(self.ids.next(), "Customer", 1)
        self.admin_role = self._role(self.ids.next(), "Shop Admin", 2, Perm.MANAGE_GUILD)
        self.bot_role = self._role(self.ids.next(), "Stockroom", 3, BOT_PERMS)
        self.bot_role.bot_id = self.bot.id
        self.moderator_role = self._role(self.ids.next(), "Moderator", 4, Perm.MANAGE_MESSAGES)
        self.shop_channel = self.add_channel("shop")
        self.orders_channel = self.add_channel("orders")
        self.admin_channel = self.add_channel("admin-alerts")
        self.fallback_channel = self.add_channel("delivery-fallback")
        for user in (self.bot, self.owner, self.admin, self.alice, self.bob, self.carol):
            g.members[user.id] = Member(user=user)
        g.members[self.bot.id].roles.append(self.bot_role.id)
        g.members[self.admin.id].roles.append(self.admin_role.id)

    # -- construction -------------------------------------------------------------------

    def _role(self, role_id: int, name: str, position: int, perms: int = 0) -> Role:
        role = Role(id=role_id, name=name, position=position, permissions=perms)
        self.guild.roles[role.id] = role
        return role

    def add_user(self, name: str, *, bot: bool = False, dms_open: bool = True) -> User:
        user = User(id=self.ids.next(), name=name, bot=bot, dms_open=dms_open)
        self.users[user.id] = user
        return user

    def add_channel(self, name: str, *, kind: int = ChannelType.GUILD_TEXT) -> Channel:
        channel = Channel(
            id=self.ids.next(),
            type=kind,
            name=name,
            guild_id=self.guild.id,
            position=len(self.guild.channels),
        )
        self.guild.channels[channel.id] = channel
        return channel

    # -- look-ups -----------------------------------------------------------------------

    def user_named(self, name: str) -> User:
        for user in self.users.values():
            if user.name == name:
                return user
        raise KeyError(f"no emulated user named {name!r}")

    def member(self, user_id: int) -> Member | None:
        return self.guild.members.get(user_id)

    def channel(self, channel_id: int) -> Channel | None:
        return self.guild.channels.get(channel_id) or self.dm_channels.get(channel_id)

    def dm_channel_for(self, user_id: int) -> Channel:
        """The DM channel between the bot and a user, created on first use like Discord."""
        for channel in self.dm_channels.values():
            if channel.recipient_id == user_id:
                return channel
        channel = Channel(id=self.ids.next(), type=ChannelType.DM, recipient_id=user_id)
        self.dm_channels[channel.id] = channel
        return channel

    def channel_messages(self, channel_id: int) -> list[Message]:
        """Visible messages of a channel, oldest first (ephemeral and deleted ones excluded)."""
        return sorted(
            (
                m
                for m in self.messages.values()
                if m.channel_id == channel_id and not m.deleted and not m.ephemeral
            ),
            key=lambda m: m.id,
        )

    def dms_to(self, user_id: int) -> list[Message]:
        """Messages the bot sent into its DM channel with a user, oldest first."""
        channel = next((c for c in self.dm_channels.values() if c.recipient_id == user_id), None)
        if channel is None:
            return []
        return [m for m in self.channel_messages(channel.id) if m.author.id == self.bot.id]

    def top_role_position(self, user_id: int) -> int:
        member = self.member(user_id)
        if member is None:
            return -1
        return max((self.guild.roles[r].position for r in member.roles), default=0)

    def permissions_of(self, user_id: int) -> int:
        """Guild-level permissions of a member (no channel overwrites are modelled)."""
        if user_id == self.guild.owner_id:
            return Perm.ALL
        member = self.member(user_id)
        if member is None:
            return 0
        value = self.everyone.permissions
        for role_id in member.roles:
            value |= self.guild.roles[role_id].permissions
        return Perm.ALL if value & Perm.ADMINISTRATOR else value

    def command_tree(self, guild_id: int | None) -> list[dict[str, Any]]:
        return self.commands.get(guild_id, [])


@dataclass
class Interaction:
    """One interaction a driver sent, and everything the bot answered to it."""

    id: int
    token: str
    type: int  # 2 command, 3 component, 4 autocomplete, 5 modal submit
    user: User
    channel_id: int
    data: dict[str, Any]
    created_at: float
    message_id: int | None = None  # the message a component sits on
    response_type: int | None = None
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    modal: dict[str, Any] | None = None
    choices: list[dict[str, Any]] | None = None
