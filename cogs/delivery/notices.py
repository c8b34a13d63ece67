"""The notify_admin and update_storefront jobs: telling people and systems.

Feed embeds are posted by cogs.delivery.feed, several to a message.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import disnake

from cogs.delivery.messages import admin_embed
from cogs.delivery.outcomes import JobParked, JobRetry
from models.orders.delivery import delivery_order
from models.outbox.alerts import AdminAlert
from webhooks.ecwid import update_storefront as update_ecwid_fulfilment
from webhooks.errors import ProviderUnavailable

if TYPE_CHECKING:
    from bot import Stockroom

log = logging.getLogger(__name__)
NO_MENTIONS = disnake.AllowedMentions.none()


async def text_channel(bot: Stockroom, channel_id: int, setting: str) -> disnake.abc.Messageable:
    try:
        channel = bot.get_channel(channel_id) or await bot.fetch_channel(channel_id)
    except disnake.NotFound as exc:
        raise JobParked(f"{setting} {channel_id} is not a channel the bot can see") from exc
    if not isinstance(channel, disnake.abc.Messageable):
        raise JobParked(f"{setting} {channel_id} is not a channel messages can be sent to")
    return channel


async def notify_admin(bot: Stockroom, payload: dict[str, Any]) -> str:
    """Posts an alert for the admins; only logged when ADMIN_CHANNEL_ID is not set."""
    alert = AdminAlert.from_payload(payload)
    channel_id = bot.settings.discord.admin_channel_id
    if not channel_id:
        log.warning("admin alert (ADMIN_CHANNEL_ID not set): %s — %s", alert.title, alert.message)
        return "skipped: ADMIN_CHANNEL_ID is not set"
    number = None
    if alert.order_id is not None:
        order = await delivery_order(alert.order_id)
        number = order.number if order is not None else None
    channel = await text_channel(bot, channel_id, "ADMIN_CHANNEL_ID")
    await channel.send(embed=admin_embed(alert, number), allowed_mentions=NO_MENTIONS)
    return f"admin alert posted: {alert.title}"


async def update_storefront(bot: Stockroom, payload: dict[str, Any]) -> str:
    """Tells the storefront the order was fulfilled (Ecwid is the one storefront so far)."""
    provider = payload.get("provider")
    if provider != "ecwid":
        raise JobParked(f"no storefront update for provider {provider!r}")
    settings = bot.settings
    if not settings.ecwid.enabled:
        return "skipped: Ecwid is not configured"
    if bot.http_session is None:
        raise JobRetry("the HTTP session is not open yet")
    external_id = str(payload["external_id"])
    status = str(payload.get("fulfillment_status", "DELIVERED"))
    try:
        return await update_ecwid_fulfilment(settings, bot.http_session, external_id, status)
    except ProviderUnavailable as exc:
        raise JobRetry(str(exc)) from exc
