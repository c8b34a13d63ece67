"""REST routes for messages: create (JSON or multipart), history, edit, delete, reactions, DMs."""

from __future__ import annotations

import asyncio
from urllib.parse import unquote

from aiohttp import web

from demo.emulator import payloads
from demo.emulator.messaging import (
    build_message,
    check_nonce,
    edit_message,
    message_for_nonce,
    publish,
    remember_nonce,
    render,
)
from demo.emulator.routes_guild import channel_or_404
from demo.emulator.state import ChannelType, Message, Perm
from demo.emulator.wire import (
    API_PREFIX,
    BODY,
    FILES,
    DiscordError,
    emulator_of,
    int_param,
    invalid_form,
    no_content,
    not_found,
    reply,
)

routes = web.RouteTableDef()
CANNOT_DM = 50007


@routes.post(API_PREFIX + "/users/@me/channels")
async def open_dm(request: web.Request) -> web.Response:
    world = emulator_of(request).world
    body = request[BODY] or {}
    recipient = world.users.get(int(body.get("recipient_id", 0)))
    if recipient is None:
        raise not_found(10013, "User")
    return reply(payloads.channel(world, world.dm_channel_for(recipient.id)))


@routes.post(API_PREFIX + "/channels/{channel_id}/messages")
async def create_message(request: web.Request) -> web.Response:
    emulator = emulator_of(request)
    world = emulator.world
    channel = channel_or_404(request)
    if channel.type == ChannelType.DM:
        recipient = world.users[channel.recipient_id or 0]
        if not recipient.dms_open or recipient.bot:
            raise DiscordError(403, CANNOT_DM, "Cannot send messages to this user")
    elif not world.permissions_of(world.bot.id) & Perm.SEND_MESSAGES:
        raise DiscordError(403, 50013, "Missing Permissions")
    body = request[BODY] or {}
    if body.get("flags") and int(body["flags"]) & Message.EPHEMERAL:
        raise invalid_form("flags", "Ephemeral messages are only for interaction responses.")
    nonce = check_nonce(body)
    now = asyncio.get_running_loop().time()
    if nonce is not None and body.get("enforce_nonce"):
        # The same nonce again from the same author here, within the window: Discord answers
        # with the message it already created and creates nothing.
        existing = message_for_nonce(emulator, channel.id, world.bot, nonce, now)
        if existing is not None:
            return reply(render(emulator, existing))
    message = build_message(emulator, channel.id, world.bot, body, request[FILES], nonce=nonce)
    remember_nonce(emulator, message, now)
    await publish(emulator, message)
    return reply(render(emulator, message))


def _message(request: web.Request) -> Message:
    channel = channel_or_404(request)
    message = emulator_of(request).world.messages.get(int_param(request, "message_id"))
    if message is None or message.deleted or message.channel_id != channel.id or message.ephemeral:
        raise not_found(10008, "Message")
    return message


@routes.get(API_PREFIX + "/channels/{channel_id}/messages")
async def history(request: web.Request) -> web.Response:
    emulator = emulator_of(request)
    channel = channel_or_404(request)
    limit = int(request.query.get("limit", "50"))
    if not 1 <= limit <= 100:
        raise invalid_form("limit", "int value should be between 1 and 100.")
    messages = emulator.world.channel_messages(channel.id)
    if "before" in request.query:
        messages = [m for m in messages if m.id < int(request.query["before"])]
    if "after" in request.query:
        after = int(request.query["after"])
        messages = [m for m in messages if m.id > after][:limit]
    if "around" in request.query:
        around = int(request.query["around"])
        older = [m for m in messages if m.id <= around][-(limit // 2 + 1) :]
        newer = [m for m in messages if m.id > around][: limit - len(older)]
        messages = older + newer
    chosen = messages[-limit:]
    return reply([render(emulator, m) for m in reversed(chosen)])  # newest first, like Discord


@routes.get(API_PREFIX + "/channels/{channel_id}/messages/{message_id}")
async def get_message(request: web.Request) -> web.Response:
    return reply(render(emulator_of(request), _message(request)))


@routes.patch(API_PREFIX + "/channels/{channel_id}/messages/{message_id}")
async def edit(request: web.Request) -> web.Response:
    emulator = emulator_of(request)
    message = _message(request)
    if message.author.id != emulator.world.bot.id:
        raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
    edit_message(emulator, message, request[BODY], request[FILES])
    await publish(emulator, message, "MESSAGE_UPDATE")
    return reply(render(emulator, message))


@routes.delete(API_PREFIX + "/channels/{channel_id}/messages/{message_id}")
async def delete(request: web.Request) -> web.Response:
    emulator = emulator_of(request)
    world = emulator.world
    message = _message(request)
    own = message.author.id == world.bot.id
    if not own and not world.permissions_of(world.bot.id) & Perm.MANAGE_MESSAGES:
        raise DiscordError(403, 50013, "Missing Permissions")
    message.deleted = True
    data = {"id": str(message.id), "channel_id": str(message.channel_id)}
    channel = world.channel(message.channel_id)
    if channel is not None and channel.guild_id:
        data["guild_id"] = str(channel.guild_id)
    await emulator.gateway.dispatch("MESSAGE_DELETE", data)
    return no_content()


@routes.put(API_PREFIX + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
async def add_own_reaction(request: web.Request) -> web.Response:
    emulator = emulator_of(request)
    world = emulator.world
    message = _message(request)
    emoji = unquote(request.match_info["emoji"])
    if not emoji or (":" in emoji and not emoji.rsplit(":", 1)[1].isdigit()):
        raise DiscordError(400, 10014, "Unknown Emoji")
    users = message.reactions.setdefault(emoji, set())
    if world.bot.id not in users:
        users.add(world.bot.id)
        name, _, emoji_id = emoji.partition(":")
        data = {
            "user_id": str(world.bot.id),
            "channel_id": str(message.channel_id),
            "message_id": str(message.id),
            "emoji": {"id": emoji_id or None, "name": name},
            "burst": False,
            "type": 0,
        }
        channel = world.channel(message.channel_id)
        if channel is not None and channel.guild_id:
            data["guild_id"] = str(channel.guild_id)
        await emulator.gateway.dispatch("MESSAGE_REACTION_ADD", data)
    return no_content()


@routes.get("/attachments/{channel_id}/{attachment_id}/{filename}")
async def download_attachment(request: web.Request) -> web.Response:
    """The CDN side: attachment bytes, so the bot can read files users upload."""
    world = emulator_of(request).world
    wanted = int(request.match_info["attachment_id"])
    if wanted in world.uploads:
        item = world.uploads[wanted]
        return web.Response(body=item.content, content_type=item.content_type)
    for message in world.messages.values():
        for item in message.attachments:
            if item.id == wanted:
                return web.Response(body=item.content, content_type=item.content_type)
    raise web.HTTPNotFound
