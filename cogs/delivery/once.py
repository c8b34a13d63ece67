"""Sending a delivery DM at most once per job, with Discord's message nonce enforced.

A job that crashed after Discord took its DM but before the job was recorded done runs again;
with `enforce_nonce`, Discord answers a nonce it saw from the same author in the same channel
in the past few minutes with the message it already created, so the buyer gets one DM.
disnake 2.12's send() sets `nonce` but not `enforce_nonce`, so this posts the payload send()
would build for an embed and an optional file through the bot's own HTTP client (its rate
limits and retries included).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import disnake
from disnake.http import Route, to_multipart_with_attachments

if TYPE_CHECKING:
    from bot import Stockroom

NONCE_MAX = 25  # characters, resources/message.mdx


def job_nonce(job_id: int) -> str:
    """The nonce of the messages one job sends: the same however often the job runs."""
    nonce = f"job-{job_id}"
    if len(nonce) > NONCE_MAX:
        raise ValueError(f"job id {job_id} makes a nonce longer than {NONCE_MAX} characters")
    return nonce


async def send_once(
    bot: Stockroom,
    channel: disnake.abc.Snowflake,
    nonce: str,
    *,
    embed: disnake.Embed,
    file: disnake.File | None = None,
    components: list[disnake.ui.ActionRow] | None = None,
) -> int:
    """Posts the message (or finds the one this nonce already made); returns its id."""
    payload: dict[str, Any] = {
        "embeds": [embed.to_dict()],
        "nonce": nonce,
        "enforce_nonce": True,
    }
    if components:
        payload["components"] = [row.to_component_dict() for row in components]
    if bot.allowed_mentions is not None:
        payload["allowed_mentions"] = bot.allowed_mentions.to_dict()
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id)
    if file is None:
        data = await bot.http.request(route, json=payload)
    else:
        try:
            form = to_multipart_with_attachments(payload, [file])
            data = await bot.http.request(route, form=form, files=[file])
        finally:
            file.close()
    return int(data["id"])
