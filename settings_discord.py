"""The [discord] section of the configuration: the bot token, the guild's ids, the trusted
webhooks and the pace toward Discord's global limit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from settings_reader import Reader

DEFAULT_DISCORD_API_BASE = "https://discord.com/api/v10"


@dataclass(frozen=True)
class DiscordConfig:
    token: str
    guild_id: int
    orders_channel_id: int
    admin_channel_id: int
    fallback_channel_id: int
    customer_role_id: int
    admin_role_id: int
    api_base: str
    trusted_webhook_ids: tuple[int, ...] = ()
    # The bot's own pace toward Discord's global limit; 0: a REST proxy paces every process.
    requests_per_second: int = 50


def _discord_token(reader: Reader) -> str:
    token = reader.secret("DISCORD_APP_TOKEN")
    if not token:
        reader.problems.append("DISCORD_APP_TOKEN: missing; set it in .env (Discord bot token)")
    elif any(c.isspace() for c in token):
        reader.problems.append("DISCORD_APP_TOKEN: must not contain spaces")
    return token


def _is_snowflake(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 << 22 <= value < 1 << 64


def _trusted_webhook_ids(reader: Reader) -> tuple[int, ...]:
    """The webhooks whose orders-channel embeds are acted on; none trusted when empty.

    TRUSTED_WEBHOOK_IDS (ids separated by commas) replaces discord.trusted_webhook_ids.
    """
    listed = reader.env.get("TRUSTED_WEBHOOK_IDS", "").strip()
    if listed:
        parts = [part.strip() for part in listed.split(",")]
        if not all(re.fullmatch(r"\d{1,20}", part) and _is_snowflake(int(part)) for part in parts):
            reader.problems.append(
                "TRUSTED_WEBHOOK_IDS: expected Discord webhook ids separated by commas, "
                f"got {listed!r}"
            )
            return ()
        return tuple(dict.fromkeys(int(part) for part in parts))
    trusted = reader.toml.get("discord", {}).get("trusted_webhook_ids", [])
    if not isinstance(trusted, list) or not all(_is_snowflake(i) for i in trusted):
        reader.problems.append(
            "discord.trusted_webhook_ids: expected a list of Discord webhook ids"
        )
        return ()
    return tuple(dict.fromkeys(trusted))


def read_discord(reader: Reader) -> DiscordConfig:
    r = reader
    token = _discord_token(r)
    trusted = _trusted_webhook_ids(r)
    discord = DiscordConfig(
        token=token,
        guild_id=r.snowflake("discord.guild_id", "GUILD_ID"),
        orders_channel_id=r.snowflake("discord.orders_channel_id", "ORDERS_CHANNEL_ID"),
        admin_channel_id=r.snowflake("discord.admin_channel_id", "ADMIN_CHANNEL_ID"),
        fallback_channel_id=r.snowflake("discord.fallback_channel_id", "FALLBACK_CHANNEL_ID"),
        customer_role_id=r.snowflake("discord.customer_role_id", "CUSTOMER_ROLE_ID"),
        admin_role_id=r.snowflake("discord.admin_role_id", "ADMIN_ROLE_ID"),
        api_base=r.url("discord.api_base", DEFAULT_DISCORD_API_BASE, "DISCORD_API_BASE"),
        trusted_webhook_ids=trusted,
        requests_per_second=r.integer(
            "discord.requests_per_second", 50, "DISCORD_REQUESTS_PER_SECOND", low=0, high=10_000
        ),
    )
    for name, value in (
        ("GUILD_ID", discord.guild_id),
        ("ORDERS_CHANNEL_ID", discord.orders_channel_id),
        ("ADMIN_CHANNEL_ID", discord.admin_channel_id),
        ("FALLBACK_CHANNEL_ID", discord.fallback_channel_id),
        ("CUSTOMER_ROLE_ID", discord.customer_role_id),
    ):
        if value == 0:
            r.warnings.append(f"{name}: not set (0); the features that need it stay off")
    if discord.orders_channel_id and not trusted:
        r.warnings.append(
            "discord.trusted_webhook_ids: empty, so order embeds in the orders channel are "
            "not acted on; list your storefront webhook's id there (or in TRUSTED_WEBHOOK_IDS)"
        )
    return discord
