"""Configuration: config.toml + .env + environment overrides, validated once at start."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent
DEFAULT_CONFIG = ROOT / "config.toml"
DEFAULT_DATABASE_URL = "sqlite://data/stockroom.sqlite3"
DEFAULT_DISCORD_API_BASE = "https://discord.com/api/v10"
PRODUCT_KINDS = ("code", "role", "code+role")
_PRODUCT_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class ConfigError(Exception):
    """Raised with every problem found, one line each, naming the key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PackageConfig:
    quantity: int
    price: int


@dataclass(frozen=True)
class ProductConfig:
    key: str
    name: str
    kind: str
    price: int
    currency: str
    role_id: int = 0
    low_stock: int = 5
    description: str = ""
    packages: tuple[PackageConfig, ...] = ()

    @property
    def delivers_codes(self) -> bool:
        return "code" in self.kind

    @property
    def grants_role(self) -> bool:
        return "role" in self.kind


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


@dataclass(frozen=True)
class StripeConfig:
    api_key: str
    webhook_secret: str
    api_base: str
    success_url: str
    cancel_url: str

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


def _read_products(reader: _Reader) -> tuple[ProductConfig, ...]:
    raw = reader.toml.get("products", [])
    if not isinstance(raw, list):
        reader.problems.append("products: expected a list of [[products]] tables")
        return ()
    products: list[ProductConfig] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"products[{index}]"
        if not isinstance(item, Mapping):
            reader.problems.append(f"{where}: expected a table")
            continue
        before = len(reader.problems)
        key = item.get("key")
        if not isinstance(key, str) or not _PRODUCT_KEY.match(key):
            reader.problems.append(
                f"{where}.key: expected lowercase letters, digits, '-' or '_', got {key!r}"
            )
        elif key in seen:
            reader.problems.append(f"{where}.key: {key!r} is used by another product")
        else:
            seen.add(key)
            where = f"products.{key}"
        name = item.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            reader.problems.append(f"{where}.name: expected text of 1 to 100 characters")
        kind = item.get("kind", "code")
        if kind not in PRODUCT_KINDS:
            reader.problems.append(f"{where}.kind: expected one of {', '.join(PRODUCT_KINDS)}")
        price = item.get("price")
        if not _is_amount(price):
            reader.problems.append(
                f"{where}.price: expected a positive whole number of minor units"
            )
        currency = item.get("currency", "USD")
        if not isinstance(currency, str) or not _CURRENCY.match(currency):
            reader.problems.append(f"{where}.currency: expected a 3-letter ISO code like USD")
        role_id = item.get("role_id", 0)
        if not isinstance(role_id, int) or isinstance(role_id, bool) or role_id < 0:
            reader.problems.append(f"{where}.role_id: expected a Discord id or 0")
        low_stock = item.get("low_stock", 5)
        if not isinstance(low_stock, int) or isinstance(low_stock, bool) or low_stock < 0:
            reader.problems.append(f"{where}.low_stock: expected a whole number >= 0")
        packages = _read_packages(reader, where, item.get("packages", []))
        if len(reader.problems) > before:
            continue
        products.append(
            ProductConfig(
                key=key,
                name=name.strip(),
                kind=kind,
                price=price,
                currency=currency,
                role_id=role_id,
                low_stock=low_stock,
                description=str(item.get("description", "")).strip()[:500],
                packages=packages,
            )
        )
    return tuple(products)


def _read_packages(reader: _Reader, where: str, raw: Any) -> tuple[PackageConfig, ...]:
    if not isinstance(raw, list):
        reader.problems.append(f"{where}.packages: expected a list of [[products.packages]]")
        return ()
    packages: list[PackageConfig] = []
    quantities: set[int] = set()
    for index, item in enumerate(raw):
        spot = f"{where}.packages[{index}]"
        quantity = item.get("quantity") if isinstance(item, Mapping) else None
        price = item.get("price") if isinstance(item, Mapping) else None
        if not _is_amount(quantity) or quantity > 1000:
            reader.problems.append(f"{spot}.quantity: expected a whole number from 1 to 1000")
        elif quantity in quantities:
            reader.problems.append(f"{spot}.quantity: {quantity} is listed twice")
        elif not _is_amount(price):
            reader.problems.append(f"{spot}.price: expected a positive whole number of minor units")
        else:
            quantities.add(quantity)
            packages.append(PackageConfig(quantity=quantity, price=price))
    return tuple(packages)


