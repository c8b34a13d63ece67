"""The customer journey: each step drives the emulated Discord as a person would, then checks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from demo import callbacks
from demo.show import Screen
from demo.world import STOCK, STRIPE_SECRET, DemoWorld
from models.customers.wallet import balance
from models.orders.queries import get_order

WAIT = 10.0  # seconds any one thing may take before its step fails
STEP_WITHIN = 30.0
TOPUP = "100000"  # rupiah typed into the top-up form
TOPUP_MINOR, GAME_KEY_MINOR = 10_000_000, 5_000_000


class StepFailed(Exception):
    """A step's outcome was not what a person would expect; the message says what."""


def expect(condition: object, what: str) -> None:
    if not condition:
        raise StepFailed(what)


def text_of(message: Any) -> str:
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def link_urls(message: Any) -> list[str]:
    rows = message.components
    return [c["url"] for row in rows for c in row.get("components", []) if c.get("url")]


class Journey:
    """The demo's state between steps: the world, the screen, the panel, orders seen."""

    def __init__(self, world: DemoWorld, screen: Screen) -> None:
        self.world = world
        self.em = world.emulator
        self.w = world.emulator.world
        self.screen = screen
        self.panel: Any = None
        self.bob_order = ""

    async def reply(self, ix: Any) -> Any:
        return await self.em.reply(ix, within=WAIT)

    async def payment_step(self, who: Any, product: str, quantity: str) -> Any:
        """Shop → product (→ package, when it has some); the ephemeral payment step."""
        shop = await self.reply(await self.em.click(who, self.panel, "panel:shop"))
        step = await self.reply(await self.em.select(who, shop, "shop:product", [product]))
        packages = f"shop:pkg:{product}"
        if packages not in step.custom_ids():
            return step
        return await self.reply(await self.em.select(who, step, packages, [quantity]))

    async def feed(self, number: str, label: str) -> Any:
        """The orders-channel feed message for `number` whose title ends with `label`."""

        def match(message: Any) -> bool:
            titles = [e.get("title") or "" for e in message.embeds]
            return any(number in t and t.endswith(label) for t in titles)

        found = await self.em.message_in(self.w.orders_channel, match, within=WAIT)
        self.screen.message("#orders feed", found)
        return found

    async def balance_becomes(self, user: Any, amount: int) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT
        while await balance(user.id) != amount:
            expect(loop.time() < deadline, f"{user.name}'s wallet never reached {amount}")
            await asyncio.sleep(0.05)


async def post_panel(j: Journey) -> str:
    ix = await j.em.slash(j.w.admin, "admin panel", channel=j.w.shop_channel)
    reply = await j.reply(ix)
    j.screen.message("ada runs /admin panel in #shop", reply)
    expect("Shop panel posted" in text_of(reply), "the admin did not get 'Shop panel posted'")

    def posted(m: Any) -> bool:
        return m.author.id == j.w.bot.id and "panel:shop" in m.custom_ids()

    j.panel = await j.em.message_in(j.w.shop_channel, posted, within=WAIT)
    j.screen.message("#shop", j.panel)
    expected = ["panel:shop", "panel:wallet", "panel:orders"]
    expect(j.panel.custom_ids() == expected, f"panel buttons {j.panel.custom_ids()}")
    return "the shop panel is in #shop with Shop, Wallet and My orders"


async def browse(j: Journey) -> str:
    shop = await j.reply(await j.em.click(j.w.alice, j.panel, "panel:shop"))
    j.screen.message("alice clicks Shop", shop)
    expect("shop:product" in shop.custom_ids(), "no product menu in the shop")
    step = await j.reply(await j.em.select(j.w.alice, shop, "shop:product", ["game-key"]))
    j.screen.message("alice picks Game key", step)
    expect("shop:pkg:game-key" in step.custom_ids(), "no package menu for Game key")
    return "alice sees the catalog and the Game key packages (1 or 3)"


async def qris_topup(j: Journey) -> str:
    alice = j.w.alice
    view = await j.reply(await j.em.click(alice, j.panel, "panel:wallet"))
    j.screen.message("alice clicks Wallet", view)
    shown = await j.em.click(alice, view, "wallet:topup:qris")
    modal = await j.em.modal(shown, within=WAIT)
    j.screen.line(f"[form: {modal.get('title')}] alice types {TOPUP}", 1)
    answer = await j.reply(await j.em.submit_modal(alice, shown, {"amount": TOPUP}))
    j.screen.message("the bot answers", answer)
    expect([a.filename for a in answer.attachments] == ["qris.png"], "no QR code image")
    ref = j.world.midtrans.charge_bodies[-1]["transaction_details"]["order_id"]
    j.screen.line("alice scans the QR code and pays in her bank app (the Midtrans stand-in)", 1)
    j.world.midtrans.set_status(ref, "settlement")
    status = await callbacks.post_midtrans(j.world.webhook_base, j.world.midtrans.notification(ref))
    j.screen.line(f"Midtrans → POST /webhooks/midtrans (settlement of {ref}): {status}", 1)
    expect(status == 200, f"the notification was answered {status}")
    await j.balance_becomes(alice, TOPUP_MINOR)
    after = await j.reply(await j.em.click(alice, j.panel, "panel:wallet"))
    j.screen.message("alice clicks Wallet again", after)
    shown_balance = after.embeds[0]["fields"][0]["value"]
    expect(shown_balance == "Rp 100,000.00", f"the wallet shows {shown_balance}")
    return "alice's wallet holds Rp 100,000.00 after the QRIS settlement"


