"""Discord API v10 JSON shapes of the emulated objects, as REST and the gateway send them."""

from __future__ import annotations

from typing import Any

from demo.emulator.state import (
    Attachment,
    Channel,
    ChannelType,
    Member,
    Message,
    Role,
    User,
    Webhook,
    World,
    now_iso,
)


def user(u: User) -> dict[str, Any]:
    return {
        "id": str(u.id),
        "username": u.name,
        "global_name": None if u.bot else u.name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": u.bot,
        "system": False,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
        "primary_guild": None,
    }


def current_user(u: User) -> dict[str, Any]:
    """GET /users/@me: the user plus the account fields only its owner sees."""
    return {**user(u), "mfa_enabled": False, "locale": "en-US", "verified": True}


def role(r: Role) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(r.id),
        "name": r.name,
        "description": None,
        "color": r.color,
        "colors": {"primary_color": r.color, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": r.bot_id is not None,
        "mentionable": False,
        "flags": 0,
    }
    if r.bot_id is not None:
        payload["tags"] = {"bot_id": str(r.bot_id)}
    return payload


def member(m: Member, *, with_user: bool = True) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "roles": [str(r) for r in m.roles],
        "joined_at": m.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        payload["user"] = user(m.user)
    return payload


def channel(world: World, c: Channel) -> dict[str, Any]:
    payload: dict[str, Any] = {"id": str(c.id), "type": c.type, "last_message_id": None}
    if c.type == ChannelType.DM:
        payload["recipients"] = [user(world.users[c.recipient_id or 0])]
        payload["flags"] = 0
        return payload
    payload.update(
        guild_id=str(c.guild_id),
        name=c.name,
        position=c.position,
        permission_overwrites=[],
        nsfw=False,
        rate_limit_per_user=0,
        flags=0,
        parent_id=str(c.parent_id) if c.parent_id else None,
    )
    if c.type in (ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD):
        payload.update(
            owner_id=str(c.owner_id),
            member_count=len(c.thread_members),
            message_count=0,
            total_message_sent=0,
            thread_metadata={
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": now_iso(),
                "locked": False,
                "invitable": False,
                "create_timestamp": now_iso(),
            },
        )
    else:
        payload["topic"] = None
    return payload


def attachment(base_url: str, message: Message, a: Attachment) -> dict[str, Any]:
    url = f"{base_url}/attachments/{message.channel_id}/{a.id}/{a.filename}"
    return {
        "id": str(a.id),
        "filename": a.filename,
        "size": len(a.content),
        "url": url,
        "proxy_url": url,
        "content_type": a.content_type,
    }


def message(world: World, m: Message, base_url: str) -> dict[str, Any]:
    c = world.channel(m.channel_id)
    payload: dict[str, Any] = {
        "id": str(m.id),
        "channel_id": str(m.channel_id),
        "author": user(m.author),
        "content": m.content,
        "timestamp": m.timestamp,
        "edited_timestamp": m.edited_timestamp,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [attachment(base_url, m, a) for a in m.attachments],
        "embeds": m.embeds,
        "components": m.components,
        "reactions": [
            {
                "count": len(users),
                "count_details": {"burst": 0, "normal": len(users)},
                "me": world.bot.id in users,
                "me_burst": False,
                "burst_colors": [],
                "emoji": {"id": None, "name": emoji},
            }
            for emoji, users in m.reactions.items()
            if users
        ],
        "pinned": False,
        "type": m.type,
        "flags": m.flags,
    }
    if m.webhook_id is not None:
        payload["webhook_id"] = str(m.webhook_id)
    if m.message_reference is not None:
        payload["message_reference"] = m.message_reference
    if m.nonce is not None:
        payload["nonce"] = m.nonce
    if m.interaction_id is not None:
        payload["application_id"] = str(world.application_id)
    if c is not None and c.guild_id is not None:
        payload["guild_id"] = str(c.guild_id)
    return payload


def message_event(world: World, m: Message, base_url: str) -> dict[str, Any]:
    """MESSAGE_CREATE/UPDATE data: the message plus the author's partial member in guilds."""
    payload = message(world, m, base_url)
    author = world.member(m.author.id)
    if "guild_id" in payload and author is not None and m.webhook_id is None:
        payload["member"] = member(author, with_user=False)
    return payload


def guild(world: World) -> dict[str, Any]:
    g = world.guild
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(g.owner_id),
        "region": "deprecated",
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": [role(r) for r in g.roles.values()],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "max_members": 500000,
        "vanity_url_code": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "nsfw": False,
        "home_header": None,
        "widget_enabled": False,
        "widget_channel_id": None,
        "max_presences": None,
        "max_stage_video_channel_users": 50,
        "max_video_channel_users": 25,
        "incidents_data": None,
    }


def guild_create(world: World) -> dict[str, Any]:
    """GUILD_CREATE data: the guild plus members, channels and the other gateway-only keys."""
    payload = guild(world)
    g = world.guild
    payload.update(
        joined_at=g.members[world.bot.id].joined_at,
        large=False,
        unavailable=False,
        member_count=len(g.members),
        members=[member(m) for m in g.members.values()],
        channels=[
            channel(world, c)
            for c in g.channels.values()
            if c.type not in (ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD)
        ],
        threads=[
            channel(world, c)
            for c in g.channels.values()
            if c.type in (ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD)
        ],
        presences=[],
        voice_states=[],
        stage_instances=[],
        guild_scheduled_events=[],
        soundboard_sounds=[],
    )
    return payload


def member_event(world: World, m: Member) -> dict[str, Any]:
    """GUILD_MEMBER_ADD/UPDATE data."""
    return {**member(m), "guild_id": str(world.guild.id)}


def application(world: World) -> dict[str, Any]:
    return {
        "id": str(world.application_id),
        "name": world.bot.name,
        "icon": None,
        "description": "Stockroom under test",
        "summary": "",
        "type": None,
        "bot_public": False,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": world.application_flags,
        "owner": user(world.owner),
        "team": None,
        "bot": user(world.bot),
        "flags_new": str(world.application_flags),
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
        "eligible_oauth2_scopes": [],
    }


def webhook(w: Webhook, guild_id: int) -> dict[str, Any]:
    return {
        "id": str(w.id),
        "type": 1,
        "guild_id": str(guild_id),
        "channel_id": str(w.channel_id),
        "name": w.name,
        "avatar": None,
        "token": w.token,
        "application_id": None,
    }
