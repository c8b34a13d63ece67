"""A fake of Stripe's /v1/checkout/sessions, /v1/refunds and billing, for the stripe library."""

from __future__ import annotations

import secrets
import time
from typing import Any

from aiohttp import web

from demo.fakes.service import FakeService
from demo.fakes.stripe_billing import FakeBilling
from demo.fakes.stripe_form import decode_form

__all__ = ["FakeStripe", "decode_form"]


def _error(
    status: int, message: str, param: str | None = None, code: str | None = None
) -> web.Response:
    error = {"type": "invalid_request_error", "message": message}
    if param:
        error["param"] = param
    if code:
        error["code"] = code
    return web.json_response({"error": error}, status=status)


def _idempotency_error() -> web.Response:
    message = (
        "Keys for idempotent requests can only be used with the same parameters they were "
        "first used with."
    )
    return web.json_response(
        {"error": {"type": "idempotency_error", "message": message}}, status=400
    )


_INTERVALS = ("day", "week", "month", "year")


def _mode_refusal(mode: str, params: dict[str, Any], items: list[Any]) -> web.Response | None:
    """What Stripe refuses for the mode: a recurring price only, and always, in subscriptions."""
    recurring = [(item.get("price_data") or {}).get("recurring") for item in items]
    if mode == "payment":
        if any(recurring):
            return _error(400, "recurring prices need mode=subscription", "line_items")
        return None
    if "payment_intent_data" in params:
        return _error(400, "payment_intent_data is not allowed in subscription mode")
    for value in recurring:
        if not isinstance(value, dict) or value.get("interval") not in _INTERVALS:
            return _error(400, "subscription mode needs a recurring price interval", "line_items")
    return None


