"""Prints what a person would see in Discord: message text, embeds, buttons, files."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from demo.emulator.state import Message

INDENT = "    "
_MENTION = re.compile(r"<@&?(\d+)>")
_TIMESTAMP = re.compile(r"<t:(\d+)(?::[tTdDfFR])?>")


def _names(world: Any) -> dict[int, str]:
    users = {user.id: f"@{user.name}" for user in world.users.values()}
    roles = {role.id: f"@{role.name}" for role in world.guild.roles.values()}
    return {**users, **roles}


class Screen:
    """Writes the journey to a stream, with Discord mentions shown as @names."""

    def __init__(self, world: Any, out: TextIO | None = None) -> None:
        self.world = world
        self.out = out or sys.stdout

    def line(self, text: str = "", depth: int = 0) -> None:
        names = _names(self.world)
        text = _MENTION.sub(lambda m: names.get(int(m.group(1)), m.group(0)), text)
        text = _TIMESTAMP.sub(_when, text)
        for part in text.splitlines() or [""]:
            self.out.write(f"{INDENT * depth}{part}\n")
        self.out.flush()

    def heading(self, number: int, title: str) -> None:
        self.line()
        self.line(f"== Step {number}: {title}")

    def message(self, label: str, message: Message, depth: int = 1) -> None:
        """One message: who sent it where, its text, embeds, components and attachments."""
        private = " (only you can see this)" if message.ephemeral else ""
        self.line(f"[{label}]{private}", depth)
        if message.content:
            self.line(message.content, depth + 1)
        for embed in message.embeds:
            self.embed(embed, depth + 1)
        for attachment in message.attachments:
            self.line(f"📎 {attachment.filename} ({len(attachment.content)} bytes)", depth + 1)
        controls = [_control(c) for row in message.components for c in row.get("components", [])]
        if controls:
            self.line("  ".join(controls), depth + 1)

    def embed(self, embed: dict[str, Any], depth: int) -> None:
        if embed.get("title"):
            self.line(f"┃ {embed['title']}", depth)
        if embed.get("description"):
            self.line(embed["description"], depth + 1)
        for field in embed.get("fields", []):
            self.line(f"{field['name']}: {field['value']}", depth + 1)
        footer = (embed.get("footer") or {}).get("text")
        if footer:
            self.line(f"— {footer}", depth + 1)

    def ok(self, text: str) -> None:
        self.line(f"✔ {text}", 1)


def _when(match: re.Match[str]) -> str:
    """A Discord timestamp tag as the UTC time it stands for."""
    moment = datetime.fromtimestamp(int(match.group(1)), UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _control(component: dict[str, Any]) -> str:
    kind = component.get("type")
    if kind == 2:
        label = component.get("label") or component.get("emoji", {}).get("name") or "?"
        link = f" → {component['url']}" if component.get("url") else ""
        return f"[{label}{link}]"
    options = ", ".join(o.get("label", "?") for o in component.get("options", []))
    placeholder = component.get("placeholder") or "choose"
    return f"<{placeholder}: {options}>" if options else f"<{placeholder}>"
