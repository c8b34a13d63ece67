"""The Wallet button: balance and ledger pages, and top-ups by card or QRIS."""

from __future__ import annotations

import io
import logging
import secrets
from datetime import UTC, datetime, timedelta

import disnake

from cogs.shop.buying import QR_IMAGE_NAME
from cogs.shop.ids import TOPUP_AMOUNT_FIELD, PayMethod
from cogs.shop.render import wallet as render
from cogs.shop.render.buying import checkout_link_embed, link_button, qris_embed
from cogs.shop.reply import show_step
from models.customers import wallet
from models.errors import InvalidInput
from models.money import format_money
from settings import Settings
from webhooks.midtrans import create_qris_charge, new_topup_ref
from webhooks.stripe import create_topup_checkout

log = logging.getLogger(__name__)
HISTORY_PER_PAGE = 8


def topup_methods(settings: Settings) -> list[PayMethod]:
    """Top-up providers that are set up and take the wallet's currency."""
    methods = []
    if settings.stripe.enabled:
        methods.append(PayMethod.STRIPE)
    if settings.midtrans.enabled and settings.midtrans.currency == settings.wallet_currency:
        methods.append(PayMethod.QRIS)
    return methods


async def _wallet_message(inter: disnake.Interaction, page: int) -> dict:
    settings: Settings = inter.bot.settings
    history = await wallet.wallet_history(inter.author.id, page=page, per_page=HISTORY_PER_PAGE)
    # Wallets are kept in the shop's wallet currency (settings), whatever a row says.
    currency = settings.wallet_currency
    lines = [
        render.ledger_line(
            entry.kind, entry.amount, currency, int(entry.created_at.timestamp()), entry.note
        )
        for entry in history.entries
    ]
    return {
        "embed": render.wallet_embed(history.balance, currency, lines, history.page, history.pages),
        "components": render.wallet_components(
            history.page, history.pages, topup_methods(settings)
        ),
    }


async def show_wallet(inter: disnake.MessageInteraction) -> None:
    """The Wallet button: a new ephemeral message with the balance and the latest entries."""
    await inter.response.send_message(**await _wallet_message(inter, 1), ephemeral=True)


async def show_history_page(inter: disnake.MessageInteraction, page: int) -> None:
    if page < 1:
        raise InvalidInput("There is no newer page.")
    await show_step(inter, **await _wallet_message(inter, page))


async def ask_topup_amount(inter: disnake.MessageInteraction, method: PayMethod) -> None:
    settings: Settings = inter.bot.settings
    if method not in topup_methods(settings):
        raise InvalidInput("That way to top up is not available.")
    await inter.response.send_modal(**render.topup_modal(method, settings.wallet_currency))


async def start_topup(inter: disnake.ModalInteraction, method: PayMethod) -> None:
    """The top-up modal was sent: check the amount, then open the provider's payment."""
    settings: Settings = inter.bot.settings
    if method not in topup_methods(settings):
        raise InvalidInput("That way to top up is not available.")
    currency = settings.wallet_currency
    amount = render.parse_topup_amount(
        inter.text_values.get(TOPUP_AMOUNT_FIELD, ""),
        currency,
        whole_units=method is PayMethod.QRIS,
    )
    await inter.response.defer(with_message=True, ephemeral=True)
    line = f"Wallet top-up of {format_money(amount, currency)}"
    if method is PayMethod.STRIPE:
        link = await create_topup_checkout(
            settings,
            inter.bot.http_session,
            discord_user_id=inter.author.id,
            amount=amount,
            reference=f"{inter.author.id}-{secrets.token_hex(8)}",
        )
        log.info("stripe top-up started by %s", inter.author.id)
        await inter.edit_original_response(
            embed=checkout_link_embed(
                line, link.expires_at, after="Your wallet is credited once Stripe confirms."
            ),
            components=[link_button(link.url)],
        )
        return
    charge = await create_qris_charge(
        settings,
        inter.bot.http_session,
        order_ref=new_topup_ref(inter.author.id),
        amount=amount,
    )
    expires_at = datetime.now(UTC) + timedelta(minutes=settings.order_expiry_minutes)
    log.info("QRIS top-up started by %s", inter.author.id)
    await inter.edit_original_response(
        embed=qris_embed("Wallet top-up", line, amount, currency, expires_at, QR_IMAGE_NAME),
        file=disnake.File(io.BytesIO(charge.qr_png), filename=QR_IMAGE_NAME),
    )
