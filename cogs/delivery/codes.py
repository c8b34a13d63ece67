"""The deliver_codes job: DM the buyer their codes, or fall back to a private thread.

Codes are decrypted here, sent, and dropped; they are never logged, never put in a
channel or thread, and never part of an error message.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import disnake

from cogs.delivery.dm_channels import dm_channels
from cogs.delivery.messages import codes_message, fallback_notice
from cogs.delivery.once import job_nonce, send_once
from cogs.delivery.outcomes import CANNOT_DM, UNKNOWN_CHANNEL, UNKNOWN_MEMBER, JobRetry
from models.orders.delivery import (
    DeliveryOrder,
    delivery_order_and_ciphertexts,
    dms_closed,
    fallback_thread_id,
    no_buyer_to_dm,
    order_codes_sent,
    remember_fallback_thread,
)
from models.stock.queries import decrypt_codes

if TYPE_CHECKING:
    from bot import Stockroom

log = logging.getLogger(__name__)

THREAD_ARCHIVE_MINUTES = 10080  # a week: long enough for the buyer to read it


async def deliver_codes(bot: Stockroom, payload: dict[str, Any]) -> str:
    """Runs one deliver_codes job (payload plus its job_id); returns what happened, for the log."""
    order, ciphertexts = await delivery_order_and_ciphertexts(int(payload["order_id"]))
    if order is None:
        return "skipped: the order no longer exists"
    if not order.entitled:
        return f"skipped: order {order.number} is {order.status.value}"
    if not order.delivers_codes:
        return f"skipped: order {order.number} has no codes"
    if order.discord_id is None:
        await no_buyer_to_dm(order)
        return f"order {order.number} has no Discord user; flagged"
    resend = bool(payload.get("resend"))
    if order.dms_closed and not resend:
        # Discord counts failed DMs toward its invalid-request limit: don't try again
        # until the buyer asks for a resend.
        await _fall_back(bot, order)
        return f"order {order.number}: DMs known to be closed; fallback used"
    codes = decrypt_codes(ciphertexts, bot.cipher)
    del ciphertexts
    if len(codes) < order.quantity:
        raise JobRetry(
            f"order {order.number} holds {len(codes)} of {order.quantity} codes; "
            "waiting for the order core to reserve the rest"
        )
    embed, file = codes_message(
        order, codes, file_threshold=bot.settings.dm_file_threshold, resend=resend
    )
    del codes
    try:
        await _send_dm(bot, order.discord_id, job_nonce(int(payload["job_id"])), embed, file)
    except disnake.Forbidden as exc:
        if exc.code != CANNOT_DM:
            raise
        await _fall_back(bot, order)
        return f"order {order.number}: DMs closed; fallback used"
    await order_codes_sent(order)
    how = "as a file" if file is not None else "in the embed"
    return f"order {order.number}: {order.quantity} code(s) sent by DM {how}"


async def _send_dm(
    bot: Stockroom, user_id: int, nonce: str, embed: disnake.Embed, file: disnake.File | None
) -> None:
    """Sends into the buyer's kept DM channel; a channel Discord calls unknown is reopened once.

    The nonce is keyed by the job, so a run repeated after a crash gets Discord's first
    message back instead of a second DM.
    """
    channels = dm_channels(bot)
    channel_id = await channels.channel_id(user_id)
    try:
        await send_once(bot, disnake.Object(channel_id), nonce, embed=embed, file=file)
        return
    except disnake.NotFound as exc:
        if exc.code != UNKNOWN_CHANNEL:
            raise
        channels.forget(user_id, channel_id)
    log.info("DM channel %s of user %s is unknown to Discord; reopening it", channel_id, user_id)
    reopened = await channels.channel_id(user_id)
    if file is not None:
        file.reset()  # an in-memory file: send_once left it open, rewound here
    await send_once(bot, disnake.Object(reopened), nonce, embed=embed, file=file)


async def _fall_back(bot: Stockroom, order: DeliveryOrder) -> None:
    """Flags the order, tells admins, and tells the buyer in a private thread (never codes)."""
    channel_id = bot.settings.discord.fallback_channel_id
    if channel_id:
        note = f"A private thread in <#{channel_id}> tells them how to get the codes."
    else:
        note = "FALLBACK_CHANNEL_ID is not set, so nobody told them in the server."
    await dms_closed(order, fallback_note=note)
    if not channel_id:
        log.warning("order %s: buyer's DMs are closed and no fallback channel is set", order.number)
        return
    thread = await _buyer_thread(bot, channel_id, order)
    mention_buyer = disnake.AllowedMentions(
        everyone=False, roles=False, users=[disnake.Object(order.discord_id)]
    )
    await thread.send(fallback_notice(order), allowed_mentions=mention_buyer)


async def _buyer_thread(bot: Stockroom, channel_id: int, order: DeliveryOrder) -> disnake.Thread:
    """The buyer's private fallback thread: the one made before, or a new one with them in it."""
    assert order.discord_id is not None
    known = await fallback_thread_id(order.discord_id)
    if known is not None:
        try:
            thread = bot.get_channel(known) or await bot.fetch_channel(known)
        except disnake.NotFound:
            thread = None
        if isinstance(thread, disnake.Thread) and not thread.locked:
            return thread
        await remember_fallback_thread(order.discord_id, None)
    try:
        parent = bot.get_channel(channel_id) or await bot.fetch_channel(channel_id)
    except disnake.NotFound as exc:
        raise JobRetry(
            f"FALLBACK_CHANNEL_ID {channel_id} is not a channel the bot can see (code {exc.code})"
        ) from exc
    if not isinstance(parent, disnake.TextChannel):
        raise JobRetry(f"FALLBACK_CHANNEL_ID {channel_id} is not a text channel")
    thread = await parent.create_thread(
        name=f"Delivery help · order {order.number}",
        type=disnake.ChannelType.private_thread,
        invitable=False,
        auto_archive_duration=THREAD_ARCHIVE_MINUTES,
        reason=f"Stockroom: DMs closed for order {order.number}",
    )
    try:
        await thread.add_user(disnake.Object(order.discord_id))
    except disnake.NotFound as exc:
        if exc.code != UNKNOWN_MEMBER and exc.code != UNKNOWN_CHANNEL:
            raise
        log.info("order %s: buyer is not in the server; thread made anyway", order.number)
    await remember_fallback_thread(order.discord_id, thread.id)
    return thread
