"""A refunded or disputed Stripe top-up claws the wallet back, revokes what it paid for, alerts."""

from __future__ import annotations

import copy

import pytest

from models.base import InboxStatus, JobKind, OrderStatus, WalletKind
from models.customers.tables import WalletTransaction
from models.customers.wallet import balance, credit, ledger_sum
from models.errors import PurchaseOnHold
from models.inbox.tables import WebhookEvent
from models.orders.purchases import purchase_with_wallet
from models.orders.tables import Order
from models.outbox.tables import Job
from tests.webhooks.helpers import BUYER, processed, stripe_event
from tests.webhooks.stripe.test_stripe import post_event
from webhooks.app import PROCESSORS
from webhooks.processing import ProviderContext, process_stored_event


def topup_session(fixtures, payment_intent: str, amount: int = 1500) -> dict:
    session = copy.deepcopy(fixtures["checkout.session"])
    session.update(
        metadata={"kind": "topup", "discord_user_id": str(BUYER), "topup_reference": "t1"},
        client_reference_id=f"topup-{BUYER}",
        payment_status="paid",
        status="complete",
        amount_total=amount,
        currency="usd",
        payment_intent=payment_intent,
    )
    return session


def dispute(fixtures, payment_intent: str, status: str) -> dict:
    obj = copy.deepcopy(fixtures["dispute"])
    obj.update(payment_intent=payment_intent, status=status, metadata={}, amount=1500)
    return obj


async def send(client, fixtures, event_type: str, obj: dict, event_id: str) -> None:
    body = stripe_event(fixtures, event_type, obj, event_id=event_id)
    assert (await post_event(client, body)).status == 200
    await processed(client)
    row = await WebhookEvent.get(provider="stripe", event_id=event_id)
    assert row.status is InboxStatus.PROCESSED, row.error


async def alerts() -> list[dict]:
    return [j.payload for j in await Job.filter(kind=JobKind.NOTIFY_ADMIN).order_by("id")]


async def test_a_disputed_topup_claws_back_revokes_and_a_won_dispute_restores(
    client, stripe_fixtures
):
    session = topup_session(stripe_fixtures, "pi_topup_1")
    await send(client, stripe_fixtures, "checkout.session.completed", session, "evt_topup")
    vip = await purchase_with_wallet(BUYER, "vip", reference="spend-it")
    assert await balance(BUYER) == 500

    opened = dispute(stripe_fixtures, "pi_topup_1", "needs_response")
    await send(client, stripe_fixtures, "charge.dispute.created", opened, "evt_dispute")
    assert await balance(BUYER) == -1000 == await ledger_sum(BUYER)
    (claw,) = await WalletTransaction.filter(kind=WalletKind.CLAWBACK)
    assert claw.amount == -1500
    vip = await Order.get(id=vip.id)
    assert vip.status is OrderStatus.DISPUTED
    assert await Job.filter(order_id=vip.id, kind=JobKind.REVOKE_ROLE).exists()
    (alert,) = await alerts()
    assert alert["title"] == "Top-up clawed back"
    for part in (f"<@{BUYER}>", "$15.00", "-$10.00", vip.number, "revoked"):
        assert part in alert["message"]
    with pytest.raises(PurchaseOnHold, match=r"owes \$10\.00"):
        await purchase_with_wallet(BUYER, "vip", reference="in-debt")

    won = dispute(stripe_fixtures, "pi_topup_1", "won")
    await send(client, stripe_fixtures, "charge.dispute.closed", won, "evt_won")
    assert await balance(BUYER) == 500 == await ledger_sum(BUYER)
    vip = await Order.get(id=vip.id)
    assert vip.status is OrderStatus.PAID or vip.status is OrderStatus.DELIVERED
    grants = await Job.filter(order_id=vip.id, kind=JobKind.GRANT_ROLE).count()
    assert grants == 2
    assert [a["title"] for a in await alerts()] == ["Top-up clawed back", "Top-up given back"]


async def test_an_open_dispute_blocks_buying_even_with_money_left(client, stripe_fixtures):
    session = topup_session(stripe_fixtures, "pi_topup_2", amount=5000)
    await send(client, stripe_fixtures, "checkout.session.completed", session, "evt_topup2")
    # A second top-up by hand keeps the balance above zero after the clawback.
    await credit(BUYER, 9000, reference="manual-topup")
    opened = dispute(stripe_fixtures, "pi_topup_2", "needs_response")
    await send(client, stripe_fixtures, "charge.dispute.created", opened, "evt_dispute2")
    assert await balance(BUYER) == 9000
    with pytest.raises(PurchaseOnHold, match="disputed"):
        await purchase_with_wallet(BUYER, "vip", reference="while-disputed")


async def test_a_refunded_topup_is_taken_back_once_into_a_recorded_debt(client, stripe_fixtures):
    session = topup_session(stripe_fixtures, "pi_topup_3")
    await send(client, stripe_fixtures, "checkout.session.completed", session, "evt_topup3")
    vip = await purchase_with_wallet(BUYER, "vip", reference="spend-3")
    charge = copy.deepcopy(stripe_fixtures["charge"])
    charge.update(
        payment_intent="pi_topup_3", amount=1500, amount_refunded=1500, refunded=True, metadata={}
    )
    for event_id in ("evt_refund3", "evt_refund3_again"):
        await send(client, stripe_fixtures, "charge.refunded", charge, event_id)
    assert await balance(BUYER) == -1000 == await ledger_sum(BUYER)
    assert await WalletTransaction.filter(kind=WalletKind.CLAWBACK).count() == 1
    assert (await Order.get(id=vip.id)).status is OrderStatus.DISPUTED
    assert len(await alerts()) == 1


async def test_a_refund_that_never_finds_its_payment_alerts_the_admins(
    client, stripe_fixtures, settings, http
):
    charge = copy.deepcopy(stripe_fixtures["charge"])
    charge.update(payment_intent="pi_nobody", amount_refunded=100, refunded=False, metadata={})
    body = stripe_event(stripe_fixtures, "charge.refunded", charge, event_id="evt_lost")
    await post_event(client, body)
    await processed(client)
    row = await WebhookEvent.get(event_id="evt_lost")
    assert row.status is InboxStatus.RECEIVED  # retried later, not yet given up
    assert await alerts() == []
    status = await process_stored_event(
        row.id, ProviderContext(settings, http), PROCESSORS, max_attempts=2
    )
    assert status is InboxStatus.FAILED
    (alert,) = await alerts()
    assert alert["title"] == "Webhook event failed"
    for part in ("stripe", "charge.refunded", "no order or top-up carries this payment"):
        assert part in alert["message"]
