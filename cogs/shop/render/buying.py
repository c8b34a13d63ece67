"""How the shop's buying steps look: product and package selects, payment choice, receipts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import disnake

from cogs import _embeds
from cogs._embeds import clip, fit
from cogs.shop.ids import (
    PRODUCT_SELECT,
    PayMethod,
    coupon_id,
    notify_restock_id,
    package_select_id,
    pay_id,
    shop_page_id,
)
from models.catalog.storefront import Offer, ShopProduct
from models.coupons.rules import Discount
from models.money import format_money

OPTION_TEXT_MAX = 100
SELECT_OPTIONS_MAX = 25


@dataclass(frozen=True)
class PaymentChoices:
    """Which ways to pay are offered for one offer, and the buyer's wallet balance."""

    wallet_balance: int | None  # None: the wallet cannot pay (other currency)
    wallet_currency: str
    stripe: bool
    qris: bool
    # A subscription's renewal period ("month" | "year"); None for a one-off purchase.
    interval: str | None = None


def price_line(product: ShopProduct, offer: Offer, discount: Discount | None = None) -> str:
    """The offer in words, quantity first when more than one, with its price (a coupon's
    discounted price after the struck-out list price)."""
    price = format_money(offer.price, product.currency)
    if discount is not None:
        price = f"~~{price}~~ {format_money(discount.price, product.currency)}"
    if product.interval:
        price += f" a {product.interval}"
    if offer.quantity == 1:
        return f"{product.name} — {price}"
    return f"{offer.quantity} × {product.name} — {price}"


def stock_note(product: ShopProduct) -> str:
    if product.available is None:
        return "Always available"
    if product.sold_out:
        return "Sold out"
    return f"{product.available} in stock"


def saving_note(product: ShopProduct, offer: Offer) -> str:
    """ "save 10%" when a pack is cheaper than single items, else ""."""
    single = product.offers[0].price * offer.quantity
    if offer.quantity == 1 or offer.price >= single or single <= 0:
        return ""
    return f"save {round(100 * (single - offer.price) / single)}%"


def offer_price(product: ShopProduct, offer: Offer) -> str:
    """ "$5.00" for one item, "$22.50 / 5" for a pack."""
    price = format_money(offer.price, product.currency)
    return price if offer.quantity == 1 else f"{price} / {offer.quantity}"


def product_options(products: list[ShopProduct]) -> list[disnake.SelectOption]:
    options = []
    for product in products[:SELECT_OPTIONS_MAX]:
        cheapest = product.offers[0]
        label = f"{product.name} — {format_money(cheapest.price, product.currency)}"
        description = stock_note(product)
        if product.description:
            description = f"{description} · {product.description}"
        options.append(
            disnake.SelectOption(
                label=clip(label, OPTION_TEXT_MAX),
                value=product.key,
                description=clip(description, OPTION_TEXT_MAX),
            )
        )
    return options


@dataclass(frozen=True)
class ShopPage:
    """One page of the catalog: as many products as one select holds (Discord: 25)."""

    products: list[ShopProduct]
    page: int
    pages: int


