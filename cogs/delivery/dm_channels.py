"""The DM channel ids the bot has opened, kept so each order does not open the buyer's DM again.

Discord gives a bot one DM channel per user, with the same id every time it is asked
(POST /users/@me/channels), so asking once per order is one Discord request per order wasted
under the 50/s global limit. disnake keeps DM channel objects too, but only the last 128 it
added, evicted in the order they were added (a lookup by user does not refresh one), and a
channel Discord no longer knows stays there: every later send to that buyer answers 10003.
So delivery asks Discord itself (bot.http, its rate limits and retries included), keeps the
ids here in a least-recently-used map of a few thousand, and drops an id Discord calls
unknown, so the next send opens the channel again.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot import Stockroom

CAPACITY = 4096  # buyers; an id and its key cost ~150 bytes, so ~0.6 MB when full


class DMChannelIds:
    """user id -> DM channel id, the least recently used dropped beyond `capacity`."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        if capacity < 1:
            raise ValueError(f"a DM channel cache needs room for one buyer, not {capacity}")
        self.capacity = capacity
        self._ids: OrderedDict[int, int] = OrderedDict()

    def __len__(self) -> int:
        return len(self._ids)

    def get(self, user_id: int) -> int | None:
        channel_id = self._ids.get(user_id)
        if channel_id is not None:
            self._ids.move_to_end(user_id)
        return channel_id

    def put(self, user_id: int, channel_id: int) -> None:
        self._ids[user_id] = channel_id
        self._ids.move_to_end(user_id)
        while len(self._ids) > self.capacity:
            self._ids.popitem(last=False)

    def forget(self, user_id: int, channel_id: int) -> None:
        """Drops the entry if it still holds `channel_id` (another job may have reopened it)."""
        if self._ids.get(user_id) == channel_id:
            del self._ids[user_id]


class DMChannels:
    """Opens a user's DM channel at most once while its id stays in the cache."""

    def __init__(self, bot: Stockroom, capacity: int = CAPACITY) -> None:
        self.bot = bot
        self.ids = DMChannelIds(capacity)
        self._opening: dict[int, asyncio.Future[int]] = {}
        self.opened = 0  # channels asked of Discord, for benchmarks and tests

    async def channel_id(self, user_id: int) -> int:
        """The DM channel id of `user_id`: kept, or opened now (one request for concurrent asks)."""
        known = self.ids.get(user_id)
        if known is not None:
            return known
        opening = self._opening.get(user_id)
        if opening is None:
            opening = asyncio.ensure_future(self._open(user_id))
            self._opening[user_id] = opening
            opening.add_done_callback(lambda done: self._opened(user_id, done))
        # Shielded: a cancelled job does not cancel the open another job is waiting for.
        return await asyncio.shield(opening)

    async def _open(self, user_id: int) -> int:
        data = await self.bot.http.start_private_message(user_id)
        channel_id = int(data["id"])
        self.opened += 1
        self.ids.put(user_id, channel_id)
        return channel_id

    def _opened(self, user_id: int, done: asyncio.Future[int]) -> None:
        self._opening.pop(user_id, None)
        if not done.cancelled():
            done.exception()  # retrieved here too, in case every asker was cancelled meanwhile

    def forget(self, user_id: int, channel_id: int) -> None:
        """Discord answered Unknown Channel for `channel_id`: the next ask opens it again."""
        self.ids.forget(user_id, channel_id)


_BY_BOT: weakref.WeakKeyDictionary[Stockroom, DMChannels] = weakref.WeakKeyDictionary()


def dm_channels(bot: Stockroom) -> DMChannels:
    """The bot's DM channel cache (one per bot object, made on first use)."""
    found = _BY_BOT.get(bot)
    if found is None:
        found = _BY_BOT[bot] = DMChannels(bot)
    return found
