"""The [providers] section of the configuration: Stripe, Midtrans and Ecwid (their secrets
come from the environment only)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from settings_reader import Reader


@dataclass(frozen=True)
class StripeConfig:
    api_key: str
    webhook_secret: str
    api_base: str
    success_url: str
    cancel_url: str
    # A subscription whose renewal failed keeps its role this many days (models.subscriptions).
    grace_days: int = 3

    @property
    def enabled(self) -> bool:
        return bool(self.api_key and self.webhook_secret)


@dataclass(frozen=True)
class MidtransConfig:
    server_key: str
    api_base: str
    currency: str

    @property
    def enabled(self) -> bool:
        return bool(self.server_key)


@dataclass(frozen=True)
class EcwidConfig:
    api_token: str
    client_secret: str
    store_id: str
    api_base: str
    discord_field: str
    product_map: Mapping[str, str] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return bool(self.api_token and self.client_secret and self.store_id)


def read_stripe(r: Reader) -> StripeConfig:
    return StripeConfig(
        api_key=r.secret("STRIPE_API_KEY"),
        webhook_secret=r.secret("STRIPE_WEBHOOK_SECRET"),
        api_base=r.url("providers.stripe.api_base", "https://api.stripe.com", "STRIPE_API_BASE"),
        success_url=r.url("providers.stripe.success_url", "https://discord.com/channels/@me", None),
        cancel_url=r.url("providers.stripe.cancel_url", "https://discord.com/channels/@me", None),
        grace_days=r.integer("providers.stripe.grace_days", 3, None, low=0, high=60),
    )


def read_midtrans(r: Reader) -> MidtransConfig:
    return MidtransConfig(
        server_key=r.secret("MIDTRANS_SERVER_KEY"),
        api_base=r.url(
            "providers.midtrans.api_base",
            "https://api.sandbox.midtrans.com",
            "MIDTRANS_API_BASE",
        ),
        currency=r.text("providers.midtrans.currency", "IDR"),
    )


def read_ecwid(r: Reader) -> EcwidConfig:
    product_map = r.toml.get("providers", {}).get("ecwid", {}).get("product_map", {})
    if not isinstance(product_map, Mapping) or not all(
        isinstance(v, str) for v in product_map.values()
    ):
        r.problems.append("providers.ecwid.product_map: expected a table of SKU = product key")
        product_map = {}
    return EcwidConfig(
        api_token=r.secret("ECWID_API_TOKEN"),
        client_secret=r.secret("ECWID_CLIENT_SECRET"),
        store_id=r.secret("ECWID_STORE_ID"),
        api_base=r.url(
            "providers.ecwid.api_base", "https://app.ecwid.com/api/v3", "ECWID_API_BASE"
        ),
        discord_field=r.text(
            "providers.ecwid.discord_field", "Discord User ID", "ECWID_DISCORD_FIELD"
        ),
        product_map={str(k): v for k, v in product_map.items()},
    )
