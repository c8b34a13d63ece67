"""Creating and editing messages from request bodies, with Discord's limits, and announcing them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from demo.emulator import limits, payloads
from demo.emulator.state import Attachment, Message, User, now_iso
from demo.emulator.wire import DiscordError, FormErrors, UploadedFile

if TYPE_CHECKING:
    from demo.emulator.server import DiscordEmulator

_SETTABLE_FLAGS = (1 << 2) | (1 << 6) | (1 << 12) | (1 << 15)  # suppress embeds/ephemeral/...
NONCE_MAX = 25
# resources/message.mdx, enforce_nonce: a nonce is checked for uniqueness "in the past few
# minutes". Tests may shorten DiscordEmulator.nonce_window to see it lapse.
NONCE_WINDOW = 300.0


def stored_embeds(embeds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Embeds as Discord returns them: typed ("rich" unless given), every field inline or not."""
    stored = []
    for embed in embeds:
        copy = {"type": "rich", **embed}
        if "fields" in copy:
            copy["fields"] = [{"inline": False, **item} for item in copy["fields"]]
        stored.append(copy)
    return stored


def check_body(body: dict[str, Any], flags: int) -> None:
    """400 50035 with every field error when content, embeds or components break a limit."""
    errors = FormErrors()
    if "content" in body:
        limits.check_content(errors, body["content"])
    if "embeds" in body:
        limits.check_embeds(errors, body["embeds"] or [])
    if "components" in body:
        limits.check_components(errors, body["components"] or [], flags)
    errors.raise_any()


def check_nonce(body: dict[str, Any]) -> str | int | None:
    """The body's nonce (an integer, or a string of up to 25 characters), or 400 50035."""
    nonce = body.get("nonce")
    if nonce is None or (isinstance(nonce, int) and not isinstance(nonce, bool)):
        return nonce
    errors = FormErrors()
    if not isinstance(nonce, str):
        errors.add("nonce", "Only strings and integers are accepted.", "NONCE_TYPE_INVALID")
    else:
        errors.too_long("nonce", nonce, NONCE_MAX)
    errors.raise_any()
    return nonce


def _nonce_key(channel_id: int, author: User, nonce: str | int) -> tuple[int, int, str]:
    return (channel_id, author.id, str(nonce))


def message_for_nonce(
    emulator: DiscordEmulator, channel_id: int, author: User, nonce: str | int, now: float
) -> Message | None:
    """The message this author created with this nonce in the channel within the window."""
    found = emulator.nonces.get(_nonce_key(channel_id, author, nonce))
    if found is None or now - found[1] > emulator.nonce_window:
        return None
    message = emulator.world.messages.get(found[0])
    return message if message is not None and not message.deleted else None


def remember_nonce(emulator: DiscordEmulator, message: Message, now: float) -> None:
    if message.nonce is not None:
        key = _nonce_key(message.channel_id, message.author, message.nonce)
        emulator.nonces[key] = (message.id, now)


def _attachments(
    emulator: DiscordEmulator, body: dict[str, Any], files: list[UploadedFile]
) -> list[Attachment]:
    described = {str(a.get("id")): a for a in body.get("attachments") or []}
    found: list[Attachment] = []
    for upload in files:
        meta = described.get(str(upload.index), {})
        found.append(
            Attachment(
                id=emulator.world.ids.next(),
                filename=meta.get("filename") or upload.filename,
                content=upload.content,
                content_type=upload.content_type,
            )
        )
    return found


def build_message(
    emulator: DiscordEmulator,
    channel_id: int,
    author: User,
    body: dict[str, Any] | None,
    files: list[UploadedFile],
    **extra: Any,
) -> Message:
    """A stored message from a create body; raises DiscordError like Discord would."""
    body = body or {}
    check_body(body, int(body.get("flags") or 0))
    content = body.get("content") or ""
    embeds = body.get("embeds") or []
    components = body.get("components") or []
    attachments = _attachments(emulator, body, files)
    if not (content or embeds or components or attachments or body.get("sticker_ids")):
        raise DiscordError(400, 50006, "Cannot send an empty message")
    message = Message(
        id=emulator.world.ids.next(),
        channel_id=channel_id,
        author=author,
        content=content,
        embeds=stored_embeds(embeds),
        components=components,
        attachments=attachments,
        flags=int(body.get("flags") or 0) & _SETTABLE_FLAGS,
        message_reference=body.get("message_reference"),
        **extra,
    )
    emulator.world.messages[message.id] = message
    return message


def edit_message(
    emulator: DiscordEmulator,
    message: Message,
    body: dict[str, Any] | None,
    files: list[UploadedFile],
) -> Message:
    """Applies an edit body: only the keys present change, as in PATCH semantics."""
    body = body or {}
    flags = message.flags if body.get("flags") is None else int(body["flags"])
    check_body(body, flags)
    if "content" in body:
        message.content = body["content"] or ""
    if "embeds" in body:
        message.embeds = stored_embeds(body["embeds"] or [])
    if "components" in body:
        message.components = body["components"] or []
    if "attachments" in body:
        kept = {str(a.get("id")) for a in body["attachments"] or [] if "id" in a}
        message.attachments = [a for a in message.attachments if str(a.id) in kept]
    message.attachments.extend(_attachments(emulator, body, files))
    if "flags" in body and body["flags"] is not None:
        message.flags = (message.flags & ~_SETTABLE_FLAGS) | (int(body["flags"]) & _SETTABLE_FLAGS)
    message.flags &= ~Message.LOADING
    message.edited_timestamp = now_iso()
    return message


async def publish(
    emulator: DiscordEmulator, message: Message, event: str = "MESSAGE_CREATE"
) -> None:
    """Tells the bot about a message (ephemeral ones are never dispatched) and wakes waiters."""
    if not message.ephemeral:
        data = payloads.message_event(emulator.world, message, emulator.base_url)
        await emulator.gateway.dispatch(event, data)
    emulator.world.changed.fire()


def render(emulator: DiscordEmulator, message: Message) -> dict[str, Any]:
    return payloads.message(emulator.world, message, emulator.base_url)
