"""REST routes for the bot's identity: users, gateway discovery, application and its commands."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from demo.emulator import payloads
from demo.emulator.wire import (
    API_PREFIX,
    BODY,
    DiscordError,
    emulator_of,
    int_param,
    not_found,
    reply,
)

routes = web.RouteTableDef()


@routes.get(API_PREFIX + "/users/@me")
async def get_current_user(request: web.Request) -> web.Response:
    return reply(payloads.current_user(emulator_of(request).world.bot))


@routes.get(API_PREFIX + "/users/{user_id}")
async def get_user(request: web.Request) -> web.Response:
    world = emulator_of(request).world
    found = world.users.get(int_param(request, "user_id"))
    if found is None:
        raise not_found(10013, "User")
    return reply(payloads.user(found))


@routes.get(API_PREFIX + "/gateway")
async def get_gateway(request: web.Request) -> web.Response:
    return reply({"url": emulator_of(request).gateway.url()})


@routes.get(API_PREFIX + "/gateway/bot")
async def get_gateway_bot(request: web.Request) -> web.Response:
    return reply(
        {
            "url": emulator_of(request).gateway.url(),
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }
    )


@routes.get(API_PREFIX + "/oauth2/applications/@me")
async def get_application(request: web.Request) -> web.Response:
    return reply(payloads.application(emulator_of(request).world))


def _check_application(request: web.Request) -> None:
    if int_param(request, "application_id") != emulator_of(request).world.application_id:
        raise not_found(10002, "Application")


def _store_commands(
    request: web.Request, guild_id: int | None, body: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Replaces the command list like Discord's bulk overwrite; a command keeps its id by name."""
    world = emulator_of(request).world
    previous = {(c["name"], c.get("type", 1)): c for c in world.command_tree(guild_id)}
    stored: list[dict[str, Any]] = []
    for command in body:
        kind = command.get("type", 1)
        old = previous.get((command["name"], kind))
        entry = {
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            **command,
            "type": kind,
            "id": old["id"] if old else str(world.ids.next()),
            "application_id": str(world.application_id),
            "version": str(world.ids.next()),
        }
        if guild_id is not None:
            entry["guild_id"] = str(guild_id)
        stored.append(entry)
    world.commands[guild_id] = stored
    world.commands_put.add(guild_id)
    return stored


@routes.get(API_PREFIX + "/applications/{application_id}/commands")
async def get_global_commands(request: web.Request) -> web.Response:
    _check_application(request)
    return reply(emulator_of(request).world.command_tree(None))


@routes.put(API_PREFIX + "/applications/{application_id}/commands")
async def put_global_commands(request: web.Request) -> web.Response:
    _check_application(request)
    return reply(_store_commands(request, None, request[BODY] or []))


def _guild_scope(request: web.Request) -> int:
    _check_application(request)
    guild_id = int_param(request, "guild_id")
    if guild_id != emulator_of(request).world.guild.id:
        raise DiscordError(403, 50001, "Missing Access")
    return guild_id


@routes.get(API_PREFIX + "/applications/{application_id}/guilds/{guild_id}/commands")
async def get_guild_commands(request: web.Request) -> web.Response:
    guild_id = _guild_scope(request)
    return reply(emulator_of(request).world.command_tree(guild_id))


@routes.put(API_PREFIX + "/applications/{application_id}/guilds/{guild_id}/commands")
async def put_guild_commands(request: web.Request) -> web.Response:
    guild_id = _guild_scope(request)
    return reply(_store_commands(request, guild_id, request[BODY] or []))
