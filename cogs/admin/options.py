"""/admin option types: Discord checks their ranges and choices before a command runs."""

from __future__ import annotations

from typing import Literal

from disnake.ext import commands

ActionChoice = Literal["complete", "refund", "retry", "cancel"]
StatusChoice = Literal[
    "pending",
    "paid",
    "awaiting_stock",
    "delivered",
    "failed",
    "expired",
    "cancelled",
    "refunded",
    "partially_refunded",
    "disputed",
]
ProductKey = commands.String[str, 1, 64]
CodesText = commands.String[str, 1, 6000]
OrderNumber = commands.String[str, 1, 32]
RefundAmount = commands.String[str, 1, 32]
ReasonText = commands.String[str, 0, 500]
WalletReason = commands.String[str, 1, 255]
# Read by models.money.parse_money in the wallet's currency: "10", "-5.50", "Rp 50.000".
WalletAmount = commands.String[str, 1, 40]
PageNumber = commands.Range[int, 1, 9999]