def _is_amount(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


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


def load_settings(
    environ: Mapping[str, str] | None = None, config_path: str | Path | None = None
) -> Settings:
    """Reads and validates everything; raises ConfigError listing every problem."""
    env = dict(os.environ if environ is None else environ)
    path = Path(config_path or env.get("STOCKROOM_CONFIG") or DEFAULT_CONFIG)
    try:
        toml = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"STOCKROOM_CONFIG: no config file at {path}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"STOCKROOM_CONFIG: {path} is not valid TOML ({exc})"]) from None
    r = _Reader(toml, env)

    token = r.secret("DISCORD_APP_TOKEN")
    if not token:
        r.problems.append("DISCORD_APP_TOKEN: missing; set it in .env (Discord bot token)")
    elif any(c.isspace() for c in token):
        r.problems.append("DISCORD_APP_TOKEN: must not contain spaces")
    trusted = toml.get("discord", {}).get("trusted_webhook_ids", [])
    if not isinstance(trusted, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in trusted
    ):
        r.problems.append("discord.trusted_webhook_ids: expected a list of Discord webhook ids")
        trusted = []
    discord = DiscordConfig(
        token=token,
        guild_id=r.snowflake("discord.guild_id", "GUILD_ID"),
        orders_channel_id=r.snowflake("discord.orders_channel_id", "ORDERS_CHANNEL_ID"),
        admin_channel_id=r.snowflake("discord.admin_channel_id", "ADMIN_CHANNEL_ID"),
        fallback_channel_id=r.snowflake("discord.fallback_channel_id", "FALLBACK_CHANNEL_ID"),
        customer_role_id=r.snowflake("discord.customer_role_id", "CUSTOMER_ROLE_ID"),
        admin_role_id=r.snowflake("discord.admin_role_id", "ADMIN_ROLE_ID"),
        api_base=r.url("discord.api_base", DEFAULT_DISCORD_API_BASE, "DISCORD_API_BASE"),
        trusted_webhook_ids=tuple(trusted),
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

    host = r.text("webhooks.host", "0.0.0.0", "WEBHOOK_HOST")
    if not host or any(c.isspace() for c in host):
        r.problems.append(f"WEBHOOK_HOST: expected a host name or address, got {host!r}")
    stripe = StripeConfig(
        api_key=r.secret("STRIPE_API_KEY"),
        webhook_secret=r.secret("STRIPE_WEBHOOK_SECRET"),
        api_base=r.url("providers.stripe.api_base", "https://api.stripe.com", "STRIPE_API_BASE"),
        success_url=r.url("providers.stripe.success_url", "https://discord.com/channels/@me", None),
        cancel_url=r.url("providers.stripe.cancel_url", "https://discord.com/channels/@me", None),
    )
    midtrans = MidtransConfig(
        server_key=r.secret("MIDTRANS_SERVER_KEY"),
        api_base=r.url(
            "providers.midtrans.api_base",
            "https://api.sandbox.midtrans.com",
            "MIDTRANS_API_BASE",
        ),
        currency=r.text("providers.midtrans.currency", "IDR"),
    )
    product_map = toml.get("providers", {}).get("ecwid", {}).get("product_map", {})
    if not isinstance(product_map, Mapping) or not all(
        isinstance(v, str) for v in product_map.values()
    ):
        r.problems.append("providers.ecwid.product_map: expected a table of SKU = product key")
        product_map = {}
    ecwid = EcwidConfig(
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
    products = _read_products(r)
    for product in products:
        if product.grants_role and not (product.role_id or discord.customer_role_id):
            r.warnings.append(
                f"products.{product.key}.role_id: 0 and CUSTOMER_ROLE_ID not set; "
                "no role will be granted"
            )
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
        products=products,
        config_path=path,
        warnings=tuple(r.warnings),
    )
    if not _CURRENCY.match(settings.wallet_currency):
        r.problems.append("shop.wallet_currency: expected a 3-letter ISO code like USD")
    if r.problems:
        raise ConfigError(r.problems)
    return settings
