"""Answering a shop click: move the buyer's own ephemeral message on, never a public one."""

from __future__ import annotations

from typing import Any

import disnake


async def show_step(inter: disnake.MessageInteraction, **content: Any) -> None:
    """Replaces the clicked ephemeral message with the next step.

    A click that arrives on a public message (the panel, or a forged id on any message) gets
    a new ephemeral message instead, so nobody can rewrite what everyone else sees.
    """
    if inter.message is not None and inter.message.flags.ephemeral:
        await inter.response.edit_message(**content)
    else:
        await inter.response.send_message(**content, ephemeral=True)
