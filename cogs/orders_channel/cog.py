"""The orders channel reader: applies order embeds a trusted webhook posts, and catches up.

A storefront relay (seed 000: Ecwid → PHP → a Discord webhook) posts one embed per order
change into the orders channel. Each such message becomes a PaymentEvent through the order
core, and gets a reaction: ✅ applied, ❌ rejected (the reason is logged). Messages from users,
from bots (our own feed posts included) and from interaction replies are never acted on.

Messages are handled one at a time, in order, by one worker task: live messages from the
gateway and, on every READY, the history the bot missed while it was away (after the last
message it read, oldest first). The order core's idempotency (one fact per message id) makes
reading a message twice harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

import disnake
from disnake.ext import commands

from cogs.leader import ORDERS_CHANNEL_CATCH_UP, leads
from models.orders.feed_embeds import (
    EmbedOutcome,
    apply_order_embed,
    is_order_embed,
    last_read_message_id,
    remember_read_message,
)

log = logging.getLogger(__name__)

APPLIED = "✅"
REJECTED = "❌"
# With no cursor yet (first start), look this far back for embeds posted before the bot came.
FIRST_START_LOOKBACK = timedelta(days=30)
CURSOR_SAVE_EVERY = 100
_CATCH_UP = object()


def embed_fields(embed: disnake.Embed) -> list[tuple[str, str]]:
    return [(field.name or "", field.value or "") for field in embed.fields]


class OrdersChannelReader(commands.Cog):
    """Reads order embeds in settings.discord.orders_channel_id."""

    def __init__(self, bot: commands.InteractionBot) -> None:
        self.bot = bot
        self.channel_id: int = bot.settings.discord.orders_channel_id
        self.trusted_webhooks = frozenset(bot.settings.discord.trusted_webhook_ids)
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        # Set after a message failed for a reason other than its content (e.g. the database
        # was unreachable): the cursor stays put so the next catch-up reads it again.
        self._cursor_held = False
        # Highest message id handled in this process, to skip live copies of history.
        self._seen_up_to = 0

    async def cog_load(self) -> None:
        if not self.channel_id:
            log.info("ORDERS_CHANNEL_ID not set: orders-channel embeds are not read")
            return
        self._worker = asyncio.create_task(self._work(), name="orders-channel-reader")
        self._worker.add_done_callback(_log_crash)
        self.bot.on_close(self._stop)

    def cog_unload(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    async def _stop(self) -> None:
        if self._worker is not None and not self._worker.done():
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker

    # -- who is trusted ------------------------------------------------------------------

    def is_trusted_order_post(self, message: disnake.Message) -> bool:
        """Posted into the orders channel by a storefront webhook (never a user or a bot)."""
        if message.channel.id != self.channel_id or message.webhook_id is None:
            return False
        if message.type is not disnake.MessageType.default:
            return False
        # Interaction replies (ours or another app's) also carry a webhook id.
        if message.interaction_metadata is not None or message.webhook_id in (
            self.bot.application_id,
            self.bot.user.id if self.bot.user else None,
        ):
            return False
        if self.trusted_webhooks:
            return message.webhook_id in self.trusted_webhooks
        # Without a list, trust only plain channel webhooks, not ones owned by an app.
        return message.application_id is None

    # -- intake --------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: disnake.Message) -> None:
        if self._worker is not None and self.is_trusted_order_post(message):
            self._queue.put_nowait(message)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        if self._worker is not None:
            self._queue.put_nowait(_CATCH_UP)

    async def _work(self) -> None:
        while True:
            item = await self._queue.get()
            try:
                if item is _CATCH_UP and await leads(self.bot, ORDERS_CHANNEL_CATCH_UP):
                    await self.catch_up()
                elif isinstance(item, disnake.Message) and item.id > self._seen_up_to:
                    await self._handle(item)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("orders-channel reader failed; it goes on with the next message")

    async def catch_up(self) -> int:
        """Reads what was posted since the last message read, oldest first; returns the count."""
        channel = self.bot.get_channel(self.channel_id)
        if not isinstance(channel, disnake.TextChannel):
            log.warning("orders channel %s is not a text channel the bot can see", self.channel_id)
            return 0
        self._cursor_held = False
        cursor = await last_read_message_id()
        after: disnake.abc.Snowflake | datetime
        if cursor is None:
            after = datetime.now(UTC) - FIRST_START_LOOKBACK
        else:
            after = disnake.Object(cursor)
        read = acted = 0
        unsaved: int | None = None
        async for message in channel.history(limit=None, after=after, oldest_first=True):
            read += 1
            if self.is_trusted_order_post(message):
                acted += await self._handle(message)
                unsaved = None
            else:
                # Other messages (our feed, chatter) only move the cursor, saved per page.
                self._seen_up_to = max(self._seen_up_to, message.id)
                unsaved = message.id
                if read % CURSOR_SAVE_EVERY == 0:
                    await self._advance(unsaved)
                    unsaved = None
        if unsaved is not None:
            await self._advance(unsaved)
        if read:
            log.info("orders channel caught up: %s message(s) read, %s order embed(s)", read, acted)
        return read

    async def _handle(self, message: disnake.Message) -> int:
        """Applies every order embed of one message and reacts; returns how many it had."""
        orders = [
            (index, embed_fields(embed))
            for index, embed in enumerate(message.embeds)
            if is_order_embed(embed_fields(embed))
        ]
        if not orders:
            await self._advance(message.id)
            return 0
        outcomes: list[EmbedOutcome] = []
        try:
            for index, fields in orders:
                outcomes.append(await apply_order_embed(message.id, fields, index))
        except Exception:
            self._cursor_held = True
            log.exception(
                "orders-channel message %s not applied; retried on next catch-up", message.id
            )
            return len(orders)
        for outcome in outcomes:
            if outcome.rejection is not None:
                log.warning(
                    "orders-channel message %s rejected: %s", message.id, outcome.rejection.reason
                )
            elif outcome.result is not None:
                result = outcome.result
                log.info(
                    "orders-channel message %s: order %s %s -> %s%s",
                    message.id,
                    result.order_number,
                    result.previous_status,
                    result.status.value,
                    "" if result.applied else " (already applied)",
                )
        accepted = all(outcome.applied for outcome in outcomes)
        await self._react(message, APPLIED if accepted else REJECTED)
        await self._advance(message.id)
        return len(orders)

    async def _react(self, message: disnake.Message, emoji: str) -> None:
        if any(r.me and str(r.emoji) == emoji for r in message.reactions):
            return
        try:
            await message.add_reaction(emoji)
        except disnake.HTTPException as exc:
            log.warning("cannot react to orders-channel message %s: %s", message.id, exc)

    async def _advance(self, message_id: int) -> None:
        self._seen_up_to = max(self._seen_up_to, message_id)
        if not self._cursor_held:
            await remember_read_message(message_id)


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("orders-channel reader stopped: %r", task.exception())
