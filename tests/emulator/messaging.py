"""Creating and editing messages from request bodies, with Discord's limits, and announcing them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.emulator import payloads
from tests.emulator.state import Attachment, Message, User, now_iso
from tests.emulator.wire import DiscordError, UploadedFile, invalid_form

if TYPE_CHECKING:
    from tests.emulator.server import DiscordEmulator

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
_EMBED_LIMITS = {"title": 256, "description": 4096}
_SETTABLE_FLAGS = (1 << 2) | (1 << 6) | (1 << 12) | (1 << 15)  # suppress embeds/ephemeral/...


def _embed_length(embed: dict[str, Any]) -> int:
    total = len((embed.get("title") or "").strip()) + len((embed.get("description") or "").strip())
    for item in embed.get("fields") or []:
        total += len(str(item.get("name", "")).strip()) + len(str(item.get("value", "")).strip())
    total += len(((embed.get("footer") or {}).get("text") or "").strip())
    total += len(((embed.get("author") or {}).get("name") or "").strip())
    return total


def stored_embeds(embeds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Embeds as Discord returns them: typed ("rich" unless given), every field inline or not."""
    stored = []
    for embed in embeds:
        copy = {"type": "rich", **embed}
        if "fields" in copy:
            copy["fields"] = [{"inline": False, **item} for item in copy["fields"]]
        stored.append(copy)
    return stored


def check_embeds(embeds: list[dict[str, Any]]) -> None:
    """400 50035 for anything beyond resources/message.mdx "Embed Limits"."""
    if len(embeds) > EMBEDS_MAX:
        raise invalid_form("embeds", f"Must be {EMBEDS_MAX} or fewer in length.")
    for index, embed in enumerate(embeds):
        for key, limit in _EMBED_LIMITS.items():
            if len((embed.get(key) or "").strip()) > limit:
                raise invalid_form(f"embeds.{index}.{key}", f"Must be {limit} or fewer in length.")
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise invalid_form(f"embeds.{index}.fields", "Must be 25 or fewer in length.")
        for number, item in enumerate(fields):
            if len(str(item.get("name", ""))) > 256 or len(str(item.get("value", ""))) > 1024:
                raise invalid_form(f"embeds.{index}.fields.{number}", "Field too long.")
            if not str(item.get("name", "")).strip() or not str(item.get("value", "")).strip():
                raise invalid_form(
                    f"embeds.{index}.fields.{number}",
                    "This field is required",
                    "BASE_TYPE_REQUIRED",
                )
    if sum(_embed_length(e) for e in embeds) > EMBED_TOTAL_MAX:
        raise invalid_form("embeds", f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}")


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
    content = body.get("content") or ""
    if len(content) > CONTENT_MAX:
        raise invalid_form("content", f"Must be {CONTENT_MAX} or fewer in length.")
    embeds = body.get("embeds") or []
    check_embeds(embeds)
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
    if "content" in body:
        content = body["content"] or ""
        if len(content) > CONTENT_MAX:
            raise invalid_form("content", f"Must be {CONTENT_MAX} or fewer in length.")
        message.content = content
    if "embeds" in body:
        embeds = body["embeds"] or []
        check_embeds(embeds)
        message.embeds = stored_embeds(embeds)
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
