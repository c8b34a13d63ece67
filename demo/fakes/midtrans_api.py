"""A fake of Midtrans' Core API: /v2/charge (qris), /v2/{order_id}/status and /refund."""

from __future__ import annotations

import base64
import hashlib
import uuid
from typing import Any

from aiohttp import web

from demo.fakes.service import FakeService


def sign_notification(order_id: str, status_code: str, gross_amount: str, key: str) -> str:
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{key}".encode()).hexdigest()


def _refusal(status_code: str, message: str) -> web.Response:
    return web.json_response({"status_code": status_code, "status_message": message})


class FakeMidtrans(FakeService):
    """Transactions kept in `transactions` by order id; `settle()` and friends move them."""

    def __init__(self, server_key: str) -> None:
        super().__init__()
        self.server_key = server_key
        self.transactions: dict[str, dict[str, Any]] = {}
        self.charge_bodies: list[dict[str, Any]] = []
        self.app.router.add_post("/v2/charge", self._charge)
        self.app.router.add_get("/v2/{order_id}/status", self._status)
        self.app.router.add_post("/v2/{order_id}/refund", self._refund)
        self.refund_bodies: list[dict[str, Any]] = []
        self._refunds: dict[tuple[str, str], dict[str, Any]] = {}

    def _authorised(self, request: web.Request) -> bool:
        token = base64.b64encode(f"{self.server_key}:".encode()).decode()
        return request.headers.get("Authorization") == f"Basic {token}"

    async def _charge(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response(
                {"status_code": "401", "status_message": "Access denied"}, status=401
            )
        body = await request.json()
        self.charge_bodies.append(body)
        details = body.get("transaction_details") or {}
        order_id = details.get("order_id")
        gross = details.get("gross_amount")
        if body.get("payment_type") != "qris" or not order_id or not isinstance(gross, int):
            return web.json_response(
                {"status_code": "400", "status_message": "Validation error"}, status=400
            )
        if order_id in self.transactions:
            return web.json_response(
                {"status_code": "406", "status_message": "order_id has already been utilized"},
                status=200,
            )
        transaction_id = str(uuid.uuid4())
        transaction = {
            "status_code": "201",
            "status_message": "QRIS transaction is created",
            "transaction_id": transaction_id,
            "order_id": order_id,
            "merchant_id": "G000000000",
            "gross_amount": f"{gross}.00",
            "currency": "IDR",
            "payment_type": "qris",
            "transaction_time": "2026-11-22 10:00:00",
            "transaction_status": "pending",
            "fraud_status": "accept",
            "acquirer": "gopay",
            "qr_string": f"00020101021226620014COM.GO-JEK.WWW011993600914{transaction_id[:8]}",
            "actions": [
                {
                    "name": "generate-qr-code",
                    "method": "GET",
                    "url": f"{self.origin}/v2/qris/{transaction_id}/qr-code",
                }
            ],
        }
        self.transactions[order_id] = transaction
        return web.json_response(transaction)

    async def _status(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response(
                {"status_code": "401", "status_message": "Access denied"}, status=401
            )
        transaction = self.transactions.get(request.match_info["order_id"])
        if transaction is None:
            return web.json_response(
                {"status_code": "404", "status_message": "Transaction doesn't exist."},
                status=404,
            )
        status_code = "200" if transaction["transaction_status"] != "pending" else "201"
        answer = {k: v for k, v in transaction.items() if k not in ("actions", "qr_string")}
        answer["status_code"] = status_code
        return web.json_response(answer)

    async def _refund(self, request: web.Request) -> web.Response:
        """POST /v2/{order_id}/refund: a settled transaction refunded in full or in part.

        The same refund_key answers the first result again (Midtrans' retry rule); refusals
        come back as HTTP 200 with a 4xx status_code, as Midtrans answers them.
        """
        if not self._authorised(request):
            return web.json_response(
                {"status_code": "401", "status_message": "Access denied"}, status=401
            )
        order_id = request.match_info["order_id"]
        body = await request.json()
        self.refund_bodies.append(body)
        key = str(body.get("refund_key") or uuid.uuid4())
        if (order_id, key) in self._refunds:
            return web.json_response(self._refunds[(order_id, key)])
        transaction = self.transactions.get(order_id)
        if transaction is None:
            return _refusal("404", "Transaction doesn't exist.")
        if transaction["transaction_status"] not in ("settlement", "partial_refund"):
            return _refusal("412", "Merchant cannot modify status of the transaction")
        gross = int(transaction["gross_amount"].split(".")[0])
        refunded = int(transaction.get("refund_amount", "0.00").split(".")[0])
        amount = body.get("amount", gross - refunded)
        if not isinstance(amount, int) or amount <= 0 or refunded + amount > gross:
            return _refusal("412", "Refund amount exceeds the remaining transaction amount")
        refunded += amount
        transaction["refund_amount"] = f"{refunded}.00"
        transaction["transaction_status"] = "refund" if refunded == gross else "partial_refund"
        answer = {
            "status_code": "200",
            "status_message": "Success, refund request is approved",
            "transaction_id": transaction["transaction_id"],
            "order_id": order_id,
            "gross_amount": transaction["gross_amount"],
            "currency": "IDR",
            "payment_type": "qris",
            "transaction_time": transaction["transaction_time"],
            "transaction_status": transaction["transaction_status"],
            "refund_chargeback_id": len(self._refunds) + 1,
            "refund_amount": f"{amount}.00",
            "refund_key": key,
        }
        self._refunds[(order_id, key)] = answer
        return web.json_response(answer)

    def set_status(self, order_id: str, transaction_status: str, fraud_status: str = "accept"):
        transaction = self.transactions[order_id]
        transaction["transaction_status"] = transaction_status
        transaction["fraud_status"] = fraud_status
        if transaction_status == "settlement":
            transaction["settlement_time"] = "2026-11-22 10:01:00"

    def notification(self, order_id: str, *, key: str | None = None) -> dict[str, Any]:
        """The HTTP notification Midtrans would send now, signed with the server key."""
        transaction = self.transactions[order_id]
        status_code = "200" if transaction["transaction_status"] != "pending" else "201"
        body = {
            "transaction_type": "on-us",
            "transaction_time": transaction["transaction_time"],
            "transaction_status": transaction["transaction_status"],
            "transaction_id": transaction["transaction_id"],
            "status_message": "midtrans payment notification",
            "status_code": status_code,
            "settlement_time": transaction.get("settlement_time"),
            "payment_type": "qris",
            "order_id": order_id,
            "merchant_id": transaction["merchant_id"],
            "issuer": "gopay",
            "gross_amount": transaction["gross_amount"],
            "fraud_status": transaction["fraud_status"],
            "currency": "IDR",
            "acquirer": "gopay",
        }
        body["signature_key"] = sign_notification(
            order_id, status_code, transaction["gross_amount"], key or self.server_key
        )
        return body