async def wallet_purchase(j: Journey) -> str:
    alice = j.w.alice
    step = await j.payment_step(alice, "game-key", "1")
    j.screen.message("alice picks 1 Game key", step)
    paid = await j.reply(await j.em.click(alice, step, "shop:pay:wallet:game-key:1"))
    j.screen.message("alice clicks Pay from wallet", paid)
    expect(paid.embeds and paid.embeds[0].get("title") == "Paid", "no 'Paid' answer")
    number = paid.embeds[0]["fields"][0]["value"]
    dm = await j.em.next_dm(alice, within=WAIT)
    j.screen.message("DM to alice", dm)
    codes = [c for c in STOCK["game-key"] if c in text_of(dm)]
    expect(len(codes) == 1, "the DM does not hold one Game key code")
    await j.feed(number, "Delivered")
    await j.balance_becomes(alice, TOPUP_MINOR - GAME_KEY_MINOR)
    return f"order {number} paid from the wallet; code {codes[0]} by DM; Rp 50,000.00 left"


async def stripe_purchase(j: Journey) -> str:
    bob, role = j.w.bob, j.w.customer_role
    step = await j.payment_step(bob, "starter-bundle", "1")
    reply = await j.reply(await j.em.click(bob, step, "shop:pay:stripe:starter-bundle:1"))
    j.screen.message("bob clicks Pay by card (Stripe)", reply)
    urls = link_urls(reply)
    expect(len(urls) == 1, "no Stripe Checkout link")
    session_id = urls[0].rsplit("/", 1)[-1]
    j.screen.line("bob pays on the Checkout page (the Stripe stand-in marks it paid)", 1)
    paid = j.world.stripe.pay(session_id, email="bob@example.com")
    base = j.world.webhook_base
    status = await callbacks.post_stripe(base, STRIPE_SECRET, "checkout.session.completed", paid)
    j.screen.line(f"Stripe → POST /webhooks/stripe (checkout.session.completed): {status}", 1)
    expect(status == 200, f"the Stripe event was answered {status}")
    dm = await j.em.next_dm(bob, within=WAIT)
    j.screen.message("DM to bob", dm)
    expect(any(c in text_of(dm) for c in STOCK["starter-bundle"]), "no bundle code in the DM")
    await j.em.has_role(bob, role, within=WAIT)
    j.screen.line(f"bob now has the @{role.name} role", 1)
    j.bob_order = (await get_order(int(paid["metadata"]["order_id"]))).number
    await j.feed(j.bob_order, "Delivered")
    return f"order {j.bob_order} paid by Stripe; code by DM; @{role.name} granted"


async def refund(j: Journey) -> str:
    bob, role = j.w.bob, j.w.customer_role
    ix = await j.em.slash(
        j.w.admin, "admin processorder", order=j.bob_order, action="refund", reason="demo refund"
    )
    reply = await j.reply(ix)
    j.screen.message(f"ada runs /admin processorder {j.bob_order} refund", reply)
    expect("refunded" in text_of(reply), "the admin's answer does not say refunded")
    await j.em.has_role(bob, role, present=False, within=WAIT)
    j.screen.line(f"bob no longer has the @{role.name} role", 1)
    await j.feed(j.bob_order, "Refunded")
    return f"order {j.bob_order} refunded; @{role.name} removed from bob"


async def botstats(j: Journey) -> str:
    reply = await j.reply(await j.em.slash(j.w.admin, "admin botstats"))
    j.screen.message("ada runs /admin botstats", reply)
    fields = {f["name"] for e in reply.embeds for f in e.get("fields", [])}
    expect({"Revenue (all time)", "Stock", "Job queue"} <= fields, f"fields {sorted(fields)}")
    charts = [a for a in reply.attachments if a.content.startswith(b"\x89PNG")]
    expect(charts, "no chart image")
    return "statistics with revenue, stock, job queue and a PNG chart"


@dataclass(frozen=True)
class Step:
    title: str
    run: Callable[[Journey], Awaitable[str]]


STEPS = (
    Step("the admin posts the shop panel", post_panel),
    Step("alice browses the shop", browse),
    Step("alice tops up her wallet by QRIS", qris_topup),
    Step("alice pays from her wallet", wallet_purchase),
    Step("bob pays by Stripe", stripe_purchase),
    Step("the admin refunds bob's order", refund),
    Step("the admin checks /admin botstats", botstats),
)


async def play(world: DemoWorld, screen: Screen) -> str | None:
    """Runs every step in order; the failing step's title, or None when all succeeded."""
    journey = Journey(world, screen)
    for number, step in enumerate(STEPS, 1):
        screen.heading(number, step.title)
        try:
            outcome = await asyncio.wait_for(step.run(journey), STEP_WITHIN)
        except Exception as exc:  # a timeout, a refusal, a surprise: the step failed
            screen.line(f"✘ FAILED: {step.title}: {type(exc).__name__}: {exc}", 1)
            return step.title
        screen.ok(outcome)
    problems = world.emulator.problems
    if problems:
        screen.line(f"✘ FAILED: the Discord emulator recorded problems: {problems}", 1)
        return "Discord's checks"
    return None
