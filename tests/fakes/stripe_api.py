"""A fake of Stripe's /v1/checkout/sessions (create, retrieve) for the real stripe library."""

from __future__ import annotations

import re
import secrets
import time
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from tests.fakes.service import FakeService

_KEY = re.compile(r"([^\[\]]+)|\[([^\[\]]*)\]")


def decode_form(body: str) -> dict[str, Any]:
    """Stripe's form encoding (a[b][0][c]=v) back into nested dicts and lists."""
    root: dict[str, Any] = {}
    for name, value in parse_qsl(body, keep_blank_values=True):
        parts = [m.group(1) or m.group(2) for m in _KEY.finditer(name)]
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _lists(v) for k, v in node.items()}
        if node and all(k.isdigit() for k in node):
            return [node[k] for k in sorted(node, key=int)]
    return node


def _error(status: int, message: str, param: str | None = None) -> web.Response:
    error = {"type": "invalid_request_error", "message": message}
    if param:
        error["param"] = param
    return web.json_response({"error": error}, status=status)


class FakeStripe(FakeService):
    """Checkout Sessions kept in `sessions`; `pay()` and `expire()` change them like Stripe."""

    def __init__(self, api_key: str) -> None:
        super().__init__()
        self.api_key = api_key
        self.sessions: dict[str, dict[str, Any]] = {}
        self.created_params: list[dict[str, Any]] = []
        self._by_idempotency_key: dict[str, str] = {}
        self.app.router.add_post("/v1/checkout/sessions", self._create)
        self.app.router.add_get("/v1/checkout/sessions/{id}", self._retrieve)

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
        if params.get("mode") != "payment":
            return _error(400, "mode must be payment", "mode")
        items = params.get("line_items") or []
        if not items:
            return _error(400, "line_items required", "line_items")
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
            "mode": "payment",
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
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
        }
        self.sessions[session_id] = session
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
        """The buyer paid: the session is complete and paid, with a PaymentIntent."""
        session = self.sessions[session_id]
        session.update(
            status="complete",
            payment_status="paid",
            payment_intent="pi_" + secrets.token_hex(12),
            customer_details={"email": email, "name": "Test Buyer"},
        )
        return dict(session)

    def expire(self, session_id: str) -> dict[str, Any]:
        session = self.sessions[session_id]
        session.update(status="expired")
        return dict(session)
