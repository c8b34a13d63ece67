"""The notify_restock job: one DM to a customer who asked to be told a product is back.

The request was spent when the restock queued this job (models.customers.restock_requests),
so the customer is told once per request. Should the product sell out again, or stop being
sold, before the job runs, no DM goes out: a sold-out product's request is opened again for
the next restock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import disnake

from cogs import _embeds
from cogs._embeds import clip, fit
from cogs.delivery.buyer_dms import dm_customer
from models.customers.restock_requests import (
    RestockNotice,
    reopen_restock_request,
    restock_notice,
)

if TYPE_CHECKING:
    from bot import Stockroom


def restock_embed(notice: RestockNotice) -> disnake.Embed:
    name = clip(notice.product_name, 200)
    embed = disnake.Embed(
        title=clip(f"Back in stock: {notice.product_name}", _embeds.TITLE_MAX),
        colour=_embeds.COMPLETED,
        description=(
            f"**{name}** is back in stock ({notice.available} available right now). "
            "Open the shop panel and choose it to buy, before it sells out again."
        ),
    )
    embed.set_footer(
        text="You asked to be told once. To hear of a later restock, ask again in the shop."
    )
    return fit(embed)


async def notify_restock(bot: Stockroom, payload: dict[str, Any]) -> str:
    """Runs one notify_restock job (payload plus its job_id); returns what happened, for the log."""
    notice = await restock_notice(int(payload["request_id"]))
    if notice is None:
        return "skipped: the restock request no longer exists"
    label = f"restock request {notice.request_id} ({notice.product_key})"
    if not notice.on_sale:
        return f"{label}: skipped, the product is not on sale any more"
    if notice.available < 1:
        await reopen_restock_request(notice.request_id)
        return f"{label}: sold out again before the DM; kept for the next restock"
    if notice.dms_closed:
        return f"{label}: skipped, the customer's DMs are known to be closed"
    if not await dm_customer(bot, notice.discord_id, int(payload["job_id"]), restock_embed(notice)):
        return f"{label}: not sent, the customer's DMs are closed"
    return f"{label}: restock DM sent"
