"""REST routes for the guild: guild and roles, members and their roles, channels and threads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from demo.emulator import payloads
from demo.emulator.state import Channel, ChannelType, Member, Perm, now_iso
from demo.emulator.wire import (
    API_PREFIX,
    BODY,
    DiscordError,
    emulator_of,
    int_param,
    invalid_form,
    no_content,
    not_found,
    reply,
)

if TYPE_CHECKING:
    from demo.emulator.server import DiscordEmulator

routes = web.RouteTableDef()
MISSING_PERMISSIONS = 50013


def _guild(request: web.Request) -> int:
    guild_id = int_param(request, "guild_id")
    if guild_id != emulator_of(request).world.guild.id:
        raise not_found(10004, "Guild")
    return guild_id


def _member(request: web.Request) -> Member:
    _guild(request)
    member = emulator_of(request).world.member(int_param(request, "user_id"))
    if member is None:
        raise not_found(10007, "Member")
    return member


def check_can_manage_role(emulator: DiscordEmulator, role_id: int) -> None:
    """403 50013 unless the bot has Manage Roles and the role sits below its highest role."""
    world = emulator.world
    role = world.guild.roles.get(role_id)
    if role is None:
        raise not_found(10011, "Role")
    if not world.permissions_of(world.bot.id) & Perm.MANAGE_ROLES:
        raise DiscordError(403, MISSING_PERMISSIONS, "Missing Permissions")
    if role.position >= world.top_role_position(world.bot.id) or role.bot_id is not None:
        raise DiscordError(403, MISSING_PERMISSIONS, "Missing Permissions")


async def set_roles(emulator: DiscordEmulator, member: Member, roles: list[int]) -> None:
    """Changes a member's roles and tells the bot with GUILD_MEMBER_UPDATE."""
    if roles == member.roles:
        return
    member.roles = roles
    await emulator.gateway.dispatch(
        "GUILD_MEMBER_UPDATE", payloads.member_event(emulator.world, member)
    )


@routes.get(API_PREFIX + "/guilds/{guild_id}")
async def get_guild(request: web.Request) -> web.Response:
    _guild(request)
    world = emulator_of(request).world
    data = payloads.guild(world)
    if request.query.get("with_counts") == "true":
        data["approximate_member_count"] = len(world.guild.members)
        data["approximate_presence_count"] = 0
    return reply(data)


@routes.get(API_PREFIX + "/guilds/{guild_id}/roles")
async def get_roles(request: web.Request) -> web.Response:
    _guild(request)
    world = emulator_of(request).world
    return reply([payloads.role(r) for r in world.guild.roles.values()])


@routes.get(API_PREFIX + "/guilds/{guild_id}/members")
async def list_members(request: web.Request) -> web.Response:
    _guild(request)
    world = emulator_of(request).world
    limit = int(request.query.get("limit", "1"))
    after = int(request.query.get("after", "0"))
    members = sorted(world.guild.members.values(), key=lambda m: m.user.id)
    chosen = [m for m in members if m.user.id > after][:limit]
    return reply([payloads.member(m) for m in chosen])


@routes.get(API_PREFIX + "/guilds/{guild_id}/members/{user_id}")
async def get_member(request: web.Request) -> web.Response:
    return reply(payloads.member(_member(request)))


@routes.patch(API_PREFIX + "/guilds/{guild_id}/members/{user_id}")
async def edit_member(request: web.Request) -> web.Response:
    emulator = emulator_of(request)
    member = _member(request)
    body = request[BODY] or {}
    if "roles" in body:
        wanted = [int(r) for r in body["roles"] or []]
        for role_id in set(wanted) ^ set(member.roles):
            check_can_manage_role(emulator, role_id)
        await set_roles(emulator, member, list(dict.fromkeys(wanted)))
    if "nick" in body:
        member.nick = body["nick"]
        await emulator.gateway.dispatch(
            "GUILD_MEMBER_UPDATE", payloads.member_event(emulator.world, member)
        )
    return reply(payloads.member(member))


@routes.put(API_PREFIX + "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
async def add_member_role(request: web.Request) -> web.Response:
    emulator = emulator_of(request)
    member = _member(request)
    role_id = int_param(request, "role_id")
    check_can_manage_role(emulator, role_id)
    if role_id not in member.roles:
        await set_roles(emulator, member, [*member.roles, role_id])
    return no_content()


@routes.delete(API_PREFIX + "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
async def remove_member_role(request: web.Request) -> web.Response:
    emulator = emulator_of(request)
    member = _member(request)
    role_id = int_param(request, "role_id")
    check_can_manage_role(emulator, role_id)
    await set_roles(emulator, member, [r for r in member.roles if r != role_id])
    return no_content()


def channel_or_404(request: web.Request) -> Channel:
    channel = emulator_of(request).world.channel(int_param(request, "channel_id"))
    if channel is None:
        raise not_found(10003, "Channel")
    return channel


@routes.get(API_PREFIX + "/channels/{channel_id}")
async def get_channel(request: web.Request) -> web.Response:
    world = emulator_of(request).world
    return reply(payloads.channel(world, channel_or_404(request)))


@routes.post(API_PREFIX + "/channels/{channel_id}/threads")
async def start_thread(request: web.Request) -> web.Response:
    """A thread without a starter message (a private one for buyers whose DMs are closed)."""
    emulator = emulator_of(request)
    world = emulator.world
    parent = channel_or_404(request)
    body = request[BODY] or {}
    kind = int(body.get("type", ChannelType.PRIVATE_THREAD))
    if parent.type != ChannelType.GUILD_TEXT:
        raise invalid_form("type", "Threads need a text channel as parent.")
    needed = Perm.CREATE_PRIVATE_THREADS if kind == ChannelType.PRIVATE_THREAD else 0
    if needed and not world.permissions_of(world.bot.id) & needed:
        raise DiscordError(403, MISSING_PERMISSIONS, "Missing Permissions")
    thread = Channel(
        id=world.ids.next(),
        type=kind,
        name=str(body.get("name", ""))[:100],
        guild_id=world.guild.id,
        parent_id=parent.id,
        owner_id=world.bot.id,
        thread_members={world.bot.id},
    )
    world.guild.channels[thread.id] = thread
    data = payloads.channel(world, thread)
    await emulator.gateway.dispatch("THREAD_CREATE", {**data, "newly_created": True})
    return reply(data, 201)


@routes.put(API_PREFIX + "/channels/{channel_id}/thread-members/{user_id}")
async def add_thread_member(request: web.Request) -> web.Response:
    emulator = emulator_of(request)
    world = emulator.world
    thread = channel_or_404(request)
    if thread.type not in (ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD):
        raise DiscordError(400, 50024, "Cannot execute action on this channel type")
    user_id = int_param(request, "user_id")
    if world.member(user_id) is None:
        raise not_found(10007, "Member")
    if user_id not in thread.thread_members:
        thread.thread_members.add(user_id)
        await emulator.gateway.dispatch(
            "THREAD_MEMBERS_UPDATE",
            {
                "id": str(thread.id),
                "guild_id": str(world.guild.id),
                "member_count": len(thread.thread_members),
                "added_members": [
                    {
                        "id": str(thread.id),
                        "user_id": str(user_id),
                        "join_timestamp": now_iso(),
                        "flags": 0,
                    }
                ],
            },
        )
    return no_content()
