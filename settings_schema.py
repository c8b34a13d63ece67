"""What config.toml may hold, and the checks `load_settings` adds beyond each value's type.

A misspelt key or section is not silently ignored (a `[discrod]` table would otherwise leave
every id at 0), a secret written into the shared config file is refused, and half-set or
mixed-up provider credentials are reported naming the key to fix.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any


def _keys(*names: str) -> dict[str, Any]:
    return dict.fromkeys(names)


# Every table and key config.toml may have; a None value is a leaf (or a free-form table).
SCHEMA: dict[str, Any] = {
    "discord": _keys(
        "guild_id", "orders_channel_id", "admin_channel_id", "fallback_channel_id",
        "customer_role_id", "admin_role_id", "trusted_webhook_ids", "api_base",
        "requests_per_second",
    ),
    "database": _keys("url"),
    "webhooks": _keys("host", "port", "max_body_bytes"),
    "shop": _keys("wallet_currency", "order_expiry_minutes"),
    "delivery": _keys("dm_file_threshold"),
    "jobs": _keys("max_attempts"),
    "access": _keys("reminder_days"),
    "providers": {
        "stripe": _keys("api_base", "success_url", "cancel_url", "grace_days"),
        "midtrans": _keys("api_base", "currency"),
        "ecwid": _keys("api_base", "discord_field", "product_map"),
    },
    "products": None,
}  # fmt: skip
PRODUCT_KEYS = {
    "key", "name", "description", "kind", "price", "currency", "role_id", "low_stock",
    "packages", "duration_days", "interval",
}  # fmt: skip
PACKAGE_KEYS = {"quantity", "price"}
# Key names that mean a secret, and the environment variable each belongs in.
_SECRET_NAMES = re.compile(r"token|secret|password|api_key|server_key|private|fernet", re.I)
_SECRET_VALUES = re.compile(r"^(sk|rk|pk)_(live|test)_|^whsec_|^SB-Mid-server-|^Mid-server-")


def unknown_keys(toml: Mapping[str, Any]) -> list[str]:
    """One problem line per table or key of config.toml that Stockroom does not read."""
    problems: list[str] = []
    _walk(toml, SCHEMA, "", problems)
    products = toml.get("products", [])
    for index, product in enumerate(products if isinstance(products, list) else []):
        if not isinstance(product, Mapping):
            continue
        where = f"products[{index}]"
        _walk(product, dict.fromkeys(PRODUCT_KEYS), where + ".", problems)
        packages = product.get("packages", [])
        for number, package in enumerate(packages if isinstance(packages, list) else []):
            if isinstance(package, Mapping):
                names = dict.fromkeys(PACKAGE_KEYS)
                _walk(package, names, f"{where}.packages[{number}].", problems)
    return problems


def _walk(node: Mapping[str, Any], tree: dict[str, Any], prefix: str, problems: list[str]) -> None:
    for name, value in node.items():
        path = f"{prefix}{name}"
        if _SECRET_NAMES.search(name) or (isinstance(value, str) and _SECRET_VALUES.match(value)):
            problems.append(
                f"{path}: looks like a secret; secrets go in .env (see .env.example), "
                "never in config.toml"
            )
        elif name not in tree:
            close = difflib.get_close_matches(name, list(tree), n=1)
            hint = f" (did you mean {prefix}{close[0]}?)" if close else ""
            problems.append(f"{path}: unknown key in config.toml{hint}")
        elif tree[name] is not None and isinstance(value, Mapping):
            _walk(value, tree[name], path + ".", problems)


def provider_warnings(
    env: Mapping[str, str], products_currencies: set[str], wallet_currency: str, midtrans: str
) -> tuple[list[str], list[str]]:
    """(problems, warnings) about provider credentials that are half set or mixed up."""
    problems: list[str] = []
    warnings: list[str] = []

    def value(name: str) -> str:
        return env.get(name, "").strip()

    stripe_key, stripe_hook = value("STRIPE_API_KEY"), value("STRIPE_WEBHOOK_SECRET")
    if stripe_key.startswith("pk_"):
        problems.append(
            "STRIPE_API_KEY: this is a publishable key (pk_…); use the secret key (sk_…) "
            "or a restricted key (rk_…) from the Stripe dashboard"
        )
    elif stripe_key and not stripe_key.startswith(("sk_", "rk_")):
        warnings.append("STRIPE_API_KEY: does not look like a Stripe secret key (sk_… or rk_…)")
    if stripe_hook and not stripe_hook.startswith("whsec_"):
        warnings.append("STRIPE_WEBHOOK_SECRET: does not look like a signing secret (whsec_…)")
    if bool(stripe_key) != bool(stripe_hook):
        missing = "STRIPE_WEBHOOK_SECRET" if stripe_key else "STRIPE_API_KEY"
        warnings.append(f"{missing}: not set, so Stripe stays off until both Stripe keys are set")
    ecwid = ("ECWID_API_TOKEN", "ECWID_CLIENT_SECRET", "ECWID_STORE_ID")
    given = [name for name in ecwid if value(name)]
    if given and len(given) < len(ecwid):
        missing = ", ".join(name for name in ecwid if name not in given)
        warnings.append(f"{missing}: not set, so Ecwid stays off until all three are set")
    server_key = value("MIDTRANS_SERVER_KEY")
    if server_key.startswith(("Mid-client-", "SB-Mid-client-")):
        problems.append(
            "MIDTRANS_SERVER_KEY: this is the client key; use the server key (Mid-server-…)"
        )
    elif server_key and midtrans not in products_currencies and midtrans != wallet_currency:
        warnings.append(
            f"MIDTRANS_SERVER_KEY: set, but no product and not the wallet is priced in "
            f"{midtrans} (providers.midtrans.currency), so QRIS is never offered"
        )
    return problems, warnings