def shop_page(products: list[ShopProduct], page: int = 1) -> ShopPage:
    """Page `page` (clamped: the catalog may have shrunk since the buttons were drawn)."""
    pages = max(1, -(-len(products) // SELECT_OPTIONS_MAX))
    page = min(max(page, 1), pages)
    start = (page - 1) * SELECT_OPTIONS_MAX
    return ShopPage(products[start : start + SELECT_OPTIONS_MAX], page, pages)


def shop_embed(shown: ShopPage) -> disnake.Embed:
    embed = disnake.Embed(title="Shop", colour=_embeds.INFO)
    if not shown.products:
        embed.description = "Nothing is for sale right now. Check back soon."
        return fit(embed)
    embed.description = "Pick a product."
    for product in shown.products[: _embeds.FIELDS_MAX]:
        prices = ", ".join(
            format_money(o.price, product.currency)
            + ("" if o.quantity == 1 else f" / {o.quantity}")
            for o in product.offers
        )
        embed.add_field(
            name=product.name,
            value=f"{prices}\n{stock_note(product)}",
            inline=False,
        )
    if shown.pages > 1:
        embed.set_footer(
            text=f"Page {shown.page} of {shown.pages} · more products on the other pages"
        )
    return fit(embed)


def shop_components(shown: ShopPage) -> list[list[disnake.ui.WrappedComponent]]:
    if not shown.products:
        return []
    rows: list[list[disnake.ui.WrappedComponent]] = [
        [
            disnake.ui.StringSelect(
                custom_id=PRODUCT_SELECT,
                placeholder="Choose a product",
                options=product_options(shown.products),
            )
        ]
    ]
    if shown.pages > 1:
        # Only the pages that exist: a disabled button would repeat an id on the message.
        buttons = []
        if shown.page > 1:
            buttons.append(
                disnake.ui.Button(label="Previous", custom_id=shop_page_id(shown.page - 1))
            )
        if shown.page < shown.pages:
            buttons.append(disnake.ui.Button(label="Next", custom_id=shop_page_id(shown.page + 1)))
        rows.append(buttons)
    return rows


def buyable_offers(product: ShopProduct) -> list[Offer]:
    return [o for o in product.offers if product.in_stock(o.quantity)][:SELECT_OPTIONS_MAX]


def package_embed(product: ShopProduct) -> disnake.Embed:
    embed = disnake.Embed(title=product.name, colour=_embeds.INFO)
    lines = [product.description] if product.description else []
    if not buyable_offers(product):
        if product.sold_out:
            lines.append("Sold out right now. We can DM you once when it is back in stock.")
        else:
            lines.append("Sold out right now. Check back soon.")
    else:
        lines.append(f"{stock_note(product)}. How many?")
    embed.description = "\n\n".join(lines)
    return fit(embed)


def package_components(product: ShopProduct) -> list[disnake.ui.WrappedComponent]:
    offers = buyable_offers(product)
    if not offers:
        return [notify_restock_button(product)] if product.sold_out else []
    options = []
    for offer in offers:
        saving = saving_note(product, offer)
        options.append(
            disnake.SelectOption(
                label=clip(price_line(product, offer), OPTION_TEXT_MAX),
                value=str(offer.quantity),
                description=saving or None,
            )
        )
    return [
        disnake.ui.StringSelect(
            custom_id=package_select_id(product.key),
            placeholder="Choose a quantity",
            options=options,
        )
    ]


def notify_restock_button(product: ShopProduct) -> disnake.ui.Button:
    return disnake.ui.Button(
        style=disnake.ButtonStyle.primary,
        label="Notify me when restocked",
        custom_id=notify_restock_id(product.key),
    )


def restock_asked_embed(product_name: str, *, already_asked: bool) -> disnake.Embed:
    """The answer to "Notify me when restocked": one DM when it is back, asked once."""
    name = clip(product_name, 200)
    embed = disnake.Embed(title=clip(product_name, _embeds.TITLE_MAX), colour=_embeds.INFO)
    if already_asked:
        embed.description = (
            f"You are already on the list for **{name}**: we DM you once when it is back."
        )
    else:
        embed.description = f"Done: we DM you once when **{name}** is back in stock."
    embed.set_footer(text="Keep your DMs from this server open to get the message.")
    return fit(embed)


def payment_embed(
    product: ShopProduct,
    offer: Offer,
    choices: PaymentChoices,
    discount: Discount | None = None,
) -> disnake.Embed:
    embed = disnake.Embed(title="Checkout", colour=_embeds.CHECKOUT_STARTED)
    embed.description = price_line(product, offer, discount)
    if discount is not None:
        embed.add_field(name="Coupon", value=discount.describe())
    if choices.wallet_balance is not None:
        embed.add_field(
            name="Wallet balance",
            value=format_money(choices.wallet_balance, choices.wallet_currency),
        )
    if choices.interval is not None:
        embed.add_field(
            name="Subscription",
            value=(
                f"Renews every {choices.interval} until you cancel. Card only: each renewal "
                "charges your card, which the wallet and QRIS cannot do."
            ),
            inline=False,
        )
    if not payment_buttons(product, offer, choices):
        embed.add_field(name="Payment", value="No way to pay is set up for this product yet.")
    else:
        embed.set_footer(text="Choose how to pay.")
    return fit(embed)


def payment_buttons(
    product: ShopProduct,
    offer: Offer,
    choices: PaymentChoices,
    discount: Discount | None = None,
) -> list[disnake.ui.Button]:
    """One button per way to pay (carrying the applied coupon), then "I have a coupon"."""
    code = discount.code if discount else None
    price = discount.price if discount else offer.price
    buttons = []
    if choices.wallet_balance is not None:
        buttons.append(
            disnake.ui.Button(
                style=disnake.ButtonStyle.success,
                label=f"Pay {format_money(price, product.currency)} from wallet",
                custom_id=pay_id(PayMethod.WALLET, product.key, offer.quantity, code),
            )
        )
    if choices.stripe:
        buttons.append(
            disnake.ui.Button(
                style=disnake.ButtonStyle.primary,
                label="Subscribe by card (Stripe)" if choices.interval else "Card (Stripe)",
                custom_id=pay_id(PayMethod.STRIPE, product.key, offer.quantity, code),
            )
        )
    if choices.qris:
        buttons.append(
            disnake.ui.Button(
                style=disnake.ButtonStyle.primary,
                label="QRIS",
                custom_id=pay_id(PayMethod.QRIS, product.key, offer.quantity, code),
            )
        )
    if buttons and choices.interval is None:  # a subscription takes no coupon
        buttons.append(
            disnake.ui.Button(
                style=disnake.ButtonStyle.secondary,
                label="Use another coupon" if discount else "I have a coupon",
                custom_id=coupon_id(product.key, offer.quantity),
            )
        )
    return buttons


def paid_embed(order_number: str, line: str, *, delivers_codes: bool) -> disnake.Embed:
    embed = disnake.Embed(title="Paid", colour=_embeds.COMPLETED)
    what = "your codes are on their way by DM" if delivers_codes else "your purchase is on its way"
    embed.description = f"{line}\nPaid — {what}."
    embed.add_field(name="Order", value=order_number)
    embed.set_footer(text="See it any time under My orders.")
    return fit(embed)


def checkout_link_embed(
    line: str, expires_at: datetime, *, after: str, order_number: str | None = None
) -> disnake.Embed:
    embed = disnake.Embed(title="Pay by card", colour=_embeds.PENDING)
    embed.description = f"{line}\nOpen the link to pay. {after}"
    if order_number:
        embed.add_field(name="Order", value=order_number)
    embed.add_field(name="Link expires", value=disnake.utils.format_dt(expires_at, "R"))
    return fit(embed)


def link_button(url: str, label: str = "Pay with Stripe") -> disnake.ui.Button:
    return disnake.ui.Button(style=disnake.ButtonStyle.link, label=label, url=url)


def qris_embed(
    title: str, line: str, amount: int, currency: str, expires_at: datetime, image_name: str
) -> disnake.Embed:
    embed = disnake.Embed(title=title, colour=_embeds.PENDING)
    embed.description = f"{line}\nScan the QR code with any QRIS app to pay."
    embed.add_field(name="Amount", value=format_money(amount, currency))
    embed.add_field(name="Expires", value=disnake.utils.format_dt(expires_at, "R"))
    embed.set_image(url=f"attachment://{image_name}")
    return fit(embed)
