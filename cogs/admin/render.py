"""Embeds and buttons for the /admin replies (all ephemeral, all clipped with fit())."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import datetime

import disnake

from cogs import _embeds
from cogs.admin.codes import NumberedCodes, describe_lines
from cogs.admin.ids import OPEN_ORDER_ID, OrdersFilter, orders_page_id
from models.customers.tables import WalletTransaction
from models.money import format_money
from models.orders.payment_event import ApplyResult
from models.reports.admin_views import OrderList, ProductStock
from models.reports.stats import ShopStats
from models.stock.actions import StockImport
from models.stock.reveal import RevealedCodes
from pacing import RestMetrics
from webhooks.refunds import RefundDone

REVEAL_INLINE_MAX = 3500
CHART_FILENAME = "orders-per-day.png"


def stock_import_embed(
    product_key: str, report: StockImport, numbered: NumberedCodes
) -> disnake.Embed:
    """added / duplicates / rejected with line numbers, never a code."""
    colour = _embeds.COMPLETED if report.added else _embeds.WARNING
    embed = disnake.Embed(title=f"Stock added to {product_key}", colour=colour)
    embed.add_field(name="Added", value=str(report.added))
    embed.add_field(name="Duplicates", value=str(report.duplicates))
    embed.add_field(name="Rejected", value=str(len(report.rejected)))
    if report.duplicate_lines:
        lines = [numbered.line_of(n) for n in report.duplicate_lines]
        embed.add_field(name="Duplicate lines", value=describe_lines(lines), inline=False)
    by_reason: dict[str, list[int]] = defaultdict(list)
    for position, reason in report.rejected:
        by_reason[reason].append(numbered.line_of(position))
    for reason, lines in sorted(by_reason.items()):
        embed.add_field(
            name=f"Rejected: {reason}", value=f"lines {describe_lines(lines)}", inline=False
        )
    if report.released_orders:
        embed.add_field(
            name="Waiting orders released",
            value=f"{len(report.released_orders)} order(s) now get their codes, oldest first.",
            inline=False,
        )
    return _embeds.fit(embed)


def stock_embed(report: list[ProductStock]) -> disnake.Embed:
    embed = disnake.Embed(title="Stock", colour=_embeds.INFO)
    if not report:
        embed.description = "No products hold codes."
    for item in report:
        mark = " ⚠️ low" if item.is_low else ""
        inactive = " (not on sale)" if not item.active else ""
        embed.add_field(
            name=f"{item.name} · {item.key}{inactive}{mark}",
            value=(
                f"available **{item.available}** · reserved {item.reserved}"
                + (f" ({item.held} held by open checkouts)" if item.held else "")
                + f" · delivered {item.delivered} · revoked {item.revoked}"
                + (f"\nlow-stock alert below {item.low_stock}" if item.low_stock else "")
                + (f"\n{item.origin}" if item.origin else "")
            ),
            inline=False,
        )
    embed.set_footer(text="config.toml seeds products; a Discord edit stays until the file changes")
    return _embeds.fit(embed)


def orders_embed(listing: OrderList, where: OrdersFilter) -> disnake.Embed:
    title = "Orders"
    if where.status:
        title += f" · {where.status.value.replace('_', ' ')}"
    embed = disnake.Embed(title=title, colour=_embeds.colour_for(where.status or "info"))
    if where.customer_id:
        embed.description = f"Customer <@{where.customer_id}>"
    if not listing.rows:
        embed.description = (embed.description or "") + "\nNo orders match."
    for row in listing.rows:
        who = f"<@{row.customer_discord_id}>" if row.customer_discord_id else "no customer"
        flag = " ⚠️" if row.needs_attention else ""
        item = f"{row.product_name or 'order'} × {row.quantity}"
        embed.add_field(
            name=f"{row.number} · {row.status.value.replace('_', ' ')}{flag}",
            value=(
                f"{item} · {format_money(row.amount, row.currency)} · {who}\n"
                f"{row.source} · <t:{int(row.created_at.timestamp())}:R>"
            ),
            inline=False,
        )
    embed.set_footer(text=f"Page {listing.page} of {listing.pages} · {listing.total} order(s)")
    return _embeds.fit(embed)


def orders_buttons(listing: OrderList, where: OrdersFilter) -> list[disnake.ui.Button]:
    return [
        disnake.ui.Button(
            label="◀ Previous",
            style=disnake.ButtonStyle.secondary,
            custom_id=orders_page_id(max(1, listing.page - 1), where, "prev"),
            disabled=listing.page <= 1,
        ),
        disnake.ui.Button(
            label="Next ▶",
            style=disnake.ButtonStyle.secondary,
            custom_id=orders_page_id(min(listing.pages, listing.page + 1), where, "next"),
            disabled=listing.page >= listing.pages,
        ),
    ]


def open_order_select(listing: OrderList) -> disnake.ui.StringSelect | None:
    """The select under /admin vieworders that opens one of the listed orders."""
    if not listing.rows:
        return None
    return disnake.ui.StringSelect(
        custom_id=OPEN_ORDER_ID,
        placeholder="Open an order…",
        options=[
            disnake.SelectOption(
                label=f"{row.number} · {row.status.value.replace('_', ' ')}",
                value=row.number,
                description=_embeds.clip(row.product_name or "order", 100),
            )
            for row in listing.rows
        ],
    )


def order_action_embed(action: str, result: ApplyResult, reason: str) -> disnake.Embed:
    before = result.previous_status.value if result.previous_status else "new"
    embed = disnake.Embed(
        title=f"Order {result.order_number}: {action}",
        description=f"{before.replace('_', ' ')} → **{result.status.value.replace('_', ' ')}**",
        colour=_embeds.colour_for(result.status.value),
    )
    if not result.changed:
        embed.add_field(name="Status", value="unchanged (the follow-up work was queued again)")
    if reason:
        embed.add_field(name="Reason", value=reason, inline=False)
    embed.set_footer(text="Recorded in the order's audit trail with your id.")
    return _embeds.fit(embed)


def refund_embed(done: RefundDone, reason: str) -> disnake.Embed:
    """The provider's answer and the order's new state (or that nothing changed)."""
    order = done.plan.order
    result = done.result
    status = result.status.value if result else order.status.value
    embed = disnake.Embed(
        title=f"Order {order.number}: refund {done.plan.money}",
        description="\n".join(line for line in done.lines if line),
        colour=_embeds.colour_for(status),
    )
    if result is not None:
        before = result.previous_status.value if result.previous_status else "new"
        embed.add_field(
            name="Status",
            value=f"{before.replace('_', ' ')} → **{result.status.value.replace('_', ' ')}**",
        )
    if reason:
        embed.add_field(name="Reason", value=reason, inline=False)
    embed.set_footer(text="Recorded in the order's audit trail with your id.")
    return _embeds.fit(embed)


def reveal_reply(revealed: RevealedCodes) -> tuple[disnake.Embed, list[disnake.File]]:
    """The codes inline when short, else as a .txt file; for the admin's eyes only."""
    embed = disnake.Embed(
        title=f"Codes of order {revealed.order_number}",
        colour=_embeds.colour_for(revealed.status),
    )
    embed.set_footer(text=f"{revealed.product_name} · {len(revealed.codes)} code(s) · audited")
    text = "\n".join(revealed.codes)
    if len(text) <= REVEAL_INLINE_MAX and "```" not in text:
        embed.description = f"```\n{text}\n```"
        return _embeds.fit(embed), []
    embed.description = "The codes are in the attached file."
    data = io.BytesIO((text + "\n").encode())
    return _embeds.fit(embed), [disnake.File(data, filename=f"{revealed.order_number}-codes.txt")]


