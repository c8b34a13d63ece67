"""The buying steps behind the Shop button: product, package, payment, and the receipt."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta

import disnake

from cogs.shop.ids import PayMethod
from cogs.shop.render import buying as render
from cogs.shop.reply import show_step
from models.base import PaymentMethod
from models.catalog.storefront import Offer, ShopProduct, get_shop_product, list_shop_products
from models.coupons.actions import check_coupon
from models.coupons.rules import Discount, applied_coupon
from models.customers import wallet
from models.customers.restock_requests import ask_for_restock_notice
from models.errors import InsufficientFunds, InvalidInput, OutOfStock
from models.money import exponent, format_money
from models.orders.actions import attach_checkout
from models.orders.holds import extend_hold, short_message
from models.orders.purchases import purchase_with_wallet, start_checkout
from models.orders.tables import Order
from settings import Settings
from webhooks.midtrans import create_qris_charge, order_ref_for
from webhooks.stripe import create_checkout

log = logging.getLogger(__name__)
QR_IMAGE_NAME = "qris.png"


def payment_choices(
    settings: Settings,
    product: ShopProduct,
    offer: Offer,
    balance: int,
    discount: Discount | None = None,
) -> render.PaymentChoices:
    """The ways to pay this offer: a disabled provider or another currency is not offered.

    A subscription (product.interval) renews by charging a card, so only Stripe sells it.
    """
    one_off = product.interval is None
    wallet_pays = one_off and product.currency == settings.wallet_currency
    price = discount.price if discount else offer.price
    return render.PaymentChoices(
        wallet_balance=balance if wallet_pays else None,
        wallet_currency=settings.wallet_currency,
        stripe=settings.stripe.enabled,
        # QRIS charges whole units of the Midtrans currency only.
        qris=one_off
        and settings.midtrans.enabled
        and product.currency == settings.midtrans.currency
        and price % 10 ** exponent(product.currency) == 0,
        interval=product.interval,
    )


def purchase_quantities(quantity: int) -> dict[str, int]:
    """How the order core is told the amount: one item, or the package of that size."""
    return {"quantity": 1} if quantity == 1 else {"package_quantity": quantity}


async def show_shop(inter: disnake.MessageInteraction) -> None:
    """The Shop button: the first page of the product select, as a new ephemeral message."""
    shown = render.shop_page(await list_shop_products())
    await inter.response.send_message(
        embed=render.shop_embed(shown),
        components=render.shop_components(shown),
        ephemeral=True,
    )


async def show_shop_page(inter: disnake.MessageInteraction, page: int) -> None:
    """Previous / Next under the product select: the same message shows another page."""
    shown = render.shop_page(await list_shop_products(), page)
    await show_step(inter, embed=render.shop_embed(shown), components=render.shop_components(shown))


async def choose_product(inter: disnake.MessageInteraction, product_key: str) -> None:
    """The package step; a product sold only one way goes straight to payment."""
    product = await get_shop_product(product_key)
    offers = render.buyable_offers(product)
    if len(product.offers) == 1 and offers:
        await choose_package(inter, product, offers[0])
        return
    await show_step(
        inter, embed=render.package_embed(product), components=render.package_components(product)
    )


async def choose_package(
    inter: disnake.MessageInteraction | disnake.ModalInteraction,
    product: ShopProduct,
    offer: Offer,
    discount: Discount | None = None,
) -> None:
    """The payment step: the price (after the coupon, when one is applied) and ways to pay."""
    settings: Settings = inter.bot.settings
    balance = await wallet.balance(inter.author.id)
    choices = payment_choices(settings, product, offer, balance, discount)
    await show_step(
        inter,  # type: ignore[arg-type]  (a modal sent from the step edits the step)
        embed=render.payment_embed(product, offer, choices, discount),
        components=render.payment_buttons(product, offer, choices, discount),
    )


async def discount_for(
    inter: disnake.Interaction, product: ShopProduct, offer: Offer, code: str | None
) -> Discount | None:
    """The coupon's discount on this offer for this buyer (CouponRefused says why not)."""
    if code is None:
        return None
    return await check_coupon(
        code,
        product_key=product.key,
        product_name=product.name,
        currency=product.currency,
        list_price=offer.price,
        discord_id=inter.author.id,
    )


async def choose_package_by_key(
    inter: disnake.MessageInteraction, product_key: str, quantity: int
) -> None:
    product = await get_shop_product(product_key)
    await choose_package(inter, product, product.offer(quantity))


async def pay(
    inter: disnake.MessageInteraction,
    method: PayMethod,
    product_key: str,
    quantity: int,
    coupon: str | None = None,
) -> None:
    product = await get_shop_product(product_key)
    offer = product.offer(quantity)
    settings: Settings = inter.bot.settings
    # The coupon is checked again where the order is made (its use counted there).
    choices = payment_choices(settings, product, offer, 0)
    offered = {
        PayMethod.WALLET: choices.wallet_balance is not None,
        PayMethod.STRIPE: choices.stripe,
        PayMethod.QRIS: choices.qris,
    }
    if not offered[method]:
        raise InvalidInput("That way to pay is not available for this product.")
    # A checkout decides in start_checkout (its hold); the buyer's own open hold counts there.
    if method is PayMethod.WALLET and not product.in_stock(quantity):
        raise OutOfStock(short_message(product.name, quantity, product.available))
    # One buyer, payment message and offer, one order: a double click finds the order the
    # first click made. The buyer's id keeps two people's references apart on a shared message.
    reference = f"{inter.author.id}:{inter.message.id}:{product.key}:{quantity}"
    if coupon is not None:
        reference = f"{reference}:{coupon}"  # the same click with a coupon is another order
    if method is PayMethod.WALLET:
        await pay_from_wallet(inter, product, offer, reference, coupon)
    elif method is PayMethod.STRIPE:
        await pay_by_stripe(inter, product, offer, f"{reference}:stripe", coupon)
    else:
        await pay_by_qris(inter, product, offer, f"{reference}:qris", coupon)


