"""config.toml keys Stockroom does not read, secrets in the file, half-set provider keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import DEFAULT_CONFIG, ConfigError, load_settings

GOOD_ENV = {"DISCORD_APP_TOKEN": "dummy-token"}


def problems(env: dict[str, str], config: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_settings(env, config)
    return caught.value.problems


def shipped_with(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "config.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_misspelt_section_is_named_with_a_suggestion(tmp_path: Path) -> None:
    config = shipped_with(tmp_path, "[discord]", "[discrod]")
    assert problems(GOOD_ENV, config) == [
        "discrod: unknown key in config.toml (did you mean discord?)"
    ]


def test_a_misspelt_key_in_a_table_and_in_a_product_is_named(tmp_path: Path) -> None:
    config = shipped_with(tmp_path, "guild_id = 0", "guild_ud = 0")
    assert problems(GOOD_ENV, config) == [
        "discord.guild_ud: unknown key in config.toml (did you mean discord.guild_id?)"
    ]
    config = shipped_with(tmp_path, "low_stock = 5", "low_stok = 5")
    assert problems(GOOD_ENV, config) == [
        "products[0].low_stok: unknown key in config.toml (did you mean products[0].low_stock?)"
    ]


def test_a_secret_in_config_toml_is_refused(tmp_path: Path) -> None:
    config = shipped_with(
        tmp_path, "[providers.stripe]\n", '[providers.stripe]\napi_key = "sk_test_123"\n'
    )
    assert problems(GOOD_ENV, config) == [
        "providers.stripe.api_key: looks like a secret; secrets go in .env (see .env.example), "
        "never in config.toml"
    ]


def test_the_ecwid_product_map_takes_any_sku(tmp_path: Path) -> None:
    config = shipped_with(tmp_path, '"GAME-KEY" = "game-key"', '"ANY-SKU-1" = "game-key"')
    assert load_settings(GOOD_ENV, config).ecwid.product_map == {"ANY-SKU-1": "game-key"}


def test_a_publishable_stripe_key_is_a_problem() -> None:
    env = {**GOOD_ENV, "STRIPE_API_KEY": "pk_test_abc", "STRIPE_WEBHOOK_SECRET": "whsec_x"}
    assert problems(env, DEFAULT_CONFIG) == [
        "STRIPE_API_KEY: this is a publishable key (pk_…); use the secret key (sk_…) "
        "or a restricted key (rk_…) from the Stripe dashboard"
    ]


def test_half_set_providers_are_warned_naming_the_missing_key() -> None:
    env = {**GOOD_ENV, "STRIPE_API_KEY": "sk_test_abc", "ECWID_STORE_ID": "123"}
    warnings = load_settings(env, DEFAULT_CONFIG).warnings
    assert "STRIPE_WEBHOOK_SECRET: not set, so Stripe stays off until both Stripe keys are set" in (
        warnings
    )
    assert (
        "ECWID_API_TOKEN, ECWID_CLIENT_SECRET: not set, so Ecwid stays off until all three are set"
        in warnings
    )


def test_midtrans_without_a_product_in_its_currency_is_warned() -> None:
    env = {**GOOD_ENV, "MIDTRANS_SERVER_KEY": "SB-Mid-server-abc"}
    warnings = load_settings(env, DEFAULT_CONFIG).warnings
    assert any(w.startswith("MIDTRANS_SERVER_KEY: set, but no product") for w in warnings)
    client_key = {**GOOD_ENV, "MIDTRANS_SERVER_KEY": "SB-Mid-client-abc"}
    assert problems(client_key, DEFAULT_CONFIG) == [
        "MIDTRANS_SERVER_KEY: this is the client key; use the server key (Mid-server-…)"
    ]
