"""/admin wallet: a preview of a wallet adjustment, applied only by its Confirm button.

    admin:wallet:<token>:confirm   applies the adjustment the preview shows
    admin:wallet:<token>:cancel    drops it

The amount is read as a person writes it ("10", "-5.50", "Rp 50.000") in the wallet's
currency. A preview waits in memory for PREVIEW_SECONDS, for the admin who asked alone;
after that, after an answer, or after a restart its buttons change nothing. Confirm takes
the preview out before it books, so a double click applies it once; the ledger refuses a
second booking of the same reference (the slash command's interaction) in any case.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from dataclasses import dataclass, field

import disnake
from disnake.ext import commands

from cogs import _embeds
from cogs.admin import render
from cogs.admin.cog import Admin
from cogs.admin.guard import audit, require_admin
from cogs.admin.options import WalletAmount, WalletReason
from models.customers.wallet import MAX_AMOUNT, adjust_balance, balance, wallet_state
from models.errors import InsufficientFunds, InvalidInput, ShopError
from models.money import format_money, parse_money

log = logging.getLogger(__name__)

PREFIX = "admin:wallet:"
_BUTTON_ID = re.compile(r"^admin:wallet:([0-9a-f]{16}):(confirm|cancel)$")
PREVIEW_SECONDS = 300.0
GONE = (
    "This preview expired or was already answered; run /admin wallet again. "
    "Nothing was changed by this click."
)


@dataclass
class PendingAdjustment:
    """What the preview shows, waiting for Confirm."""

    admin_id: int
    user: disnake.abc.User
    current: int
    amount: int
    currency: str
    reason: str
    reference: str
    preview: disnake.ApplicationCommandInteraction
    expires_at: float = 0.0
    timer: asyncio.TimerHandle | None = field(default=None, repr=False)

    @property
    def result(self) -> int:
        return self.current + self.amount


def _signed(amount: int, currency: str) -> str:
    return ("+" if amount > 0 else "") + format_money(amount, currency)


def preview_embed(pending: PendingAdjustment, note: str) -> disnake.Embed:
    currency = pending.currency
    embed = disnake.Embed(
        title=f"Adjust the wallet of {pending.user.display_name}?",
        description=note,
        colour=_embeds.WARNING,
    )
    embed.add_field(name="Customer", value=f"<@{pending.user.id}>", inline=False)
    embed.add_field(name="Current balance", value=format_money(pending.current, currency))
    embed.add_field(name="Change", value=_signed(pending.amount, currency))
    embed.add_field(name="Resulting balance", value=format_money(pending.result, currency))
    embed.add_field(name="Reason", value=_embeds.clip(pending.reason, 1000), inline=False)
    return _embeds.fit(embed)


def preview_buttons(token: str) -> list[disnake.ui.Button]:
    """Confirm and Cancel; their ids differ (Discord refuses repeated ids in one message)."""
    return [
        disnake.ui.Button(
            label="Confirm",
            style=disnake.ButtonStyle.success,
            custom_id=f"{PREFIX}{token}:confirm",
        ),
        disnake.ui.Button(
            label="Cancel",
            style=disnake.ButtonStyle.secondary,
            custom_id=f"{PREFIX}{token}:cancel",
        ),
    ]


def _details(pending: PendingAdjustment) -> dict[str, object]:
    return {
        "amount": pending.amount,
        "currency": pending.currency,
        "reason": pending.reason,
        "reference": pending.reference,
    }


class WalletAdjustments(commands.Cog):
    """Holds the previews of /admin wallet and answers their buttons."""

    def __init__(self, bot: commands.InteractionBot) -> None:
        self.bot = bot
        self.preview_seconds = PREVIEW_SECONDS
        self.pending: dict[str, PendingAdjustment] = {}
        self._expiring: set[asyncio.Task[None]] = set()

    def cog_unload(self) -> None:
        for pending in self.pending.values():
            if pending.timer is not None:
                pending.timer.cancel()
        self.pending.clear()

    def hold(self, pending: PendingAdjustment) -> str:
        """Keeps `pending` until it is answered or expires; returns its token."""
        loop = asyncio.get_running_loop()
        token = secrets.token_hex(8)
        pending.expires_at = loop.time() + self.preview_seconds
        pending.timer = loop.call_later(self.preview_seconds, self._expire, token)
        self.pending[token] = pending
        return token

    def take(self, token: str) -> PendingAdjustment | None:
        """Removes and returns the live preview `token`; None when gone or expired.

        No await happens between the lookup and the removal, so of two clicks on one
        preview only the first gets it.
        """
        pending = self.pending.pop(token, None)
        if pending is None:
            return None
        if pending.timer is not None:
            pending.timer.cancel()
        if asyncio.get_running_loop().time() >= pending.expires_at:
            self.pending[token] = pending
            self._expire(token)
            return None
        return pending

    def _expire(self, token: str) -> None:
        pending = self.pending.pop(token, None)
        if pending is None:
            return
        task = asyncio.get_running_loop().create_task(self._show_expired(pending))
        self._expiring.add(task)
        task.add_done_callback(self._expiring.discard)

    async def _show_expired(self, pending: PendingAdjustment) -> None:
        note = "⌛ This preview expired; nothing was changed. Run /admin wallet again."
        try:
            await pending.preview.edit_original_response(
                embed=preview_embed(pending, note), components=[]
            )
        except disnake.HTTPException as exc:
            log.info("could not mark an expired wallet preview: %s", exc)

    @commands.Cog.listener("on_button_click")
    async def preview_clicked(self, inter: disnake.MessageInteraction) -> None:
        custom_id = inter.data.custom_id or ""
        if not custom_id.startswith(PREFIX):
            return
        require_admin(inter)
        match = _BUTTON_ID.match(custom_id)
        if match is None:
            raise InvalidInput(GONE)
        token, choice = match.group(1), match.group(2)
        waiting = self.pending.get(token)
        if waiting is not None and waiting.admin_id != inter.author.id:
            raise InvalidInput(
                f"Only <@{waiting.admin_id}>, who ran this /admin wallet, can answer it."
            )
        pending = self.take(token)
        if pending is None:
            raise InvalidInput(GONE)
        if choice == "cancel":
            await inter.response.edit_message(
                embed=preview_embed(pending, "Cancelled; nothing was changed."), components=[]
            )
            await audit(inter, "wallet cancel", f"user:{pending.user.id}", _details(pending))
            return
        await self._apply(inter, pending)

    async def _apply(self, inter: disnake.MessageInteraction, pending: PendingAdjustment) -> None:
        try:
            entry = await adjust_balance(
                pending.user.id,
                pending.amount,
                actor_id=inter.author.id,
                reason=pending.reason,
                reference=pending.reference,
            )
        except ShopError as exc:
            message = exc.message
            if isinstance(exc, InsufficientFunds):
                held = format_money(await balance(pending.user.id), pending.currency)
                message = (
                    f"{pending.user.display_name}'s wallet now holds {held}; taking "
                    f"{format_money(-pending.amount, pending.currency)} would put it below "
                    "zero. Nothing was changed."
                )
            await inter.response.edit_message(
                embed=preview_embed(pending, f"⚠️ {message}"), components=[]
            )
            await audit(
                inter,
                "wallet confirm",
                f"user:{pending.user.id}",
                _details(pending),
                outcome=f"refused: {message}",
            )
            return
        log.info(
            "admin %s adjusted wallet of %s by %s", inter.author.id, pending.user.id, entry.amount
        )
        await inter.response.edit_message(
            embed=render.wallet_embed(pending.user, entry), components=[]
        )
        await audit(inter, "wallet confirm", f"user:{pending.user.id}", _details(pending))


@Admin.admin.sub_command(name="wallet")
async def wallet_command(
    inter: disnake.ApplicationCommandInteraction,
    user: disnake.User,
    amount: WalletAmount,
    reason: WalletReason,
) -> None:
    """Add to or take from a customer's wallet: shows the result first, Confirm applies it.

    Parameters
    ----------
    user: Whose wallet
    amount: In the wallet's currency, as you write it: 10, 10.50, -5 (takes away), Rp 50.000
    reason: Why (kept in the wallet ledger)
    """
    if user.bot:
        raise InvalidInput("Bots have no wallet.")
    if not reason.strip():
        raise InvalidInput("Say why the wallet is adjusted; it goes in the audit trail.")
    settings = inter.bot.settings  # type: ignore[attr-defined]
    current, currency = await wallet_state(user.id, settings.wallet_currency)
    try:
        change = parse_money(amount, currency)
    except ValueError as exc:
        raise InvalidInput(f"{exc} Nothing was changed.") from None
    if change == 0:
        raise InvalidInput("An adjustment of 0 changes nothing.")
    if abs(change) > MAX_AMOUNT:
        raise InvalidInput(
            f"At most {format_money(MAX_AMOUNT, currency)} at a time. Nothing was changed."
        )
    if current + change < 0:
        raise InvalidInput(
            f"{user.display_name}'s wallet holds {format_money(current, currency)}; taking "
            f"{format_money(-change, currency)} would put it below zero. Nothing was changed."
        )
    adjustments: WalletAdjustments = inter.bot.get_cog("WalletAdjustments")  # type: ignore[assignment]
    pending = PendingAdjustment(
        admin_id=inter.author.id,
        user=user,
        current=current,
        amount=change,
        currency=currency,
        reason=reason.strip(),
        reference=f"interaction:{inter.id}",
        preview=inter,
    )
    token = adjustments.hold(pending)
    minutes = max(1, round(adjustments.preview_seconds / 60))
    note = f"Nothing changes until you press **Confirm** (within {minutes} min)."
    await inter.response.send_message(
        embed=preview_embed(pending, note), components=preview_buttons(token), ephemeral=True
    )
