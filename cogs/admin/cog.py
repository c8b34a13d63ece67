"""/admin: the seller's slash commands — stock, orders, wallets, statistics, panel, roles.

One top-level command carries every sub-command, because Discord only lets a top-level
command carry default_member_permissions: Manage Server sees it by default. Members with the
configured admin role pass the bot's own check too (a server owner can show them the command
under Server Settings → Integrations). Every reply is ephemeral. What an admin does is in the
audit trail: OrderEvents and WalletTransactions carry the admin's id, the rest is logged.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import disnake
from disnake.ext import commands

from cogs.admin import render
from cogs.admin.chart import orders_per_day_png
from cogs.admin.codes import (
    check_code_file,
    codes_from_file,
    codes_from_text,
)
from cogs.admin.ids import ORDERS_PAGE_PREFIX, OrdersFilter, parse_orders_page_id
from cogs.admin.import_progress import ImportProgressSettings, ProgressEdits
from cogs.admin.options import (
    ActionChoice,
    CodesText,
    OrderNumber,
    PageNumber,
    ProductKey,
    ReasonText,
    RefundAmount,
    StatusChoice,
)
from cogs.admin.subscription_cancel import cancel_at_stripe, subscription_to_cancel
from cogs.shop import post_shop_panel
from models.base import OrderStatus
from models.errors import InvalidInput, ShopError
from models.orders.actions import admin_process_order
from models.orders.trends import orders_per_day
from models.reports.admin_views import code_products, order_list, stock_report
from models.reports.stats import order_stats
from models.stock.restock import add_stock
from models.stock.reveal import reveal_order_codes
from models.subscriptions.tables import Subscription
from webhooks.refunds import refund_order

log = logging.getLogger(__name__)

ORDERS_PER_PAGE = 10
Reply = dict[str, Any]  # keyword arguments for edit_original_response


class NotShopAdmin(commands.CheckFailure):
    """Raised by the /admin check; its message is what the member sees."""

    def __init__(self) -> None:
        super().__init__("Only shop admins (Manage Server or the admin role) can use /admin.")
        self.message = str(self)


def is_shop_admin(inter: disnake.Interaction, admin_role_id: int) -> bool:
    """Manage Server (or Administrator) in this guild, or the configured admin role."""
    if inter.guild is None or not isinstance(inter.author, disnake.Member):
        return False
    if inter.permissions.manage_guild or inter.permissions.administrator:
        return True
    return bool(admin_role_id) and any(role.id == admin_role_id for role in inter.author.roles)


class Admin(commands.Cog):
    """The /admin command tree."""

    def __init__(self, bot: commands.InteractionBot) -> None:
        self.bot = bot
        self.admin_role_id: int = bot.settings.discord.admin_role_id
        self.import_progress = ImportProgressSettings()

    async def cog_slash_command_check(self, inter: disnake.ApplicationCommandInteraction) -> bool:
        if not is_shop_admin(inter, self.admin_role_id):
            log.warning("refused /admin %s for %s", inter.data.name, inter.author.id)
            raise NotShopAdmin()
        return True

    @commands.slash_command(
        name="admin",
        default_member_permissions=disnake.Permissions(manage_guild=True),
        contexts=disnake.InteractionContextTypes(guild=True),
    )
    async def admin(self, inter: disnake.ApplicationCommandInteraction) -> None:
        """Shop administration."""

    # -- stock ---------------------------------------------------------------------------

    @admin.sub_command(name="addstock")
    async def addstock(
        self,
        inter: disnake.ApplicationCommandInteraction,
        product: ProductKey,
        codes: CodesText | None = None,
        file: disnake.Attachment | None = None,
    ) -> None:
        """Add codes to a product; waiting orders get them first.

        Parameters
        ----------
        product: The product that gets the codes
        codes: Codes separated by spaces, commas or semicolons
        file: A .txt or .csv file, one code per line (UTF-8, at most 1 MiB)
        """
        if codes and file:
            raise InvalidInput("Give codes as text or as a file, not both.")
        if file is not None:
            check_code_file(file.filename, file.content_type, file.size)
        elif not codes:
            raise InvalidInput("Give the codes: type them in `codes` or attach a .txt/.csv `file`.")

        async def work() -> Reply:
            if file is not None:
                data = await file.read()
                numbered = codes_from_file(file.filename, file.content_type, file.size, data)
            else:
                numbered = codes_from_text(codes or "")
            progress = None
            if len(numbered.codes) > self.import_progress.from_codes:
                progress = ProgressEdits(
                    product,
                    lambda text: inter.edit_original_response(content=text),
                    self.import_progress,
                )
            try:
                report = await add_stock(
                    product,
                    numbered.codes,
                    self.bot.cipher,
                    added_by=inter.author.id,
                    progress=progress,
                )
            finally:
                if progress is not None:
                    await progress.settle()
            log.info("admin %s added stock to %s: %s", inter.author.id, product, report.summary())
            # content=None clears a progress line the reply may show.
            return {"content": None, "embed": render.stock_import_embed(product, report, numbered)}

        await _answer_later(inter, work)

    @addstock.autocomplete("product")
    async def _product_choices(self, inter: disnake.ApplicationCommandInteraction, typed: str):
        return {f"{name} ({key})"[:100]: key for key, name in await code_products(typed)}

    @admin.sub_command(name="viewstock")
    async def viewstock(
        self,
        inter: disnake.ApplicationCommandInteraction,
        product: ProductKey | None = None,
    ) -> None:
        """Codes available, reserved, delivered and revoked per product.

        Parameters
        ----------
        product: Only this product
        """
        report = await stock_report(product)
        await inter.response.send_message(embed=render.stock_embed(report), ephemeral=True)

    @viewstock.autocomplete("product")
    async def _viewstock_choices(self, inter: disnake.ApplicationCommandInteraction, typed: str):
        return await self._product_choices(inter, typed)

    # -- orders --------------------------------------------------------------------------

    @admin.sub_command(name="vieworders")
    async def vieworders(
        self,
        inter: disnake.ApplicationCommandInteraction,
        status: StatusChoice | None = None,
        customer: disnake.User | None = None,
        page: PageNumber = 1,
    ) -> None:
        """List orders, newest first, with buttons for the other pages.

        Parameters
        ----------
        status: Only orders in this status
        customer: Only this buyer's orders
        page: Page number (10 orders a page)
        """
        where = OrdersFilter(
            status=OrderStatus(status) if status else None,
            customer_id=customer.id if customer else None,
        )
        embed, buttons = await _orders_view(page, where)
        await inter.response.send_message(embed=embed, components=buttons, ephemeral=True)

    @commands.Cog.listener("on_button_click")
    async def orders_page_clicked(self, inter: disnake.MessageInteraction) -> None:
        if not inter.data.custom_id or not inter.data.custom_id.startswith(ORDERS_PAGE_PREFIX):
            return
        if not is_shop_admin(inter, self.admin_role_id):
            raise NotShopAdmin()
        page, where = parse_orders_page_id(inter.data.custom_id)
        embed, buttons = await _orders_view(page, where)
        await inter.response.edit_message(embed=embed, components=buttons)

    @admin.sub_command(name="processorder")
    async def processorder(
        self,
        inter: disnake.ApplicationCommandInteraction,
        order: OrderNumber,
        action: ActionChoice,
        reason: ReasonText = "",
        amount: RefundAmount | None = None,
    ) -> None:
        """Complete, refund, retry delivery of, or cancel an order by hand.

        Parameters
        ----------
        order: Order number, e.g. SR-7K3P9Q
        action: complete (mark paid, deliver), refund (card, QRIS, wallet), retry, or cancel
        reason: Why (kept in the order's audit trail)
        amount: Refund only this much, in the order's currency (e.g. 5.50); default: all of it
        """
        if action == "refund":
            await _answer_later(inter, lambda: self._refund(inter, order, amount, reason))
            return
        if amount:
            raise InvalidInput("An amount goes with refund only.")
        if action == "cancel" and (sub := await subscription_to_cancel(order)) is not None:
            await _answer_later(inter, lambda: self._cancel_subscription(inter, sub, order, reason))
            return
        result = await admin_process_order(
            order,
            action,
            actor_id=inter.author.id,
            reference=f"interaction:{inter.id}",
            note=reason,
        )
        log.info(
            "admin %s: %s order %s -> %s",
            inter.author.id,
            action,
            result.order_number,
            result.status.value,
        )
        await inter.response.send_message(
            embed=render.order_action_embed(action, result, reason), ephemeral=True
        )

    async def _cancel_subscription(
        self, inter: disnake.ApplicationCommandInteraction, sub: Subscription, order: str, why: str
    ) -> Reply:
        embed = await cancel_at_stripe(
            self.bot, sub, order, actor_id=inter.author.id, reason=why, ref=str(inter.id)
        )
        return {"embed": embed}

    async def _refund(
        self, inter: disnake.ApplicationCommandInteraction, order: str, amount: str | None, why: str
    ) -> Reply:
        """Moves the money at the provider (or wallet), then records it; see webhooks.refunds."""
        done = await refund_order(
            self.bot.settings,
            self.bot.http_session,
            order,
            amount_text=amount,
            actor_id=inter.author.id,
            note=why,
        )
        return {"embed": render.refund_embed(done, why)}

    @admin.sub_command(name="revealcodes")
    async def revealcodes(
        self,
        inter: disnake.ApplicationCommandInteraction,
        order: OrderNumber,
    ) -> None:
        """Show an order's codes to you alone (recorded in the order's audit trail).

        Parameters
        ----------
        order: Order number, e.g. SR-7K3P9Q
        """
        revealed = await reveal_order_codes(
            order, self.bot.cipher, actor_id=inter.author.id, reference=f"interaction:{inter.id}"
        )
        embed, files = render.reveal_reply(revealed)
        await inter.response.send_message(embed=embed, files=files, ephemeral=True)

    # -- statistics ----------------------------------------------------------------------

    @admin.sub_command(name="botstats")
    async def botstats(self, inter: disnake.ApplicationCommandInteraction) -> None:
        """Revenue, orders, stock, job queue, webhook errors, Discord requests; a 30-day chart."""

        async def work() -> Reply:
            now = datetime.now(UTC)
            stats = await order_stats(now)
            days = await orders_per_day(now, 30)
            # Drawing is CPU work: keep it off the event loop.
            png = await asyncio.to_thread(orders_per_day_png, days)
            chart = disnake.File(io.BytesIO(png), filename=render.CHART_FILENAME)
            rest = self.bot.rest_pacer.metrics()
            return {"embed": render.stats_embed(stats, now, rest), "file": chart}

        await _answer_later(inter, work)

    # -- shop panel and roles --------------------------------------------------------------

    @admin.sub_command(name="panel")
    async def panel(
        self,
        inter: disnake.ApplicationCommandInteraction,
        channel: disnake.TextChannel | None = None,
    ) -> None:
        """Post the shop panel (Shop, Wallet, My orders); an earlier panel moves here.

        Parameters
        ----------
        channel: Where to post it (default: this channel)
        """
        target = channel or inter.channel
        if not isinstance(target, disnake.TextChannel):
            raise InvalidInput("Pick a text channel for the shop panel.")

        async def work() -> Reply:
            try:
                message = await post_shop_panel(self.bot, target)
            except disnake.Forbidden:
                raise InvalidInput(
                    f"I cannot post in {target.mention}: give me View Channel, Send Messages "
                    "and Embed Links there."
                ) from None
            log.info("admin %s posted the shop panel in channel %s", inter.author.id, target.id)
            return {"embed": render.notice(f"Shop panel posted: {message.jump_url}")}

        await _answer_later(inter, work)


async def _answer_later(
    inter: disnake.ApplicationCommandInteraction, work: Callable[[], Awaitable[Reply]]
) -> None:
    """Defers (ephemeral) for work that may outlast Discord's 3 s, then edits the answer in.

    A ShopError raised by the work replaces the "thinking…" state with its message, so the
    admin never sees a reply stuck loading; anything else goes to the error handler.
    """
    await inter.response.defer(ephemeral=True)
    try:
        reply = await work()
    except ShopError as exc:
        await inter.edit_original_response(content=exc.message)
        return
    await inter.edit_original_response(**reply)


async def _orders_view(
    page: int, where: OrdersFilter
) -> tuple[disnake.Embed, list[disnake.ui.ActionRow]]:
    listing = await order_list(where.status, where.customer_id, page, ORDERS_PER_PAGE)
    rows = [disnake.ui.ActionRow(*render.orders_buttons(listing, where))]
    if (select := render.open_order_select(listing)) is not None:
        rows.append(disnake.ui.ActionRow(select))
    return render.orders_embed(listing, where), rows
