"""/admin customer user: one member's orders, wallet and ledger, managed roles, DMs and flags.

The reply pages its orders and its ledger separately; each button carries both pages:

    admin:customer:<discord id>:<orders page>:<ledger page>:<orders-prev|orders-next|…>

The last part keeps the four buttons apart (Discord refuses a message whose custom ids
repeat, disabled buttons included). The "Open an order…" select is the one /admin vieworders
uses (cogs/admin/order_view.py answers it).
"""

from __future__ import annotations

import re

import disnake
from disnake.ext import commands

from cogs import _embeds
from cogs._embeds import clip
from cogs.admin.cog import Admin
from cogs.admin.guard import require_admin
from cogs.admin.ids import OPEN_ORDER_ID
from cogs.shop.render.wallet import ledger_line
from models.errors import InvalidInput
from models.money import format_money
from models.reports.customer_view import CustomerView, customer_view

PREFIX = "admin:customer:"
BUTTONS = ("orders-prev", "orders-next", "ledger-prev", "ledger-next")
_CUSTOM_ID = re.compile(
    r"^admin:customer:(\d{1,20}):(\d{1,4}):(\d{1,4}):(orders-prev|orders-next|ledger-prev|ledger-next)$"
)
STALE = "That button is not valid any more; run /admin customer again."


def page_id(discord_id: int, orders_page: int, ledger_page: int, button: str) -> str:
    return f"{PREFIX}{discord_id}:{orders_page}:{ledger_page}:{button}"


def parse_page_id(custom_id: str) -> tuple[int, int, int]:
    """(discord id, orders page, ledger page) of a button; InvalidInput when it is not one."""
    match = _CUSTOM_ID.match(custom_id)
    if match is None:
        raise InvalidInput(STALE)
    discord_id, orders_page, ledger_page = (int(match.group(n)) for n in (1, 2, 3))
    if not discord_id or orders_page < 1 or ledger_page < 1:
        raise InvalidInput(STALE)
    return discord_id, orders_page, ledger_page


def _roles_lines(view: CustomerView, member: disnake.Member | None) -> list[str]:
    held = {role.id for role in member.roles} if member is not None else set()
    lines = []
    for grant in view.roles:
        if not grant.role_id:
            role = "the customer role (CUSTOMER_ROLE_ID is not set: nothing is granted)"
        else:
            role = f"<@&{grant.role_id}>"
        state = "" if member is None else (" · held" if grant.role_id in held else " · ⚠️ missing")
        lines.append(f"{role}{state} · entitled by {', '.join(grant.orders)}")
    entitled = {grant.role_id for grant in view.roles}
    for role_id in sorted((held & view.managed_roles) - entitled):
        lines.append(f"<@&{role_id}> · held without an entitling order (resync removes it)")
    if not view.roles:
        lines.insert(0, "None: no active order grants a role.")
    if member is None:
        lines.append("Not a member of this server now.")
    return lines


def _flag_lines(view: CustomerView) -> list[str]:
    flags = view.flags
    lines = []
    if flags.debt:
        lines.append(f"⚠️ debt: owes {format_money(flags.debt, view.currency)} to the wallet")
    if flags.disputed_orders:
        lines.append(f"⚠️ dispute: orders {', '.join(flags.disputed_orders)}")
    if flags.disputed_topups:
        lines.append(f"⚠️ dispute: {flags.disputed_topups} disputed top-up(s)")
    for number, reason in flags.attention:
        lines.append(f"⚠️ attention: {number} · {reason}")
    return lines or ["None"]


def _order_lines(view: CustomerView) -> list[str]:
    lines = []
    for order in view.orders.orders:
        name = order.product_name or (order.product.name if order.product else "order")
        flag = " ⚠️" if order.needs_attention else ""
        lines.append(
            f"`{order.number}` {order.status.value.replace('_', ' ')}{flag} · {name} × "
            f"{order.quantity} · {format_money(order.amount, order.currency)} · "
            f"<t:{int(order.created_at.timestamp())}:R>"
        )
    return lines or ["No orders."]


def _ledger_lines(view: CustomerView) -> list[str]:
    lines = []
    for entry in view.ledger.entries:
        note = entry.note or entry.reference
        if entry.actor_id:
            note = f"{note} · by <@{entry.actor_id}>"
        line = ledger_line(
            entry.kind.value, entry.amount, entry.currency, int(entry.created_at.timestamp()), note
        )
        lines.append(f"{line} → {format_money(entry.balance_after, entry.currency)}")
    return lines or ["No transactions."]


