"""Configuration: config.toml + .env + environment overrides, validated once at start."""

# Each section's config type is re-exported: PackageConfig and ProductConfig (the catalog,
# settings_catalog.py), DiscordConfig (settings_discord.py), StripeConfig, MidtransConfig and
# EcwidConfig (settings_providers.py). The typed reader is settings_reader.py.

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from settings_catalog import CURRENCY_CODE, read_products
from settings_catalog import PackageConfig as PackageConfig
from settings_catalog import ProductConfig as ProductConfig
from settings_discord import DEFAULT_DISCORD_API_BASE as DEFAULT_DISCORD_API_BASE
from settings_discord import DiscordConfig as DiscordConfig
from settings_discord import read_discord
from settings_providers import EcwidConfig as EcwidConfig
from settings_providers import MidtransConfig as MidtransConfig
from settings_providers import StripeConfig as StripeConfig
from settings_providers import read_ecwid, read_midtrans, read_stripe
from settings_reader import Reader
from settings_schema import provider_warnings, unknown_keys

ROOT = Path(__file__).resolve().parent
DEFAULT_CONFIG = ROOT / "config.toml"
DEFAULT_DATABASE_URL = "sqlite://data/stockroom.sqlite3"


class ConfigError(Exception):
    """Raised with every problem found, one line each, naming the key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    discord: DiscordConfig
    database_url: str
    webhook_host: str
    webhook_port: int
    max_body_bytes: int
    stock_keys: tuple[str, ...]
    stripe: StripeConfig
    midtrans: MidtransConfig
    ecwid: EcwidConfig
    refract_token: str
    generic_secret: str
    admin_api_token: str
    wallet_currency: str
    order_expiry_minutes: int
    dm_file_threshold: int
    job_max_attempts: int
    products: tuple[ProductConfig, ...]
    config_path: Path
    warnings: tuple[str, ...] = ()
    # Days before a timed access ends that its buyer is DMed a reminder; 0: no reminder.
    access_reminder_days: int = 3

    def product(self, key: str) -> ProductConfig | None:
        return next((p for p in self.products if p.key == key), None)


def _stock_keys(reader: Reader) -> tuple[str, ...]:
    raw = reader.secret("STOCK_ENCRYPTION_KEYS")
    if not raw:
        return ()
    keys = tuple(k.strip() for k in raw.split(",") if k.strip())
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            reader.problems.append(
                f"STOCK_ENCRYPTION_KEYS: key {position} is not a Fernet key "
                "(32 url-safe base64 bytes; make one with "
                "python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())')"
            )
    return keys


def _database_url(reader: Reader) -> str:
    url = reader.text("database.url", DEFAULT_DATABASE_URL, "DATABASE_URL")
    if url.startswith("postgresql://"):
        url = "postgres://" + url[len("postgresql://") :]
    if not re.match(r"^(sqlite|postgres)://.+", url):
        _, name = reader.raw("database.url", "DATABASE_URL")
        reader.problems.append(
            f"{name}: expected sqlite://PATH or postgres://USER@HOST:PORT/DB, got {url!r}"
        )
    return url


def _read_config_file(path: Path) -> dict[str, Any]:
    """The parsed TOML file; a missing or malformed file is the one problem reported."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"STOCKROOM_CONFIG: no config file at {path}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"STOCKROOM_CONFIG: {path} is not valid TOML ({exc})"]) from None


def _webhook_host(reader: Reader) -> str:
    host = reader.text("webhooks.host", "0.0.0.0", "WEBHOOK_HOST")
    if not host or any(c.isspace() for c in host):
        reader.problems.append(f"WEBHOOK_HOST: expected a host name or address, got {host!r}")
    return host


def _products(reader: Reader, discord: DiscordConfig) -> tuple[ProductConfig, ...]:
    products = read_products(reader.toml, reader.problems)
    for product in products:
        if product.grants_role and not (product.role_id or discord.customer_role_id):
            reader.warnings.append(
                f"products.{product.key}.role_id: 0 and CUSTOMER_ROLE_ID not set; "
                "no role will be granted"
            )
    return products


def load_settings(
    environ: Mapping[str, str] | None = None, config_path: str | Path | None = None
) -> Settings:
    """Reads and validates everything; raises ConfigError listing every problem."""
    env = dict(os.environ if environ is None else environ)
    path = Path(config_path or env.get("STOCKROOM_CONFIG") or DEFAULT_CONFIG)
    r = Reader(_read_config_file(path), env)
    # Sections are read in a fixed order: problems are listed in the order they are found.
    discord = read_discord(r)
    host = _webhook_host(r)
    stripe, midtrans, ecwid = read_stripe(r), read_midtrans(r), read_ecwid(r)
    products = _products(r, discord)
    settings = Settings(
        discord=discord,
        database_url=_database_url(r),
        webhook_host=host,
        webhook_port=r.integer("webhooks.port", 8080, "WEBHOOK_PORT", high=65535),
        max_body_bytes=r.integer("webhooks.max_body_bytes", 65536, low=1024, high=10_485_760),
        stock_keys=_stock_keys(r),
        stripe=stripe,
        midtrans=midtrans,
        ecwid=ecwid,
        refract_token=r.secret("REFRACT_TOKEN"),
        generic_secret=r.secret("GENERIC_WEBHOOK_SECRET"),
        admin_api_token=r.secret("ADMIN_API_TOKEN"),
        wallet_currency=r.text("shop.wallet_currency", "USD").upper(),
        order_expiry_minutes=r.integer("shop.order_expiry_minutes", 30, low=30, high=1440),
        dm_file_threshold=r.integer("delivery.dm_file_threshold", 20, low=1, high=1000),
        job_max_attempts=r.integer("jobs.max_attempts", 8, low=1, high=100),
        access_reminder_days=r.integer("access.reminder_days", 3, low=0, high=365),
        products=products,
        config_path=path,
        warnings=tuple(r.warnings),
    )
    if not CURRENCY_CODE.match(settings.wallet_currency):
        r.problems.append("shop.wallet_currency: expected a 3-letter ISO code like USD")
    r.problems.extend(unknown_keys(r.toml))
    problems, warnings = provider_warnings(
        env,
        {product.currency.upper() for product in products},
        settings.wallet_currency,
        midtrans.currency.upper(),
    )
    r.problems.extend(problems)
    if warnings:
        settings = dataclasses.replace(settings, warnings=(*settings.warnings, *warnings))
    if r.problems:
        raise ConfigError(r.problems)
    return settings