class FakeStripe(FakeService):
    """Checkout Sessions kept in `sessions`; `pay()` and `expire()` change them like Stripe."""

    def __init__(self, api_key: str) -> None:
        super().__init__()
        self.api_key = api_key
        self.failure_body = {"error": {"type": "api_error", "message": "injected failure"}}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.created_params: list[dict[str, Any]] = []
        self._by_idempotency_key: dict[str, str] = {}
        self.app.router.add_post("/v1/checkout/sessions", self._create)
        self.app.router.add_get("/v1/checkout/sessions/{id}", self._retrieve)
        self.app.router.add_post("/v1/refunds", self._refund)
        # Paid PaymentIntents by id: {"amount", "currency", "charge", "amount_refunded"}.
        self.payments: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self._refund_keys: dict[str, tuple[dict[str, Any], str]] = {}
        # Subscriptions, invoices, portal sessions (subscription-mode sessions start them).
        self.billing = FakeBilling(self.app, self._authorised)
        self._session_params: dict[str, dict[str, Any]] = {}

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.api_key}"

    async def _create(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, "Invalid API Key provided")
        key = request.headers.get("Idempotency-Key")
        if key and key in self._by_idempotency_key:
            return web.json_response(self.sessions[self._by_idempotency_key[key]])
        params = decode_form(await request.text())
        self.created_params.append(params)
        mode = params.get("mode")
        if mode not in ("payment", "subscription"):
            return _error(400, "mode must be payment or subscription", "mode")
        items = params.get("line_items") or []
        if not items:
            return _error(400, "line_items required", "line_items")
        refusal = _mode_refusal(mode, params, items)
        if refusal is not None:
            return refusal
        now = int(time.time())
        expires_at = int(params.get("expires_at", now + 86400))
        if not now + 1800 <= expires_at <= now + 86400:
            return _error(400, "expires_at must be 30 minutes to 24 hours away", "expires_at")
        total = 0
        currency = None
        for item in items:
            data = item.get("price_data") or {}
            if "currency" not in data or "unit_amount" not in data:
                return _error(400, "price_data needs currency and unit_amount", "line_items")
            if data["currency"] != data["currency"].lower():
                return _error(400, "currency must be lowercase", "line_items")
            currency = data["currency"]
            total += int(data["unit_amount"]) * int(item.get("quantity", 1))
        session_id = "cs_test_" + secrets.token_hex(24)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": mode,
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": total,
            "amount_subtotal": total,
            "currency": currency,
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata") or {},
            "customer_email": params.get("customer_email"),
            "customer_details": None,
            "expires_at": expires_at,
            "created": now,
            "livemode": False,
            "payment_intent": None,
            "subscription": None,
            "customer": None,
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
        }
        self.sessions[session_id] = session
        self._session_params[session_id] = params
        if key:
            self._by_idempotency_key[key] = session_id
        return web.json_response(session)

    async def _retrieve(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, "Invalid API Key provided")
        session = self.sessions.get(request.match_info["id"])
        if session is None:
            return _error(404, "No such checkout.session", "id")
        return web.json_response(session)

    def pay(self, session_id: str, email: str = "buyer@example.com") -> dict[str, Any]:
        """The buyer paid: the session is complete and paid, with a PaymentIntent and charge.

        A subscription-mode session starts its subscription instead (see FakeBilling.start):
        the session then names the subscription and customer, and no PaymentIntent.
        """
        session = self.sessions[session_id]
        if session["mode"] == "subscription":
            self.billing.start(session, self._session_params[session_id])
            session.update(
                status="complete",
                payment_status="paid",
                customer_details={"email": email, "name": "Test Buyer"},
            )
            return dict(session)
        payment_intent = "pi_" + secrets.token_hex(12)
        session.update(
            status="complete",
            payment_status="paid",
            payment_intent=payment_intent,
            customer_details={"email": email, "name": "Test Buyer"},
        )
        self.payments[payment_intent] = {
            "amount": session["amount_total"],
            "currency": session["currency"],
            "charge": "ch_" + secrets.token_hex(12),
            "amount_refunded": 0,
            "metadata": dict(session["metadata"]),
        }
        return dict(session)

    def add_payment(self, amount: int, currency: str = "usd", **metadata: str) -> str:
        """A PaymentIntent paid outside a session (as the shop's order would be); its id."""
        payment_intent = "pi_" + secrets.token_hex(12)
        self.payments[payment_intent] = {
            "amount": amount,
            "currency": currency,
            "charge": "ch_" + secrets.token_hex(12),
            "amount_refunded": 0,
            "metadata": dict(metadata),
        }
        return payment_intent

    async def _refund(self, request: web.Request) -> web.Response:
        """POST /v1/refunds as Stripe answers it: a refund object, or an invalid_request_error."""
        if not self._authorised(request):
            return _error(401, "Invalid API Key provided")
        params = decode_form(await request.text())
        key = request.headers.get("Idempotency-Key")
        if key and key in self._refund_keys:
            first_params, refund_id = self._refund_keys[key]
            if first_params != params:
                return _idempotency_error()
            return web.json_response(self.refunds[refund_id])
        refund, failure = self._make_refund(params)
        if failure is not None:
            return failure
        if key:
            self._refund_keys[key] = (params, refund["id"])
        return web.json_response(refund)

    def _make_refund(self, params: dict[str, Any]) -> tuple[dict[str, Any], web.Response | None]:
        payment_intent = params.get("payment_intent", "")
        payment = self.payments.get(payment_intent)
        if payment is None:
            return {}, _error(
                404,
                f"No such payment_intent: '{payment_intent}'",
                "payment_intent",
                "resource_missing",
            )
        left = payment["amount"] - payment["amount_refunded"]
        if left <= 0:
            return {}, _error(
                400,
                f"Charge {payment['charge']} has already been refunded.",
                code="charge_already_refunded",
            )
        amount = int(params.get("amount", left))
        if amount > left:
            return {}, _error(
                400,
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                "amount",
            )
        payment["amount_refunded"] += amount
        refund = {
            "id": "re_" + secrets.token_hex(12),
            "object": "refund",
            "amount": amount,
            "charge": payment["charge"],
            "created": int(time.time()),
            "currency": payment["currency"],
            "metadata": params.get("metadata") or {},
            "payment_intent": payment_intent,
            "reason": params.get("reason"),
            "status": "succeeded",
        }
        self.refunds[refund["id"]] = refund
        return refund, None

    def refunded_charge(self, payment_intent: str) -> dict[str, Any]:
        """The Charge of a PaymentIntent as Stripe sends it in charge.refunded now."""
        payment = self.payments[payment_intent]
        return {
            "id": payment["charge"],
            "object": "charge",
            "amount": payment["amount"],
            "amount_captured": payment["amount"],
            "amount_refunded": payment["amount_refunded"],
            "currency": payment["currency"],
            "metadata": dict(payment["metadata"]),
            "paid": True,
            "payment_intent": payment_intent,
            "refunded": payment["amount_refunded"] >= payment["amount"],
            "status": "succeeded",
        }

    def expire(self, session_id: str) -> dict[str, Any]:
        session = self.sessions[session_id]
        session.update(status="expired")
        return dict(session)