def customer_embed(view: CustomerView, member: disnake.Member | None) -> disnake.Embed:
    colour = _embeds.WARNING if view.flags.any else _embeds.INFO
    embed = disnake.Embed(title="Customer", colour=colour)
    dms = "closed (deliveries go to the fallback channel)" if view.dms_closed else "open"
    embed.description = f"<@{view.discord_id}> · `{view.discord_id}` · DMs {dms}"
    if not view.known:
        embed.description += "\nNo order, wallet or ledger entry yet."
    embed.add_field(
        name="Wallet",
        value=(
            f"balance **{format_money(view.ledger.balance, view.currency)}** · spent "
            f"{format_money(view.total_spent, view.currency)} · topped up "
            f"{format_money(view.total_topped_up, view.currency)}"
        ),
        inline=False,
    )
    embed.add_field(name="Flags", value="\n".join(_flag_lines(view)), inline=False)
    embed.add_field(
        name="Roles Stockroom manages", value="\n".join(_roles_lines(view, member)), inline=False
    )
    if view.subscriptions:
        embed.add_field(
            name="Subscriptions",
            value="\n".join(
                f"`{s.order_number}` {clip(s.product_name, 60)} · {s.summary()}"
                for s in view.subscriptions
            ),
            inline=False,
        )
    orders = view.orders
    embed.add_field(
        name=f"Orders · page {orders.page} of {orders.pages} · {orders.total} in all",
        value="\n".join(_order_lines(view)),
        inline=False,
    )
    embed.add_field(
        name=f"Ledger · page {view.ledger.page} of {view.ledger.pages}",
        value="\n".join(_ledger_lines(view)),
        inline=False,
    )
    return _embeds.fit(embed)


def customer_components(view: CustomerView) -> list[disnake.ui.ActionRow]:
    orders, ledger = view.orders, view.ledger

    def button(label: str, name: str, orders_page: int, ledger_page: int, disabled: bool):  # type: ignore[no-untyped-def]
        return disnake.ui.Button(
            label=label,
            custom_id=page_id(view.discord_id, orders_page, ledger_page, name),
            disabled=disabled,
        )

    rows = [
        disnake.ui.ActionRow(
            button(
                "◀ Orders", "orders-prev", max(1, orders.page - 1), ledger.page, orders.page <= 1
            ),
            button(
                "Orders ▶",
                "orders-next",
                min(orders.pages, orders.page + 1),
                ledger.page,
                orders.page >= orders.pages,
            ),
            button(
                "◀ Ledger", "ledger-prev", orders.page, max(1, ledger.page - 1), ledger.page <= 1
            ),
            button(
                "Ledger ▶",
                "ledger-next",
                orders.page,
                min(ledger.pages, ledger.page + 1),
                ledger.page >= ledger.pages,
            ),
        )
    ]
    if orders.orders:
        select = disnake.ui.StringSelect(
            custom_id=OPEN_ORDER_ID,
            placeholder="Open an order…",
            options=[
                disnake.SelectOption(
                    label=f"{o.number} · {o.status.value.replace('_', ' ')}",
                    value=o.number,
                    description=_embeds.clip(o.product_name or "order", 100),
                )
                for o in orders.orders
            ],
        )
        rows.append(disnake.ui.ActionRow(select))
    return rows


async def customer_reply(
    inter: disnake.Interaction, discord_id: int, orders_page: int = 1, ledger_page: int = 1
) -> dict:
    settings = inter.bot.settings  # type: ignore[attr-defined]
    view = await customer_view(
        discord_id,
        settings.discord.customer_role_id,
        orders_page=orders_page,
        ledger_page=ledger_page,
    )
    member = inter.guild.get_member(discord_id) if inter.guild else None
    return {"embed": customer_embed(view, member), "components": customer_components(view)}


@Admin.admin.sub_command(name="customer")
async def customer_command(
    inter: disnake.ApplicationCommandInteraction, user: disnake.User
) -> None:
    """A customer's orders, wallet and ledger, managed roles and why, DM status and flags.

    Parameters
    ----------
    user: The customer
    """
    if user.bot:
        raise InvalidInput("Bots are not customers: they have no orders or wallet.")
    await inter.response.send_message(**await customer_reply(inter, user.id), ephemeral=True)


class CustomerPages(commands.Cog):
    """The page buttons under /admin customer."""

    def __init__(self, bot: commands.InteractionBot) -> None:
        self.bot = bot

    @commands.Cog.listener("on_button_click")
    async def customer_page_clicked(self, inter: disnake.MessageInteraction) -> None:
        if not (inter.data.custom_id or "").startswith(PREFIX):
            return
        require_admin(inter)
        discord_id, orders_page, ledger_page = parse_page_id(inter.data.custom_id or "")
        reply = await customer_reply(inter, discord_id, orders_page, ledger_page)
        await inter.response.edit_message(**reply)
