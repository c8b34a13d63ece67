"""REST routes for interaction callbacks, follow-ups, original responses and webhook execution."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiohttp import web

from demo.emulator import limits
from demo.emulator.messaging import build_message, edit_message, publish, render
from demo.emulator.state import Interaction, Message, User
from demo.emulator.wire import (
    API_PREFIX,
    BODY,
    FILES,
    DiscordError,
    FormErrors,
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
RESPONSE_WINDOW = 3.0  # seconds to send the initial response (receiving-and-responding)
COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, CHOICES, MODAL = 4, 5, 6, 7, 8, 9
_ALLOWED = {
    COMMAND: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    COMPONENT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, MODAL},
    AUTOCOMPLETE: {CHOICES},
    MODAL_SUBMIT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE},
}


def _interaction(emulator: DiscordEmulator, interaction_id: int, token: str) -> Interaction:
    found = emulator.interactions.get(interaction_id)
    if found is None or found.token != token:
        raise not_found(10062, "interaction")
    return found


@routes.post(API_PREFIX + "/interactions/{interaction_id}/{interaction_token}/callback")
async def callback(request: web.Request) -> web.Response:
    emulator = emulator_of(request)
    world = emulator.world
    ix = _interaction(
        emulator, int_param(request, "interaction_id"), request.match_info["interaction_token"]
    )
    if ix.response_type is not None:
        raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
    if asyncio.get_running_loop().time() - ix.created_at > RESPONSE_WINDOW:
        raise not_found(10062, "interaction")
    body = request[BODY] or {}
    kind = int(body.get("type", 0))
    if kind not in _ALLOWED[ix.type] or (kind in (UPDATE, DEFERRED_UPDATE) and not ix.message_id):
        raise invalid_form("type", f"Response type {kind} is not valid for this interaction.")
    data = body.get("data") or {}
    if kind == MESSAGE:
        message = build_message(
            emulator,
            ix.channel_id,
            world.bot,
            data,
            request[FILES],
            type=20 if ix.type == COMMAND else 0,
            interaction_id=ix.id,
            webhook_id=world.application_id,
        )
        ix.original_id = message.id
        ix.response_type = kind
        await publish(emulator, message)
    elif kind == DEFERRED_MESSAGE:
        message = Message(
            id=world.ids.next(),
            channel_id=ix.channel_id,
            author=world.bot,
            flags=Message.LOADING | (int(data.get("flags") or 0) & Message.EPHEMERAL),
            type=20 if ix.type == COMMAND else 0,
            interaction_id=ix.id,
            webhook_id=world.application_id,
        )
        world.messages[message.id] = message
        ix.original_id = message.id
        ix.response_type = kind
        await publish(emulator, message)
    elif kind == UPDATE:
        message = world.messages[ix.message_id or 0]
        edit_message(emulator, message, data, request[FILES])
        ix.original_id = message.id
        ix.response_type = kind
        await publish(emulator, message, "MESSAGE_UPDATE")
    else:
        if kind == CHOICES:
            ix.choices = list(data.get("choices") or [])
        elif kind == MODAL:
            errors = FormErrors()
            limits.check_modal(errors, data)
            errors.raise_any()
            ix.modal = data
        ix.response_type = kind
        world.changed.fire()
    return no_content()


def _interaction_by_token(emulator: DiscordEmulator, token: str) -> Interaction:
    for ix in emulator.interactions.values():
        if ix.token == token:
            return ix
    raise not_found(10015, "Webhook")


@routes.post(API_PREFIX + "/webhooks/{webhook_id}/{webhook_token}")
async def execute(request: web.Request) -> web.Response:
    """Interaction follow-ups (application id + token) and channel webhooks alike."""
    emulator = emulator_of(request)
    world = emulator.world
    webhook_id = int_param(request, "webhook_id")
    token = request.match_info["webhook_token"]
    body = request[BODY] or {}
    if webhook_id == world.application_id:
        ix = _interaction_by_token(emulator, token)
        if ix.response_type is None:
            raise not_found(10015, "Webhook")
        message = build_message(
            emulator, ix.channel_id, world.bot, body, request[FILES], webhook_id=webhook_id
        )
        message.interaction_id = ix.id
        ix.followup_ids.append(message.id)
        await publish(emulator, message)
        return reply(render(emulator, message))
    hook = world.webhooks.get(webhook_id)
    if hook is None or hook.token != token:
        raise not_found(10015, "Webhook")
    if body.get("flags") and int(body["flags"]) & Message.EPHEMERAL:
        raise invalid_form("flags", "Webhooks cannot send ephemeral messages.")
    author = User(id=hook.id, name=str(body.get("username") or hook.name), bot=True)
    message = build_message(
        emulator, hook.channel_id, author, body, request[FILES], webhook_id=hook.id
    )
    await publish(emulator, message)
    if request.query.get("wait") == "true":
        return reply(render(emulator, message))
    return no_content()


def _webhook_message(request: web.Request) -> Message:
    emulator = emulator_of(request)
    world = emulator.world
    webhook_id = int_param(request, "webhook_id")
    token = request.match_info["webhook_token"]
    target = request.match_info.get("message_id", "@original")
    if webhook_id == world.application_id:
        ix = _interaction_by_token(emulator, token)
        if target == "@original":
            message_id = ix.original_id
        elif target.isdigit() and int(target) in (*ix.followup_ids, ix.original_id):
            message_id = int(target)
        else:
            message_id = None
    else:
        hook = world.webhooks.get(webhook_id)
        if hook is None or hook.token != token:
            raise not_found(10015, "Webhook")
        message_id = int(target) if target.isdigit() else None
        found = world.messages.get(message_id or 0)
        if found is None or found.webhook_id != hook.id:
            message_id = None
    message = world.messages.get(message_id or 0)
    if message is None or message.deleted:
        raise not_found(10008, "Message")
    return message


_ORIGINAL = API_PREFIX + "/webhooks/{webhook_id}/{webhook_token}/messages/@original"
_BY_ID = API_PREFIX + "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"


@routes.get(_BY_ID)
@routes.get(_ORIGINAL)
async def get_webhook_message(request: web.Request) -> web.Response:
    return reply(render(emulator_of(request), _webhook_message(request)))


@routes.patch(_BY_ID)
@routes.patch(_ORIGINAL)
async def edit_webhook_message(request: web.Request) -> web.Response:
    emulator = emulator_of(request)
    message = _webhook_message(request)
    edit_message(emulator, message, request[BODY], request[FILES])
    await publish(emulator, message, "MESSAGE_UPDATE")
    return reply(render(emulator, message))


@routes.delete(_BY_ID)
@routes.delete(_ORIGINAL)
async def delete_webhook_message(request: web.Request) -> web.Response:
    emulator = emulator_of(request)
    message = _webhook_message(request)
    message.deleted = True
    if not message.ephemeral:
        await emulator.gateway.dispatch(
            "MESSAGE_DELETE",
            {
                "id": str(message.id),
                "channel_id": str(message.channel_id),
                "guild_id": str(emulator.world.guild.id),
            },
        )
    return no_content()
