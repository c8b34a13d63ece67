"""Who may press an /admin button, and the audit row each admin action leaves."""

from __future__ import annotations

from typing import Any

import disnake

from cogs.admin.cog import NotShopAdmin, is_shop_admin
from models.audit.actions import record_admin_action

# Options never copied into the audit trail: codes are secrets, files are kept by name only.
SECRET_OPTIONS = frozenset({"codes"})
TARGET_OPTIONS = (
    "order",
    "number",
    "job",
    "event",
    "product",
    "user",
    "customer",
    "channel",
    "coupon",
)


def require_admin(inter: disnake.Interaction) -> None:
    """Refuses a component click by someone who could not run /admin."""
    if not is_shop_admin(inter, inter.bot.settings.discord.admin_role_id):  # type: ignore[attr-defined]
        raise NotShopAdmin()


def _plain(value: Any) -> Any:
    """An option value as the audit trail keeps it: ids for Discord objects, names for files."""
    if isinstance(value, disnake.Attachment):
        return f"file:{value.filename}"
    if isinstance(value, disnake.abc.User):
        return f"user:{value.id}"
    if isinstance(value, disnake.abc.GuildChannel):
        return f"channel:{value.id}"
    if isinstance(value, disnake.Role):
        return f"role:{value.id}"
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def describe_options(options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(target, details) of a command's options, with the secret ones left out."""
    details = {k: _plain(v) for k, v in options.items() if k not in SECRET_OPTIONS}
    target = next((str(details[k]) for k in TARGET_OPTIONS if details.get(k) is not None), "")
    return target, details


async def audit(
    inter: disnake.Interaction,
    action: str,
    target: str = "",
    details: dict[str, Any] | None = None,
    *,
    outcome: str = "done",
) -> None:
    """Records what the admin behind `inter` did (for buttons; slash commands are automatic)."""
    await record_admin_action(inter.author.id, action, target, details, outcome=outcome)
