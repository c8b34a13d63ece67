"""/stockroom help and /stockroom status: how buying works for customers, and the bot's health."""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime

import disnake
from disnake.ext import commands

from cogs import _embeds

log = logging.getLogger(__name__)

TOPIC_ID_PREFIX = "help:topic:"
# Customer-facing text, in the order the topics are offered.
TOPICS: dict[str, tuple[str, str]] = {
    "buying": (
        "Buying",
        "Press **Shop** on the shop panel, pick a product and a package, then choose how to pay:"
        " your wallet, a card checkout link, or a QRIS code. The order is yours the moment the"
        " payment is confirmed — no need to keep the message open. Have a coupon? Press"
        " **I have a coupon** before paying: every way to pay then charges the lower price.",
    ),
    "wallet": (
        "Your wallet",
        "Press **Wallet** on the shop panel to see your balance and its history. Top it up by card"
        " or QRIS, then buy instantly with it: the balance is charged only when the order is"
        " created and the stock is set aside for you. Refunds of wallet orders go back to it.",
    ),
    "delivery": (
        "Delivery",
        "Codes arrive by direct message right after payment, as a .txt file when there are many."
        " If your DMs are closed you get a private thread in the server instead — open your DMs"
        " and press **Resend** under **My orders** to receive them by DM (once a minute per"
        " order). Role products are granted automatically, with a receipt by DM. A paid order"
        " for something out of stock is queued: you are told so by DM, and the codes follow"
        " as soon as stock arrives. Sold out? **Notify me when restocked** in the shop sends"
        " you one DM when it is back.",
    ),
    "refunds": (
        "Refunds",
        "Ask a shop admin with your order number (see **My orders**). A refunded order revokes"
        " the codes and roles it delivered; wallet payments are refunded to your wallet, card"
        " and QRIS payments to the way you paid.",
    ),
}


def help_embed(topic: str) -> disnake.Embed:
    title, text = TOPICS[topic]
    embed = disnake.Embed(title=title, description=text, colour=_embeds.INFO)
    embed.set_footer(text="Stockroom help · pick another topic below")
    return _embeds.fit(embed)


def topic_buttons(current: str) -> list[disnake.ui.Button]:
    """One persistent button per topic; the one shown is highlighted and disabled."""
    return [
        disnake.ui.Button(
            label=title,
            custom_id=f"{TOPIC_ID_PREFIX}{name}",
            style=disnake.ButtonStyle.primary if name == current else disnake.ButtonStyle.secondary,
            disabled=name == current,
        )
        for name, (title, _) in TOPICS.items()
    ]


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{days}d"] if days else []
    return " ".join([*parts, f"{hours}h {minutes}m {secs}s"])


class Help(commands.Cog):
    """The /stockroom command group and the help topic buttons."""

    def __init__(self, bot: commands.InteractionBot) -> None:
        self.bot = bot
        self.started_at = datetime.now(UTC)

    @commands.slash_command(name="stockroom", description="About this shop and its bot")
    async def stockroom(self, inter: disnake.ApplicationCommandInteraction) -> None:
        """Parent of the sub-commands; Discord never invokes it alone."""

    @stockroom.sub_command(name="help", description="How buying, wallet, delivery and refunds work")
    async def help(
        self,
        inter: disnake.ApplicationCommandInteraction,
        topic: str = commands.Param(
            description="What you want to know about",
            choices=[disnake.OptionChoice(title, name) for name, (title, _) in TOPICS.items()],
        ),
    ) -> None:
        await inter.response.send_message(
            embed=help_embed(topic), components=topic_buttons(topic), ephemeral=True
        )

    @stockroom.sub_command(name="status", description="Whether the bot is connected and healthy")
    async def status(self, inter: disnake.ApplicationCommandInteraction) -> None:
        latency = self.bot.latency
        shown = "not measured yet" if math.isinf(latency) else f"{latency * 1000:.0f} ms"
        uptime = (datetime.now(UTC) - self.started_at).total_seconds()
        embed = disnake.Embed(title="Stockroom status", colour=_embeds.INFO)
        embed.add_field(name="Gateway latency", value=shown)
        embed.add_field(name="Server", value=inter.guild.name if inter.guild else "direct message")
        embed.add_field(name="Uptime", value=_duration(uptime))
        await inter.response.send_message(embed=embed, ephemeral=True)

    @commands.Cog.listener("on_button_click")
    async def on_topic_button(self, inter: disnake.MessageInteraction) -> None:
        """Switches the help message to the clicked topic; works after restarts (no view state)."""
        custom_id = inter.data.custom_id or ""
        if not custom_id.startswith(TOPIC_ID_PREFIX):
            return
        topic = custom_id[len(TOPIC_ID_PREFIX) :]
        if topic not in TOPICS:
            await inter.response.send_message(
                "That help topic is gone; run /stockroom help again.", ephemeral=True
            )
            return
        await inter.response.edit_message(embed=help_embed(topic), components=topic_buttons(topic))


def setup(bot: commands.InteractionBot) -> None:
    bot.add_cog(Help(bot))
