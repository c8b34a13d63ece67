"""The orders channel reader: applies order embeds a trusted webhook posts, and catches up.

A storefront relay (seed 000: Ecwid → PHP → a Discord webhook) posts one embed per order
change into the orders channel. Each such message becomes a PaymentEvent through the order
core, and gets a reaction: ✅ applied, ❌ rejected (the reason is logged). Messages from users,
from bots (our own feed posts included) and from interaction replies are never acted on.

Messages are handled one at a time, in order, by one worker task: live messages from the
gateway and, on every READY, the history the bot missed while it was away (after the last
message it read, oldest first; on the very first start, the last FIRST_START_LOOKBACK).
`/admin catchup days:` reads the channel again as far back as the admin asks, in the same
worker's turn. The order core's idempotency (one fact per message id) makes reading a
message twice harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
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
# With no cursor yet (first start), look this far back for embeds posted before the bot came;
# /admin catchup days: reads further back when the shop is older.
FIRST_START_LOOKBACK = timedelta(days=30)
CURSOR_SAVE_EVERY = 100
_CATCH_UP = object()


@dataclass
class CatchUpReport:
    """What one catch-up read: messages, and the order posts among them by outcome."""

    read: int = 0
    order_posts: int = 0
    applied: int = 0  # at least one embed changed an order
    already_applied: int = 0  # read before: nothing changed
    rejected: int = 0  # an embed was malformed or refused (the reason is logged)
    failed: int = 0  # not applied for another reason (database): read again next catch-up

    def summary(self) -> str:
        text = (
            f"{self.read} message(s) read, {self.order_posts} order post(s): "
            f"{self.applied} applied, {self.already_applied} already applied, "
            f"{self.rejected} rejected"
        )
        return text + (f", {self.failed} failed" if self.failed else "")


@dataclass
class _ReadBack:
    """An admin's request to read the channel again from `since`; answered through `done`."""

    since: datetime
    done: asyncio.Future[CatchUpReport]


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
        if not self.trusted_webhooks:
            # Not even read: the cursor stays where it was, so once a webhook is trusted the
            # next start catches up on what was posted meanwhile.
            log.warning(
                "no trusted webhook configured (discord.trusted_webhook_ids or "
                "TRUSTED_WEBHOOK_IDS): orders-channel embeds are not acted on"
            )
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
        """A listed storefront webhook's post in the orders channel (never a user or a bot)."""
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
        # Trust is explicit: with no webhook listed, no embed is acted on (bot.py --check
        # warns), since anyone who may manage the channel's webhooks could post one.
        return message.webhook_id in self.trusted_webhooks

    # -- intake --------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: disnake.Message) -> None:
        if self._worker is not None and self.is_trusted_order_post(message):
            self._queue.put_nowait(message)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        if self._worker is not None:
            self._queue.put_nowait(_CATCH_UP)

    @property
    def reading(self) -> bool:
        """Whether this reader acts on the channel (a channel and a trusted webhook are set)."""
        return self._worker is not None and not self._worker.done()

    async def read_back(self, days: int) -> CatchUpReport:
        """Reads the last `days` days of the channel again, oldest first (/admin catchup).

        Queued behind the messages already waiting, so it never runs beside another read.
        """
        if not self.reading:
            raise RuntimeError("the orders-channel reader is not running")
        request = _ReadBack(
            since=datetime.now(UTC) - timedelta(days=days),
            done=asyncio.get_running_loop().create_future(),
        )
        self._queue.put_nowait(request)
        return await request.done

    async def _work(self) -> None:
        while True:
            item = await self._queue.get()
            try:
                if item is _CATCH_UP and await leads(self.bot, ORDERS_CHANNEL_CATCH_UP):
                    await self.catch_up()
                elif isinstance(item, _ReadBack):
                    await self._read_back(item)
                elif isinstance(item, disnake.Message) and item.id > self._seen_up_to:
                    await self._handle(item)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("orders-channel reader failed; it goes on with the next message")

    async def _read_back(self, request: _ReadBack) -> None:
        try:
            report = await self.catch_up(since=request.since)
        except Exception as exc:
            if not request.done.done():
                request.done.set_exception(exc)
            raise
        if not request.done.done():  # the admin's command may have been cancelled meanwhile
            request.done.set_result(report)

    async def catch_up(self, since: datetime | None = None) -> CatchUpReport:
        """Reads what was posted since the last message read (or since `since`), oldest first.

        Without a cursor (first start) it reads back FIRST_START_LOOKBACK. The cursor only
        moves forward, so reading older messages again never makes the next start skip any.
        """
        report = CatchUpReport()
        channel = self.bot.get_channel(self.channel_id)
        if not isinstance(channel, disnake.TextChannel):
            log.warning("orders channel %s is not a text channel the bot can see", self.channel_id)
            return report
        after: disnake.abc.Snowflake | datetime
        if since is not None:
            # A message that failed earlier keeps holding the cursor: it may be older than
            # `since`, and only a catch-up from the cursor is sure to read it again.
            after = since
        else:
            self._cursor_held = False
            cursor = await last_read_message_id()
            if cursor is None:
                after = datetime.now(UTC) - FIRST_START_LOOKBACK
            else:
                after = disnake.Object(cursor)
        unsaved: int | None = None
        async for message in channel.history(limit=None, after=after, oldest_first=True):
            report.read += 1
            if self.is_trusted_order_post(message):
                await self._handle(message, report)
                unsaved = None
            else:
                # Other messages (our feed, chatter) only move the cursor, saved per page.
                self._seen_up_to = max(self._seen_up_to, message.id)
                unsaved = message.id
                if report.read % CURSOR_SAVE_EVERY == 0:
                    await self._advance(unsaved)
                    unsaved = None
        if unsaved is not None:
            await self._advance(unsaved)
        if report.read:
            log.info("orders channel caught up: %s", report.summary())
        return report

    async def _handle(self, message: disnake.Message, report: CatchUpReport | None = None) -> None:
        """Applies every order embed of one message and reacts; counts it in `report`."""
        orders = [
            (index, embed_fields(embed))
            for index, embed in enumerate(message.embeds)
            if is_order_embed(embed_fields(embed))
        ]
        if not orders:
            await self._advance(message.id)
            return
        report = report or CatchUpReport()
        report.order_posts += 1
        outcomes: list[EmbedOutcome] = []
        try:
            for index, fields in orders:
                outcomes.append(await apply_order_embed(message.id, fields, index))
        except Exception:
            self._cursor_held = True
            log.exception(
                "orders-channel message %s not applied; retried on next catch-up", message.id
            )
            report.failed += 1
            return
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
        if not accepted:
            report.rejected += 1
        elif any(outcome.result is not None and outcome.result.applied for outcome in outcomes):
            report.applied += 1
        else:
            report.already_applied += 1
        await self._react(message, APPLIED if accepted else REJECTED)
        await self._advance(message.id)

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
