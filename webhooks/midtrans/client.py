"""Midtrans Core API client: QRIS charges and their QR image, GET status, and refunds."""

from __future__ import annotations

import base64
import io
import secrets
from dataclasses import dataclass
from typing import Any

import aiohttp
import segno

from models.money import exponent
from settings import Settings
from webhooks.errors import ProviderRefused, ProviderUnavailable


@dataclass(frozen=True)
class QrisCharge:
    """A created QRIS charge: show `qr_png` (or `qr_url`) to the buyer."""

    order_ref: str
    transaction_id: str
    qr_string: str
    qr_url: str | None
    qr_png: bytes


def order_ref_for(order_id: int, order_number: str) -> str:
    """The Midtrans order_id used for one of our orders (at most 50 characters)."""
    return f"order-{order_id}-{order_number}"


def new_topup_ref(discord_user_id: int) -> str:
    """A fresh Midtrans order_id for a wallet top-up by this Discord user."""
    return f"topup-{discord_user_id}-{secrets.token_hex(6)}"


def _auth_header(settings: Settings) -> dict[str, str]:
    token = base64.b64encode(f"{settings.midtrans.server_key}:".encode()).decode()
    return {"Authorization": f"Basic {token}", "Accept": "application/json"}


def render_qr_png(qr_string: str, scale: int = 8) -> bytes:
    """The QRIS payload as a PNG image the customer scans."""
    buffer = io.BytesIO()
    segno.make(qr_string, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def gross_amount_for(amount: int, currency: str) -> int:
    """Midtrans takes whole units of IDR; our amounts are minor units (ISO exponent)."""
    whole, rest = divmod(amount, 10 ** exponent(currency))
    if rest:
        raise ValueError(f"{amount} minor units of {currency} is not a whole amount")
    return whole


async def create_qris_charge(
    settings: Settings,
    http: aiohttp.ClientSession,
    *,
    order_ref: str,
    amount: int,
    currency: str | None = None,
    notification_url: str | None = None,
) -> QrisCharge:
    """POST /v2/charge with payment_type qris; `amount` in minor units of the Midtrans currency.

    Pass the order's `currency`: QRIS settles in settings.midtrans.currency only, and an
    amount in another currency is refused rather than charged as the wrong sum.
    """
    if currency is not None and currency.upper() != settings.midtrans.currency.upper():
        raise ProviderRefused(
            f"QRIS takes {settings.midtrans.currency} only, this amount is in {currency}"
        )
    try:
        gross_amount = gross_amount_for(amount, settings.midtrans.currency)
    except ValueError as exc:
        raise ProviderRefused(str(exc)) from None
    body = {
        "payment_type": "qris",
        "transaction_details": {"order_id": order_ref, "gross_amount": gross_amount},
        "custom_expiry": {"expiry_duration": settings.order_expiry_minutes, "unit": "minute"},
    }
    headers = _auth_header(settings)
    if notification_url:
        headers["X-Override-Notification"] = notification_url
    url = f"{settings.midtrans.api_base}/v2/charge"
    try:
        async with http.post(url, json=body, headers=headers) as response:
            payload = await response.json(content_type=None)
            status = response.status
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise ProviderUnavailable(f"midtrans charge: {type(exc).__name__}") from exc
    if status >= 500:
        raise ProviderUnavailable(f"midtrans charge answered {status}")
    if not isinstance(payload, dict) or str(payload.get("status_code")) != "201":
        code = payload.get("status_code") if isinstance(payload, dict) else None
        raise ProviderRefused(f"midtrans refused the charge (HTTP {status}, status_code {code})")
    qr_string = payload.get("qr_string")
    if not isinstance(qr_string, str) or not qr_string:
        raise ProviderRefused("midtrans charge has no qr_string")
    qr_url = next(
        (
            a.get("url")
            for a in payload.get("actions") or []
            if isinstance(a, dict) and a.get("name") == "generate-qr-code"
        ),
        None,
    )
    return QrisCharge(
        order_ref=order_ref,
        transaction_id=str(payload.get("transaction_id", "")),
        qr_string=qr_string,
        qr_url=qr_url,
        qr_png=render_qr_png(qr_string),
    )


async def fetch_transaction_status(
    settings: Settings, http: aiohttp.ClientSession, order_id: str
) -> dict[str, Any] | None:
    """GET /v2/{order_id}/status: Midtrans' current view, or None when it does not know it."""
    url = f"{settings.midtrans.api_base}/v2/{order_id}/status"
    try:
        async with http.get(url, headers=_auth_header(settings)) as response:
            payload = await response.json(content_type=None)
            status = response.status
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise ProviderUnavailable(f"midtrans status: {type(exc).__name__}") from exc
    code = str(payload.get("status_code")) if isinstance(payload, dict) else ""
    if status == 404 or code == "404":
        return None
    if status >= 300 or not isinstance(payload, dict) or code.startswith(("4", "5")):
        raise ProviderUnavailable(f"midtrans status answered HTTP {status}, status_code {code}")
    return payload


def refund_key_for(order_id: int, amount: int) -> str:
    """Midtrans' refund_key: the same order and amount is one refund, however often it is sent."""
    return f"stockroom-refund-{order_id}-{amount}"


async def refund_transaction(
    settings: Settings,
    http: aiohttp.ClientSession,
    *,
    order_ref: str,
    amount: int,
    order_id: int,
    reason: str = "",
) -> dict[str, Any]:
    """POST /v2/{order_ref}/refund for `amount` minor units; Midtrans' answer when approved.

    Midtrans answers refusals with HTTP 200 and a 4xx status_code; those raise ProviderRefused
    carrying its status_message, so the admin sees why.
    """
    try:
        gross = gross_amount_for(amount, settings.midtrans.currency)
    except ValueError as exc:
        raise ProviderRefused(str(exc)) from None
    body = {
        "refund_key": refund_key_for(order_id, amount),
        "amount": gross,
        "reason": (reason or "refund by the shop")[:255],
    }
    url = f"{settings.midtrans.api_base}/v2/{order_ref}/refund"
    try:
        async with http.post(url, json=body, headers=_auth_header(settings)) as response:
            payload = await response.json(content_type=None)
            status = response.status
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise ProviderUnavailable(f"midtrans refund: {type(exc).__name__}") from exc
    if status >= 500:
        raise ProviderUnavailable(f"midtrans refund answered {status}")
    if not isinstance(payload, dict):
        raise ProviderRefused(f"Midtrans refused the refund (HTTP {status})")
    code = str(payload.get("status_code", ""))
    if code != "200":
        message = str(payload.get("status_message") or "no reason given")[:200]
        raise ProviderRefused(f"Midtrans refused the refund ({code}): {message}")
    return payload