def wallet_embed(user: disnake.abc.User, entry: WalletTransaction) -> disnake.Embed:
    sign = "+" if entry.amount > 0 else ""
    embed = disnake.Embed(
        title=f"Wallet of {user.display_name} adjusted",
        description=(
            f"{sign}{format_money(entry.amount, entry.currency)} → balance "
            f"**{format_money(entry.balance_after, entry.currency)}**"
        ),
        colour=_embeds.COMPLETED if entry.amount > 0 else _embeds.REFUNDED,
    )
    embed.add_field(name="Reason", value=entry.note or "—", inline=False)
    embed.set_footer(text="Recorded in the wallet ledger with your id.")
    return _embeds.fit(embed)


def _money_lines(amounts: dict[str, int]) -> str:
    if not amounts:
        return "—"
    return " · ".join(format_money(v, c) for c, v in sorted(amounts.items()))


def rest_line(rest: RestMetrics) -> str:
    """Invalid requests toward Discord's ban threshold, 429s by scope, and the bot's pace."""
    invalid = rest.invalid_10m
    parts = " · ".join(f"{status}: {invalid.get(status, 0)}" for status in (401, 403, 429))
    limited = rest.rate_limited
    pace = f"{rest.pace_per_second}/s" if rest.pace_per_second else "off (a REST proxy paces)"
    return (
        f"{rest.invalid_total_10m} invalid in 10 min of {rest.ban_threshold:,} allowed "
        f"({parts})\n429s since start: {limited.get('global', 0)} global, "
        f"{limited.get('user', 0)} route, {limited.get('shared', 0)} shared · pace {pace}"
    )


