"""A notice DM to a customer (receipt, queued order, restock): sent once per job, closed DMs noted.

Codes go through cogs.delivery.codes, which has its own fallback for closed DMs; these
notices carry nothing the buyer cannot see again under My orders, so closed DMs only stop
further tries (Discord counts each refused DM toward its invalid-request limit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import disnake

from cogs.delivery.once import job_nonce, send_once
from cogs.delivery.outcomes import CANNOT_DM
from models.customers.actions import set_dms_closed

if TYPE_CHECKING:
    from bot import Stockroom


async def dm_customer(
    bot: Stockroom,
    discord_id: int,
    job_id: int,
    embed: disnake.Embed,
    components: list[disnake.ui.ActionRow] | None = None,
) -> bool:
    """DMs the embed (a rerun of the job finds its first message); False when DMs are closed."""
    try:
        channel = await bot.create_dm(disnake.Object(discord_id))
        await send_once(bot, channel, job_nonce(job_id), embed=embed, components=components)
    except disnake.Forbidden as exc:
        if exc.code != CANNOT_DM:
            raise
        await set_dms_closed(discord_id, True)
        return False
    return True
