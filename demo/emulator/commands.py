"""Interaction data for a command, built from the command tree the bot registered by bulk PUT."""

from __future__ import annotations

from typing import Any

from demo.emulator import payloads
from demo.emulator.state import Attachment, Channel, Member, Role, User, World

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3


class CommandNotFound(LookupError):
    """The command, sub-command or option is not in what the bot registered."""


def find_command(world: World, name: str, kind: int) -> dict[str, Any]:
    tree = world.command_tree(world.guild.id) + world.command_tree(None)
    for command in tree:
        if command["name"] == name and command.get("type", CHAT_INPUT) == kind:
            return command
    known = ", ".join(sorted(c["name"] for c in tree if c.get("type", 1) == kind)) or "none"
    raise CommandNotFound(f"command {name!r} (type {kind}) is not registered; registered: {known}")


def _resolve(
    world: World,
    option: dict[str, Any],
    value: Any,
    resolved: dict[str, dict[str, Any]],
    base_url: str,
) -> Any:
    kind = option["type"]
    name = option["name"]
    if kind in (USER, MENTIONABLE) and isinstance(value, User | Member):
        user = value.user if isinstance(value, Member) else value
        resolved.setdefault("users", {})[str(user.id)] = payloads.user(user)
        member = world.member(user.id)
        if member is not None:
            entry = payloads.member(member, with_user=False)
            entry["permissions"] = str(world.permissions_of(user.id))
            resolved.setdefault("members", {})[str(user.id)] = entry
        return str(user.id)
    if kind in (ROLE, MENTIONABLE) and isinstance(value, Role):
        resolved.setdefault("roles", {})[str(value.id)] = payloads.role(value)
        return str(value.id)
    if kind == CHANNEL and isinstance(value, Channel):
        entry = payloads.channel(world, value)
        entry["permissions"] = str(world.permissions_of(world.bot.id))
        resolved.setdefault("channels", {})[str(value.id)] = entry
        return str(value.id)
    if kind == ATTACHMENT and isinstance(value, tuple):
        filename, content = value
        upload = Attachment(id=world.ids.next(), filename=filename, content=content)
        world.uploads[upload.id] = upload
        resolved.setdefault("attachments", {})[str(upload.id)] = {
            "id": str(upload.id),
            "filename": filename,
            "size": len(content),
            "url": f"{base_url}/attachments/0/{upload.id}/{filename}",
            "proxy_url": f"{base_url}/attachments/0/{upload.id}/{filename}",
            "content_type": upload.content_type,
        }
        return str(upload.id)
    if kind == BOOLEAN and isinstance(value, bool):
        return value
    if kind == STRING and isinstance(value, str):
        return value
    if kind == INTEGER and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == NUMBER and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise CommandNotFound(f"option {name!r} (type {kind}) cannot take {value!r}")


def _check_value(option: dict[str, Any], value: Any) -> Any:
    """Discord's own checks: a listed choice (by value or name), lengths and bounds."""
    name = option["name"]
    choices = option.get("choices") or []
    if choices:
        for choice in choices:
            if value in (choice["value"], choice["name"]):
                return choice["value"]
        listed = ", ".join(repr(c["value"]) for c in choices)
        raise CommandNotFound(f"option {name!r} has no choice {value!r}; choices: {listed}")
    if isinstance(value, str) and option["type"] == STRING:
        if not option.get("min_length", 0) <= len(value) <= option.get("max_length", 6000):
            raise CommandNotFound(f"option {name!r}: length of {value!r} out of range")
    if option["type"] in (INTEGER, NUMBER):
        low, high = option.get("min_value"), option.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise CommandNotFound(f"option {name!r}: {value!r} out of range")
    return value


def chat_input_data(
    world: World,
    path: str,
    options: dict[str, Any],
    *,
    focused: str | None = None,
    base_url: str = "",
) -> dict[str, Any]:
    """`data` of a slash command (or its autocomplete) like "shop buy" with named options."""
    names = path.split()
    command = find_command(world, names[0], CHAT_INPUT)
    data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": CHAT_INPUT}
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    node: dict[str, Any] = command
    container = data
    for name in names[1:]:
        sub = next(
            (
                o
                for o in node.get("options") or []
                if o["name"] == name and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)
            ),
            None,
        )
        if sub is None:
            raise CommandNotFound(f"/{' '.join(names)}: {name!r} is not a sub-command there")
        entry: dict[str, Any] = {"name": name, "type": sub["type"], "options": []}
        container.setdefault("options", []).append(entry)
        node, container = sub, entry
    declared = {o["name"]: o for o in node.get("options") or []}
    if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in declared.values()):
        subs = ", ".join(declared)
        raise CommandNotFound(f"/{' '.join(names)} needs a sub-command: {subs}")
    resolved: dict[str, dict[str, Any]] = {}
    given: list[dict[str, Any]] = []
    for name, value in options.items():
        option = declared.get(name)
        if option is None:
            known = ", ".join(declared) or "none"
            raise CommandNotFound(f"/{' '.join(names)} has no option {name!r}; options: {known}")
        if name == focused:
            given.append({"name": name, "type": option["type"], "value": value, "focused": True})
            continue
        raw = _resolve(world, option, value, resolved, base_url)
        given.append({"name": name, "type": option["type"], "value": _check_value(option, raw)})
    if focused is None:
        missing = [n for n, o in declared.items() if o.get("required") and n not in options]
        if missing:
            raise CommandNotFound(f"/{' '.join(names)} is missing required {missing}")
    elif focused not in declared or not declared[focused].get("autocomplete"):
        raise CommandNotFound(f"/{' '.join(names)}: option {focused!r} has no autocomplete")
    container["options"] = given
    if resolved:
        data["resolved"] = resolved
    return data


def context_menu_data(
    world: World, name: str, kind: int, target: dict[str, Any], resolved: dict[str, Any]
) -> dict[str, Any]:
    """`data` of a user or message command aimed at `target`."""
    command = find_command(world, name, kind)
    data = {
        "id": command["id"],
        "name": command["name"],
        "type": kind,
        "target_id": target["id"],
        "resolved": resolved,
    }
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    return data
