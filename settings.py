"""Configuration: config.toml + .env + environment overrides, validated once at start."""

# PackageConfig and ProductConfig are re-exported: the catalog is part of the settings.

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from settings_catalog import CURRENCY_CODE, read_products
from settings_catalog import PackageConfig as PackageConfig
from settings_catalog import ProductConfig as ProductConfig
from settings_schema import provider_warnings, unknown_keys

ROOT = Path(__file__).resolve().parent
DEFAULT_CONFIG = ROOT / "config.toml"
DEFAULT_DATABASE_URL = "sqlite://data/stockroom.sqlite3"
DEFAULT_DISCORD_API_BASE = "https://discord.com/api/v10"


class ConfigError(Exception):
    """Raised with every problem found, one line each, naming the key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DiscordConfig:
    token: str
    guild_id: int
    orders_channel_id: int
    admin_channel_id: int
    fallback_channel_id: int
    customer_role_id: int
    admin_role_id: int
    api_base: str
    trusted_webhook_ids: tuple[int, ...] = ()
    # The bot's own pace toward Discord's global limit; 0: a REST proxy paces every process.
    requests_per_second: int = 50


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


class _Reader:
    """Reads typed values, collecting one problem line per bad key instead of failing."""

    def __init__(self, toml: Mapping[str, Any], env: Mapping[str, str]) -> None:
        self.toml = toml
        self.env = env
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def _raw(self, path: str, env_name: str | None) -> tuple[Any, str]:
        if env_name and self.env.get(env_name, "").strip() != "":
            return self.env[env_name].strip(), env_name
        node: Any = self.toml
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return None, path
            node = node[part]
        return node, path

    def snowflake(self, path: str, env_name: str | None = None) -> int:
        value, name = self._raw(path, env_name)
        if value is None:
            return 0
        if isinstance(value, bool) or not re.fullmatch(r"\d{1,20}", str(value)):
            self.problems.append(f"{name}: expected a Discord id (digits only), got {value!r}")
            return 0
        number = int(value)
        if number and number < 1 << 22:
            self.problems.append(f"{name}: {number} is too small to be a Discord id")
            return 0
        return number

    def integer(
        self,
        path: str,
        default: int,
        env_name: str | None = None,
        *,
        low: int = 0,
        high: int = 2**63 - 1,
    ) -> int:
        value, name = self._raw(path, env_name)
        if value is None:
            return default
        try:
            if isinstance(value, bool) or isinstance(value, float):
                raise ValueError
            number = int(value)
        except (TypeError, ValueError):
            self.problems.append(f"{name}: expected a whole number, got {value!r}")
            return default
        if not low <= number <= high:
            self.problems.append(f"{name}: expected a number from {low} to {high}, got {number}")
            return default
        return number

    def text(self, path: str, default: str = "", env_name: str | None = None) -> str:
        value, name = self._raw(path, env_name)
        if value is None:
            return default
        if not isinstance(value, str):
            self.problems.append(f"{name}: expected text, got {value!r}")
            return default
        return value.strip()

    def url(self, path: str, default: str, env_name: str | None = None) -> str:
        value = self.text(path, default, env_name)
        if not re.match(r"^https?://[^\s/]+", value):
            _, name = self._raw(path, env_name)
            self.problems.append(f"{name}: expected an http(s) URL, got {value!r}")
            return default
        return value.rstrip("/")

    def secret(self, name: str) -> str:
        return self.env.get(name, "").strip()


def _stock_keys(reader: _Reader) -> tuple[str, ...]:
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


def _database_url(reader: _Reader) -> str:
    url = reader.text("database.url", DEFAULT_DATABASE_URL, "DATABASE_URL")
    if url.startswith("postgresql://"):
        url = "postgres://" + url[len("postgresql://") :]
    if not re.match(r"^(sqlite|postgres)://.+", url):
        _, name = reader._raw("database.url", "DATABASE_URL")
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


def _discord_token(reader: _Reader) -> str:
    token = reader.secret("DISCORD_APP_TOKEN")
    if not token:
        reader.problems.append("DISCORD_APP_TOKEN: missing; set it in .env (Discord bot token)")
    elif any(c.isspace() for c in token):
        reader.problems.append("DISCORD_APP_TOKEN: must not contain spaces")
    return token


def _is_snowflake(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 << 22 <= value < 1 << 64


def _trusted_webhook_ids(reader: _Reader) -> tuple[int, ...]:
    """The webhooks whose orders-channel embeds are acted on; none trusted when empty.

    TRUSTED_WEBHOOK_IDS (ids separated by commas) replaces discord.trusted_webhook_ids.
    """
    listed = reader.env.get("TRUSTED_WEBHOOK_IDS", "").strip()
    if listed:
        parts = [part.strip() for part in listed.split(",")]
        if not all(re.fullmatch(r"\d{1,20}", part) and _is_snowflake(int(part)) for part in parts):
            reader.problems.append(
                "TRUSTED_WEBHOOK_IDS: expected Discord webhook ids separated by commas, "
                f"got {listed!r}"
            )
            return ()
        return tuple(dict.fromkeys(int(part) for part in parts))
    trusted = reader.toml.get("discord", {}).get("trusted_webhook_ids", [])
    if not isinstance(trusted, list) or not all(_is_snowflake(i) for i in trusted):
        reader.problems.append(
            "discord.trusted_webhook_ids: expected a list of Discord webhook ids"
        )
        return ()
    return tuple(dict.fromkeys(trusted))


def _discord(reader: _Reader) -> DiscordConfig:
    r = reader
    token = _discord_token(r)
    trusted = _trusted_webhook_ids(r)
    discord = DiscordConfig(
        token=token,
        guild_id=r.snowflake("discord.guild_id", "GUILD_ID"),
        orders_channel_id=r.snowflake("discord.orders_channel_id", "ORDERS_CHANNEL_ID"),
        admin_channel_id=r.snowflake("discord.admin_channel_id", "ADMIN_CHANNEL_ID"),
        fallback_channel_id=r.snowflake("discord.fallback_channel_id", "FALLBACK_CHANNEL_ID"),
        customer_role_id=r.snowflake("discord.customer_role_id", "CUSTOMER_ROLE_ID"),
        admin_role_id=r.snowflake("discord.admin_role_id", "ADMIN_ROLE_ID"),
        api_base=r.url("discord.api_base", DEFAULT_DISCORD_API_BASE, "DISCORD_API_BASE"),
        trusted_webhook_ids=trusted,
        requests_per_second=r.integer(
            "discord.requests_per_second", 50, "DISCORD_REQUESTS_PER_SECOND", low=0, high=10_000
        ),
    )
    for name, value in (
        ("GUILD_ID", discord.guild_id),
        ("ORDERS_CHANNEL_ID", discord.orders_channel_id),
        ("ADMIN_CHANNEL_ID", discord.admin_channel_id),
        ("FALLBACK_CHANNEL_ID", discord.fallback_channel_id),
        ("CUSTOMER_ROLE_ID", discord.customer_role_id),
    ):
        if value == 0:
            r.warnings.append(f"{name}: not set (0); the features that need it stay off")
    if discord.orders_channel_id and not trusted:
        r.warnings.append(
            "discord.trusted_webhook_ids: empty, so order embeds in the orders channel are "
            "not acted on; list your storefront webhook's id there (or in TRUSTED_WEBHOOK_IDS)"
        )
    return discord


def _webhook_host(reader: _Reader) -> str:
    host = reader.text("webhooks.host", "0.0.0.0", "WEBHOOK_HOST")
    if not host or any(c.isspace() for c in host):
        reader.problems.append(f"WEBHOOK_HOST: expected a host name or address, got {host!r}")
    return host


def _stripe(r: _Reader) -> StripeConfig:
    return StripeConfig(
        api_key=r.secret("STRIPE_API_KEY"),
        webhook_secret=r.secret("STRIPE_WEBHOOK_SECRET"),
        api_base=r.url("providers.stripe.api_base", "https://api.stripe.com", "STRIPE_API_BASE"),
        success_url=r.url("providers.stripe.success_url", "https://discord.com/channels/@me", None),
        cancel_url=r.url("providers.stripe.cancel_url", "https://discord.com/channels/@me", None),
        grace_days=r.integer("providers.stripe.grace_days", 3, None, low=0, high=60),
    )


def _midtrans(r: _Reader) -> MidtransConfig:
    return MidtransConfig(
        server_key=r.secret("MIDTRANS_SERVER_KEY"),
        api_base=r.url(
            "providers.midtrans.api_base",
            "https://api.sandbox.midtrans.com",
            "MIDTRANS_API_BASE",
        ),
        currency=r.text("providers.midtrans.currency", "IDR"),
    )


def _ecwid(r: _Reader) -> EcwidConfig:
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


def _products(reader: _Reader, discord: DiscordConfig) -> tuple[ProductConfig, ...]:
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
    r = _Reader(_read_config_file(path), env)
    # Sections are read in a fixed order: problems are listed in the order they are found.
    discord = _discord(r)
    host = _webhook_host(r)
    stripe, midtrans, ecwid = _stripe(r), _midtrans(r), _ecwid(r)
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