def _line(product: ShopProduct, offer: Offer, order: Order) -> str:
    """The offer at the price the order records (struck-out list price under a coupon)."""
    applied = applied_coupon(order.details)
    if applied is None:
        return render.price_line(product, offer)
    discount = Discount(0, applied.code, applied.list_price, applied.discount, order.currency)
    return render.price_line(product, offer, discount)


async def pay_from_wallet(
    inter: disnake.MessageInteraction,
    product: ShopProduct,
    offer: Offer,
    reference: str,
    coupon: str | None = None,
) -> None:
    settings: Settings = inter.bot.settings
    try:
        order = await purchase_with_wallet(
            inter.author.id,
            product.key,
            reference=reference,
            coupon_code=coupon,
            **purchase_quantities(offer.quantity),
        )
    except InsufficientFunds:
        balance = await wallet.balance(inter.author.id)
        discount = await discount_for(inter, product, offer, coupon)
        price = discount.price if discount else offer.price
        await inter.response.send_message(
            f"Not enough in your wallet: you have "
            f"{format_money(balance, settings.wallet_currency)}, this costs "
            f"{format_money(price, product.currency)}. Top up under Wallet first.",
            ephemeral=True,
        )
        return
    log.info("wallet order %s paid by %s", order.number, inter.author.id)
    await show_step(
        inter,
        embed=render.paid_embed(
            order.number,
            _line(product, offer, order),
            delivers_codes=product.delivers_codes,
        ),
        components=[],
    )


async def notify_when_restocked(inter: disnake.MessageInteraction, product_key: str) -> None:
    """The sold-out product's button: one DM for this buyer when codes arrive."""
    asked = await ask_for_restock_notice(inter.author.id, product_key)
    log.info("restock notice for %s asked by %s", product_key, inter.author.id)
    await show_step(
        inter,
        embed=render.restock_asked_embed(asked.product_name, already_asked=asked.already_asked),
        components=[],
    )


def _expiry(settings: Settings) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=settings.order_expiry_minutes)


async def pay_by_stripe(
    inter: disnake.MessageInteraction,
    product: ShopProduct,
    offer: Offer,
    reference: str,
    coupon: str | None = None,
) -> None:
    settings: Settings = inter.bot.settings
    # Answer within Discord's 3 s at once, with a new ephemeral message filled in below: the
    # hold may wait on other buyers' holds in a drop, the provider call can take seconds. The
    # payment step stays, so the buyer can still pick another way to pay. The hold comes
    # before the provider: a buyer who cannot get the codes is told so (the OutOfStock
    # refusal replaces "thinking…", see cogs.shop.cog.answer) and nothing is created at Stripe.
    await inter.response.defer(with_message=True, ephemeral=True)
    order = await start_checkout(
        inter.author.id,
        product.key,
        payment_method=PaymentMethod.STRIPE,
        reference=reference,
        expires_at=_expiry(settings),
        coupon_code=coupon,
        **purchase_quantities(offer.quantity),
    )
    link = await create_checkout(
        settings,
        inter.bot.http_session,
        order,
        product,
        discord_user_id=inter.author.id,
        interval=product.interval,
    )
    await attach_checkout(order.id, checkout_id=link.session_id)
    await extend_hold(order.id, link.expires_at)
    log.info("stripe checkout for order %s started by %s", order.number, inter.author.id)
    await inter.edit_original_response(
        embed=render.checkout_link_embed(
            _line(product, offer, order),
            link.expires_at,
            after="Your purchase arrives by DM once Stripe confirms the payment.",
            order_number=order.number,
        ),
        components=[render.link_button(link.url)],
    )


async def pay_by_qris(
    inter: disnake.MessageInteraction,
    product: ShopProduct,
    offer: Offer,
    reference: str,
    coupon: str | None = None,
) -> None:
    settings: Settings = inter.bot.settings
    expires_at = _expiry(settings)
    await inter.response.defer(with_message=True, ephemeral=True)  # as in pay_by_stripe
    order = await start_checkout(
        inter.author.id,
        product.key,
        payment_method=PaymentMethod.MIDTRANS,
        reference=reference,
        expires_at=expires_at,
        coupon_code=coupon,
        **purchase_quantities(offer.quantity),
    )
    charge = await create_qris_charge(
        settings,
        inter.bot.http_session,
        order_ref=order_ref_for(order.id, order.number),
        amount=order.amount,
    )
    await attach_checkout(order.id, checkout_id=charge.order_ref, payment_ref=charge.transaction_id)
    log.info("QRIS charge for order %s started by %s", order.number, inter.author.id)
    await inter.edit_original_response(
        embed=render.qris_embed(
            f"Order {order.number}",
            _line(product, offer, order),
            order.amount,
            order.currency,
            expires_at,
            QR_IMAGE_NAME,
        ),
        file=disnake.File(io.BytesIO(charge.qr_png), filename=QR_IMAGE_NAME),
    )
