"""How the wallet looks to its owner: balance, ledger pages, top-up buttons and the amount modal."""

from __future__ import annotations

from typing import Any

import disnake

from cogs import _embeds
from cogs._embeds import fit
from cogs.shop.ids import (
    TOPUP_AMOUNT_FIELD,
    PayMethod,
    topup_id,
    wallet_history_id,
)
from models.base import WalletKind
from models.errors import InvalidInput
from models.money import exponent, format_money, parse_money

# Top-up limits in whole currency units; a few currencies trade in much larger numbers.
_TOPUP_LIMITS = {"IDR": (10_000, 20_000_000), "JPY": (100, 200_000), "KRW": (1_000, 2_000_000)}
_DEFAULT_TOPUP_LIMITS = (1, 2_000)
KIND_LABELS = {
    WalletKind.TOPUP: "Top-up",
    WalletKind.PURCHASE: "Purchase",
    WalletKind.REFUND: "Refund",
    WalletKind.ADJUSTMENT: "Adjustment",
}


def topup_limits(currency: str) -> tuple[int, int]:
    """(smallest, largest) top-up in minor units."""
    low, high = _TOPUP_LIMITS.get(currency.upper(), _DEFAULT_TOPUP_LIMITS)
    scale = 10 ** exponent(currency)
    return low * scale, high * scale


def parse_topup_amount(text: str, currency: str, *, whole_units: bool = False) -> int:
    """ "10", "12.50" or "Rp 50.000" -> minor units; InvalidInput saying what is wrong otherwise.

    `whole_units` refuses fractions (QRIS charges whole rupiah).
    """
    low, high = topup_limits(currency)
    example = format_money(low * 10, currency)
    try:
        amount = parse_money(text, currency)
    except ValueError as exc:
        why = f" {exc}" if text and text.strip() else ""
        raise InvalidInput(
            f"Enter an amount like {example} (numbers only, at most {exponent(currency)} "
            f"decimals).{why}"
        ) from None
    if amount < low or amount > high:
        raise InvalidInput(
            f"Top up between {format_money(low, currency)} and {format_money(high, currency)}."
        )
    if whole_units and amount % 10 ** exponent(currency):
        raise InvalidInput("This way to pay takes whole amounts only; leave out the decimals.")
    return amount


def ledger_line(kind: str, amount: int, currency: str, when: int, note: str = "") -> str:
    """One ledger entry: "<t:…:d> Top-up +$10.00"."""
    label = KIND_LABELS.get(kind, str(kind).title())
    signed = ("+" if amount > 0 else "") + format_money(amount, currency)
    line = f"<t:{when}:d> {label} **{signed}**"
    return f"{line} · {note}" if note else line


def wallet_embed(
    balance: int, currency: str, lines: list[str], page: int, pages: int
) -> disnake.Embed:
    embed = disnake.Embed(title="Wallet", colour=_embeds.INFO)
    embed.add_field(name="Balance", value=format_money(balance, currency), inline=False)
    embed.add_field(
        name="History",
        value="\n".join(lines) if lines else "No transactions yet.",
        inline=False,
    )
    if pages > 1:
        embed.set_footer(text=f"Page {page} of {pages}")
    return fit(embed)


def wallet_components(
    page: int, pages: int, topup_methods: list[PayMethod]
) -> list[disnake.ui.Button]:
    """Paging buttons (when there is more than one page) and one top-up button per provider."""
    buttons = []
    if pages > 1:
        buttons.append(
            disnake.ui.Button(
                label="Newer",
                custom_id=wallet_history_id(page - 1),
                disabled=page <= 1,
            )
        )
        buttons.append(
            disnake.ui.Button(
                label="Older",
                custom_id=wallet_history_id(page + 1),
                disabled=page >= pages,
            )
        )
    labels = {PayMethod.STRIPE: "Top up by card", PayMethod.QRIS: "Top up with QRIS"}
    for method in topup_methods:
        buttons.append(
            disnake.ui.Button(
                style=disnake.ButtonStyle.success,
                label=labels[method],
                custom_id=topup_id(method),
            )
        )
    return buttons


def topup_modal(method: PayMethod, currency: str) -> dict[str, Any]:
    """Arguments for send_modal; the submit comes back to the shop's on_modal_submit."""
    low, high = topup_limits(currency)
    return dict(
        title="Top up your wallet",
        custom_id=topup_id(method),
        components=[
            disnake.ui.Label(
                text=f"Amount ({currency})",
                description=(
                    f"Between {format_money(low, currency)} and {format_money(high, currency)}"
                ),
                component=disnake.ui.TextInput(
                    custom_id=TOPUP_AMOUNT_FIELD,
                    style=disnake.TextInputStyle.short,
                    placeholder=format_money(low * 10, currency),
                    min_length=1,
                    max_length=20,
                ),
            )
        ],
    )