def stats_embed(stats: ShopStats, now: datetime, rest: RestMetrics | None = None) -> disnake.Embed:
    embed = disnake.Embed(title="Shop statistics", colour=_embeds.INFO, timestamp=now)
    embed.add_field(name="Revenue (all time)", value=_money_lines(stats.revenue), inline=False)
    embed.add_field(
        name="Tracked, sold elsewhere (Refract, order API)",
        value=f"{stats.tracked_orders} order(s) · {_money_lines(stats.tracked)}",
        inline=False,
    )
    for name, window in stats.windows.items():
        value = f"{window.orders} order(s), {window.paid_orders} paid\n"
        value += _money_lines(window.revenue)
        if window.tracked:
            value += f"\ntracked: {_money_lines(window.tracked)}"
        embed.add_field(name=f"Last {name}", value=value)
    by_status = [
        f"{status.replace('_', ' ')} {count}"
        for status, count in stats.orders_by_status.items()
        if count
    ]
    embed.add_field(
        name="Orders by status", value=" · ".join(by_status) or "no orders", inline=False
    )
    stock_lines = [
        f"{key}: {counts.get('available', 0)} available, {counts.get('reserved', 0)} reserved"
        for key, counts in sorted(stats.stock.items())
        if any(counts.values())
    ]
    embed.add_field(name="Stock", value="\n".join(stock_lines) or "no codes stored", inline=False)
    queue = stats.queue
    embed.add_field(
        name="Job queue",
        value=f"{queue.waiting} waiting · {queue.parked} parked · {queue.done} done",
    )
    embed.add_field(
        name="Webhook errors",
        value=f"{stats.webhook_errors} total · {stats.webhook_errors_24h} in 24 h",
    )
    embed.add_field(name="Needs attention", value=f"{stats.needs_attention} order(s)")
    if stats.timed is not None and stats.timed.any:
        timed = stats.timed
        embed.add_field(
            name="Timed access",
            value=f"{timed.active} active · last 30 d: {timed.renewals_30d} renewal(s), "
            f"{timed.lapses_30d} lapse(s)",
        )
    embed.add_field(
        name="Coupon discounts",
        value=f"{stats.discounted_orders} order(s) · {_money_lines(stats.discounts)}"
        if stats.discounted_orders
        else "none given",
    )
    subs = stats.subscriptions
    if subs is not None and subs.any:
        states = " · ".join(f"{k.replace('_', ' ')} {n}" for k, n in sorted(subs.by_status.items()))
        value = f"{states}\n{subs.renewals} renewal(s)"
        if subs.renewal_revenue:
            value += f" · {_money_lines(subs.renewal_revenue)}"
        embed.add_field(name="Subscriptions", value=value, inline=False)
    if rest is not None:
        embed.add_field(name="Discord requests", value=rest_line(rest), inline=False)
    embed.set_image(url=f"attachment://{CHART_FILENAME}")
    return _embeds.fit(embed)


def notice(text: str, colour: disnake.Colour = _embeds.INFO) -> disnake.Embed:
    return _embeds.fit(disnake.Embed(description=text, colour=colour))
