"""The subscription half of the Stripe fake: subscriptions, invoices, portal sessions, events.

Objects are built in Stripe's own shapes (API 2025+): an invoice names its subscription under
parent.subscription_details (with the subscription's metadata) and its period under
lines.data[0].period; a subscription keeps its period on items.data[0]. Nothing here sends
webhooks by itself: tests build the event with `event()` and post it signed with `signed()`.
`now` is the fake's clock (unix seconds); tests point it at the shop's injected clock.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import stripe
from aiohttp import web

from demo.fakes.stripe_form import decode_form

PERIOD_DAYS = {"month": 30, "year": 365}
API_VERSION = "2026-10-28.endive"


def _error(status: int, message: str, param: str | None = None) -> web.Response:
    error: dict[str, Any] = {"type": "invalid_request_error", "message": message}
    if param:
        error["param"] = param
    return web.json_response({"error": error}, status=status)


class FakeBilling:
    """Subscriptions by id (`subscriptions`), their invoices (`invoices`), portal sessions."""

    def __init__(self, app: web.Application, authorised: Callable[[web.Request], bool]) -> None:
        self.now: Callable[[], float] = time.time
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.portal_sessions: list[dict[str, Any]] = []
        self._authorised = authorised
        app.router.add_get("/v1/subscriptions/{id}", self._retrieve)
        app.router.add_post("/v1/subscriptions/{id}", self._update)
        app.router.add_delete("/v1/subscriptions/{id}", self._cancel)
        app.router.add_post("/v1/billing_portal/sessions", self._portal)

    def _at(self) -> int:
        return int(self.now())

    def start(self, session: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        """A subscription-mode session paid: its customer, subscription and first invoice."""
        price = params["line_items"][0]["price_data"]
        interval = price["recurring"]["interval"]
        now = self._at()
        sub_id = "sub_" + secrets.token_hex(12)
        metadata = dict((params.get("subscription_data") or {}).get("metadata") or {})
        self.subscriptions[sub_id] = {
            "id": sub_id,
            "object": "subscription",
            "billing_cycle_anchor": now,
            "cancel_at": None,
            "cancel_at_period_end": False,
            "canceled_at": None,
            "collection_method": "charge_automatically",
            "created": now,
            "currency": price["currency"],
            "customer": "cus_" + secrets.token_hex(7),
            "ended_at": None,
            "items": {
                "object": "list",
                "data": [
                    {
                        "id": "si_" + secrets.token_hex(7),
                        "object": "subscription_item",
                        "created": now,
                        "current_period_start": now,
                        "current_period_end": now + PERIOD_DAYS[interval] * 86400,
                        "metadata": {},
                        "price": {
                            "id": "price_" + secrets.token_hex(12),
                            "object": "price",
                            "currency": price["currency"],
                            "recurring": {
                                "interval": interval,
                                "interval_count": 1,
                                "usage_type": "licensed",
                            },
                            "type": "recurring",
                            "unit_amount": int(price["unit_amount"]),
                        },
                        "quantity": 1,
                        "subscription": sub_id,
                    }
                ],
                "has_more": False,
                "url": f"/v1/subscription_items?subscription={sub_id}",
            },
            "latest_invoice": None,
            "livemode": False,
            "metadata": metadata,
            "status": "active",
        }
        first = self.invoice(sub_id, paid=True, reason="subscription_create", advance=False)
        session.update(subscription=sub_id, customer=self.subscriptions[sub_id]["customer"])
        session["invoice"] = first["id"]
        return self.subscriptions[sub_id]

    def _item(self, sub_id: str) -> dict[str, Any]:
        return self.subscriptions[sub_id]["items"]["data"][0]

    def invoice(
        self,
        sub_id: str,
        *,
        paid: bool,
        reason: str = "subscription_cycle",
        advance: bool = True,
    ) -> dict[str, Any]:
        """An invoice of the subscription for its next period (or the current one, the first).

        Paid: the subscription moves to that period and is active. Failed: it is past_due,
        its period unchanged until a payment. The invoice object is returned as Stripe sends
        it in invoice.paid / invoice.payment_failed.
        """
        sub = self.subscriptions[sub_id]
        item = self._item(sub_id)
        days = PERIOD_DAYS[item["price"]["recurring"]["interval"]] * 86400
        start = item["current_period_end"] if advance else item["current_period_start"]
        end = start + days if advance else item["current_period_end"]
        amount = item["price"]["unit_amount"]
        invoice_id = "in_" + secrets.token_hex(12)
        invoice = {
            "id": invoice_id,
            "object": "invoice",
            "amount_due": amount,
            "amount_paid": amount if paid else 0,
            "amount_remaining": 0 if paid else amount,
            "attempt_count": 1,
            "attempted": True,
            "billing_reason": reason,
            "collection_method": "charge_automatically",
            "created": self._at(),
            "currency": sub["currency"],
            "customer": sub["customer"],
            "hosted_invoice_url": f"https://invoice.stripe.com/i/{invoice_id}",
            "lines": {
                "object": "list",
                "data": [
                    {
                        "id": "il_" + secrets.token_hex(12),
                        "object": "line_item",
                        "amount": amount,
                        "currency": sub["currency"],
                        "invoice": invoice_id,
                        "metadata": dict(sub["metadata"]),
                        "parent": {
                            "type": "subscription_item_details",
                            "invoice_item_details": None,
                            "subscription_item_details": {
                                "invoice_item": None,
                                "proration": False,
                                "proration_details": {"credited_items": None},
                                "subscription": sub_id,
                                "subscription_item": item["id"],
                            },
                        },
                        "period": {"start": start, "end": end},
                        "quantity": 1,
                    }
                ],
                "has_more": False,
                "url": f"/v1/invoices/{invoice_id}/lines",
            },
            "livemode": False,
            "metadata": {},
            "parent": {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {
                    "metadata": dict(sub["metadata"]),
                    "subscription": sub_id,
                },
            },
            "period_end": start,
            "period_start": start - days,
            "status": "paid" if paid else "open",
        }
        self.invoices[invoice_id] = invoice
        sub["latest_invoice"] = invoice_id
        if paid:
            item.update(current_period_start=start, current_period_end=end)
            sub["status"] = "active"
        else:
            sub["status"] = "past_due"
        return invoice

    def event(
        self, event_type: str, obj: dict[str, Any], *, created: int | None = None
    ) -> dict[str, Any]:
        """An event in Stripe's shape around a copy of `obj`."""
        return {
            "id": "evt_" + secrets.token_hex(12),
            "object": "event",
            "api_version": API_VERSION,
            "created": self._at() if created is None else created,
            "data": {"object": json.loads(json.dumps(obj))},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }

    @staticmethod
    def signed(event: dict[str, Any], secret: str) -> tuple[str, dict[str, str]]:
        """The body and headers Stripe would POST (signed at the real time, as Stripe does)."""
        body = json.dumps(event)
        header = stripe.WebhookSignature.generate_signature_header(body, secret)
        return body, {"Stripe-Signature": header, "Content-Type": "application/json"}

    async def _retrieve(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, "Invalid API Key provided")
        sub = self.subscriptions.get(request.match_info["id"])
        if sub is None:
            return _error(404, f"No such subscription: '{request.match_info['id']}'", "id")
        return web.json_response(sub)

    async def _update(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, "Invalid API Key provided")
        sub = self.subscriptions.get(request.match_info["id"])
        if sub is None:
            return _error(404, f"No such subscription: '{request.match_info['id']}'", "id")
        params = decode_form(await request.text())
        if sub["status"] == "canceled":
            return _error(400, "A canceled subscription can only update its metadata.")
        flag = params.get("cancel_at_period_end")
        if flag is not None:
            if flag not in ("true", "false"):
                return _error(400, "Invalid boolean", "cancel_at_period_end")
            sub["cancel_at_period_end"] = flag == "true"
            end = self._item(sub["id"])["current_period_end"]
            sub["cancel_at"] = end if flag == "true" else None
            sub["canceled_at"] = self._at() if flag == "true" else None
        return web.json_response(sub)

    async def _cancel(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, "Invalid API Key provided")
        sub = self.subscriptions.get(request.match_info["id"])
        if sub is None:
            return _error(404, f"No such subscription: '{request.match_info['id']}'", "id")
        if sub["status"] == "canceled":
            return _error(400, "This subscription is already canceled.")
        now = self._at()
        sub.update(status="canceled", canceled_at=now, ended_at=now)
        return web.json_response(sub)

    def ended(self, sub_id: str) -> dict[str, Any]:
        """The subscription at its end (cancel at period end reached): canceled, ended then."""
        sub = self.subscriptions[sub_id]
        now = self._at()
        sub.update(status="canceled", ended_at=now, canceled_at=sub["canceled_at"] or now)
        return sub

    async def _portal(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, "Invalid API Key provided")
        params = decode_form(await request.text())
        customer = params.get("customer")
        if not customer:
            return _error(400, "Missing required param: customer.", "customer")
        if not any(s["customer"] == customer for s in self.subscriptions.values()):
            return _error(400, f"No such customer: '{customer}'", "customer")
        session_id = "bps_" + secrets.token_hex(12)
        session = {
            "id": session_id,
            "object": "billing_portal.session",
            "configuration": "bpc_" + secrets.token_hex(12),
            "created": self._at(),
            "customer": customer,
            "flow": None,
            "livemode": False,
            "locale": None,
            "on_behalf_of": None,
            "return_url": params.get("return_url"),
            "url": f"https://billing.stripe.com/p/session/test_{secrets.token_hex(16)}",
        }
        self.portal_sessions.append(session)
        return web.json_response(session)
