"""Configuration validation: the shipped file, missing and malformed values, env overrides."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from settings import DEFAULT_CONFIG, ROOT, ConfigError, load_settings

GOOD_ENV = {"DISCORD_APP_TOKEN": "dummy-token"}


def problems(env: dict[str, str], config: Path = DEFAULT_CONFIG) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_settings(env, config)
    return caught.value.problems


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_loads_with_a_token() -> None:
    settings = load_settings(GOOD_ENV)
    assert {p.key for p in settings.products} == {
        "game-key",
        "vip",
        "starter-bundle",
        "vip-pass",
        "vip-monthly",
    }
    assert settings.product("vip-pass").duration_days == 30
    assert settings.access_reminder_days == 3
    assert settings.product("vip-monthly").interval == "month"
    assert settings.stripe.grace_days == 3
    assert {p.kind for p in settings.products} == {"code", "role", "code+role"}
    assert settings.product("game-key").packages[0].quantity == 5
    assert settings.database_url == "sqlite://data/stockroom.sqlite3"
    assert (settings.webhook_host, settings.webhook_port) == ("0.0.0.0", 8080)
    assert settings.discord.api_base == "https://discord.com/api/v10"
    assert settings.discord.requests_per_second == 50
    assert not settings.stripe.enabled and not settings.midtrans.enabled
    assert any(w.startswith("GUILD_ID:") for w in settings.warnings)


@pytest.mark.parametrize("value", ["-1", "61", '"three"', "2.5"])
def test_a_bad_grace_period_is_one_line_naming_its_key(tmp_path: Path, value: str) -> None:
    text = DEFAULT_CONFIG.read_text().replace("grace_days = 3 ", f"grace_days = {value} ")
    assert f"grace_days = {value} " in text
    (problem,) = problems(GOOD_ENV, write_config(tmp_path, text))
    assert problem.startswith("providers.stripe.grace_days: expected")


def test_missing_token_is_named() -> None:
    assert problems({}) == ["DISCORD_APP_TOKEN: missing; set it in .env (Discord bot token)"]


def test_environment_overrides_config() -> None:
    env = {
        **GOOD_ENV,
        "GUILD_ID": "123456789012345678",
        "ORDERS_CHANNEL_ID": "223456789012345678",
        "CUSTOMER_ROLE_ID": "323456789012345678",
        "ADMIN_CHANNEL_ID": "423456789012345678",
        "ADMIN_ROLE_ID": "523456789012345678",
        "FALLBACK_CHANNEL_ID": "623456789012345678",
        "DATABASE_URL": "postgresql://u:p@db:5432/shop",
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": "9090",
        "DISCORD_API_BASE": "http://127.0.0.1:5000/api/v10/",
        "DISCORD_REQUESTS_PER_SECOND": "25",
        "STRIPE_API_BASE": "http://127.0.0.1:12111",
        "MIDTRANS_API_BASE": "http://127.0.0.1:12112",
        "ECWID_API_BASE": "http://127.0.0.1:12113/api/v3",
        "ECWID_DISCORD_FIELD": "Discord",
        "STRIPE_API_KEY": "sk_test_x",
        "STRIPE_WEBHOOK_SECRET": "whsec_x",
    }
    s = load_settings(env)
    d = s.discord
    assert (d.guild_id, d.orders_channel_id, d.customer_role_id) == (
        123456789012345678,
        223456789012345678,
        323456789012345678,
    )
    assert (d.admin_channel_id, d.admin_role_id, d.fallback_channel_id) == (
        423456789012345678,
        523456789012345678,
        623456789012345678,
    )
    assert s.database_url == "postgres://u:p@db:5432/shop"
    assert (s.webhook_host, s.webhook_port) == ("127.0.0.1", 9090)
    assert d.api_base == "http://127.0.0.1:5000/api/v10"
    assert d.requests_per_second == 25
    assert s.stripe.api_base == "http://127.0.0.1:12111" and s.stripe.enabled
    assert s.midtrans.api_base == "http://127.0.0.1:12112"
    assert s.ecwid.api_base == "http://127.0.0.1:12113/api/v3"
    assert s.ecwid.discord_field == "Discord"
    assert not s.warnings or all("GUILD_ID" not in w for w in s.warnings)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("GUILD_ID", "abc", "GUILD_ID: expected a Discord id (digits only), got 'abc'"),
        ("GUILD_ID", "12", "GUILD_ID: 12 is too small to be a Discord id"),
        ("ORDERS_CHANNEL_ID", "-5", "ORDERS_CHANNEL_ID: expected a Discord id"),
        ("WEBHOOK_PORT", "80000", "WEBHOOK_PORT: expected a number from 0 to 65535"),
        ("WEBHOOK_PORT", "http", "WEBHOOK_PORT: expected a whole number"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL: expected sqlite://PATH or postgres://"),
        ("DISCORD_API_BASE", "discord.com", "DISCORD_API_BASE: expected an http(s) URL"),
        ("STOCK_ENCRYPTION_KEYS", "not-a-key", "STOCK_ENCRYPTION_KEYS: key 1 is not a Fernet key"),
        ("DISCORD_REQUESTS_PER_SECOND", "-1", "DISCORD_REQUESTS_PER_SECOND: expected a number"),
        ("DISCORD_REQUESTS_PER_SECOND", "fast", "DISCORD_REQUESTS_PER_SECOND: expected a whole"),
    ],
)
def test_malformed_environment_value_is_one_line_naming_the_key(name, value, expected) -> None:
    found = problems({**GOOD_ENV, name: value})
    assert len(found) == 1
    assert found[0].startswith(expected)


def test_catalog_problems_name_the_product(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        """
[[products]]
key = "Bad Key"
name = "x"
price = 1
[[products]]
key = "ok"
name = "OK"
kind = "gift"
price = 1.5
currency = "usd"
[[products.packages]]
quantity = 0
price = 10
[[products]]
key = "ok"
name = "Again"
price = 10
""",
    )
    found = problems(GOOD_ENV, config)
    assert found[0].startswith("products[0].key: expected lowercase letters")
    assert "products.ok.kind: expected one of code, role, code+role" in found
    assert "products.ok.price: expected a positive whole number of minor units" in found
    assert "products.ok.currency: expected a 3-letter ISO code like USD" in found
    assert "products.ok.packages[0].quantity: expected a whole number from 1 to 1000" in found
    assert "products[2].key: 'ok' is used by another product" in found


def test_timed_and_subscription_products_are_checked(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        """
[[products]]
key = "pass"
name = "Pass"
kind = "code"
price = 100
duration_days = 30
[[products]]
key = "long"
name = "Long"
kind = "role"
price = 100
duration_days = 0
[[products]]
key = "sub"
name = "Sub"
kind = "role"
price = 100
interval = "week"
[[products]]
key = "both"
name = "Both"
kind = "role"
price = 100
interval = "month"
duration_days = 30
""",
    )
    found = problems(GOOD_ENV, config)
    assert "products.pass.duration_days: only a product that grants a role can last" in found
    assert "products.long.duration_days: expected a whole number of days from 1 to 3650" in found
    assert "products.sub.interval: expected one of month, year" in found
    assert "products.both.interval: a subscription cannot also have duration_days" in found


def test_unreadable_config(tmp_path: Path) -> None:
    assert problems(GOOD_ENV, tmp_path / "missing.toml")[0].startswith(
        "STOCKROOM_CONFIG: no config file at"
    )
    broken = write_config(tmp_path, "[discord\nguild_id = 1")
    assert problems(GOOD_ENV, broken)[0].startswith("STOCKROOM_CONFIG:")
    assert "is not valid TOML" in problems(GOOD_ENV, broken)[0]


def test_stockroom_config_env_selects_the_file(tmp_path: Path) -> None:
    config = write_config(tmp_path, "[webhooks]\nport = 7000\n")
    settings = load_settings({**GOOD_ENV, "STOCKROOM_CONFIG": str(config)})
    assert settings.webhook_port == 7000 and settings.products == ()


def _check(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # A clean environment: no .env, database in a temp folder.
    full = {
        "PATH": "/usr/bin:/bin",
        "STOCKROOM_ENV_FILE": str(tmp_path / "no.env"),
        "DATABASE_URL": f"sqlite://{tmp_path}/db.sqlite3",
        **env,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--check"],
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def test_check_command_exit_codes(tmp_path: Path) -> None:
    ok = _check(GOOD_ENV, tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "configuration OK" in ok.stdout

    missing = _check({}, tmp_path)
    assert missing.returncode == 1
    assert "DISCORD_APP_TOKEN" in missing.stdout and "Traceback" not in missing.stderr

    malformed = _check({**GOOD_ENV, "GUILD_ID": "not-a-number"}, tmp_path)
    assert malformed.returncode == 1
    assert "problem: GUILD_ID: expected a Discord id" in malformed.stdout


def test_first_run_creates_env_from_example_readable_by_owner_only(tmp_path):
    import stat

    from cli import create_env_file

    example = tmp_path / ".env.example"
    example.write_text("DISCORD_APP_TOKEN=\n")
    env = tmp_path / ".env"
    assert create_env_file(env, example) is True
    assert env.read_text() == "DISCORD_APP_TOKEN=\n"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    env.write_text("DISCORD_APP_TOKEN=mine\n")
    assert create_env_file(env, example) is False
    assert env.read_text() == "DISCORD_APP_TOKEN=mine\n"


def _python_310() -> str | None:
    # pyenv's shim answers for any version name, so ask each candidate to run first.
    for name in ("/root/.pyenv/versions/3.10.13/bin/python", "python3.10"):
        found = shutil.which(name)
        if found and subprocess.run([found, "-c", ""], capture_output=True).returncode == 0:
            return found
    return None


@pytest.mark.skipif(_python_310() is None, reason="no Python 3.10 on this machine to try")
def test_python_310_gets_one_line_about_the_version():
    done = subprocess.run(
        [_python_310(), str(ROOT / "bot.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done.stderr
    assert len(lines) == 1 and "needs Python 3.11 or newer" in lines[0], done.stderr


def test_version_and_log_level_from_the_shell(tmp_path: Path) -> None:
    version = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert version.returncode == 0 and version.stdout.startswith("Stockroom ")
    loud = _check({**GOOD_ENV, "LOG_LEVEL": "loud"}, tmp_path)
    assert loud.returncode == 1
    assert loud.stderr.strip() == (
        "LOG_LEVEL: expected one of DEBUG, INFO, WARNING, ERROR, got 'LOUD'"
    )
    assert _check({**GOOD_ENV, "LOG_LEVEL": "warning"}, tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("-1", "access.reminder_days: expected a number from 0 to 365, got -1"),
        ('"soon"', "access.reminder_days: expected a whole number, got 'soon'"),
        ("2.5", "access.reminder_days: expected a whole number, got 2.5"),
    ],
)
def test_a_bad_reminder_days_is_one_line_naming_the_key(
    tmp_path: Path, value: str, line: str
) -> None:
    config = write_config(tmp_path, f"[access]\nreminder_days = {value}\n")
    assert problems(GOOD_ENV, config) == [line]


def test_reminder_days_zero_turns_reminders_off_and_a_timed_product_loads(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        '[access]\nreminder_days = 0\n[[products]]\nkey = "pass"\nname = "Pass"\n'
        'kind = "role"\nprice = 100\ncurrency = "USD"\nduration_days = 7\n',
    )
    settings = load_settings(GOOD_ENV, config)
    assert settings.access_reminder_days == 0
    assert settings.product("pass").duration_days == 7
