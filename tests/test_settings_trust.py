"""Orders-channel trust: whose embeds are acted on (config.toml or TRUSTED_WEBHOOK_IDS)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from settings import DEFAULT_CONFIG, ROOT, ConfigError, load_settings

GOOD_ENV = {"DISCORD_APP_TOKEN": "dummy-token"}
HOOK_A = 1_180_000_000_000_000_001
HOOK_B = 1_180_000_000_000_000_002
CHANNEL = "1180000000000000100"


def problems(env: dict[str, str], config: Path = DEFAULT_CONFIG) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_settings(env, config)
    return caught.value.problems


def config_with(tmp_path: Path, trusted: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        DEFAULT_CONFIG.read_text(encoding="utf-8").replace(
            "trusted_webhook_ids = []", f"trusted_webhook_ids = {trusted}"
        ),
        encoding="utf-8",
    )
    return path


def test_the_environment_lists_trusted_webhooks_and_overrides_the_file(tmp_path: Path) -> None:
    env = {**GOOD_ENV, "TRUSTED_WEBHOOK_IDS": f" {HOOK_A}, {HOOK_B} "}
    assert load_settings(env).discord.trusted_webhook_ids == (HOOK_A, HOOK_B)
    config = config_with(tmp_path, f"[{HOOK_A}]")
    assert load_settings(GOOD_ENV, config).discord.trusted_webhook_ids == (HOOK_A,)
    overridden = load_settings({**GOOD_ENV, "TRUSTED_WEBHOOK_IDS": str(HOOK_B)}, config)
    assert overridden.discord.trusted_webhook_ids == (HOOK_B,)
    # Empty in the environment: the file's list stands, as with the other overrides.
    blank = load_settings({**GOOD_ENV, "TRUSTED_WEBHOOK_IDS": " "}, config)
    assert blank.discord.trusted_webhook_ids == (HOOK_A,)


@pytest.mark.parametrize("value", ["abc", f"{HOOK_A};{HOOK_B}", "12", f"{HOOK_A},,x", "-5"])
def test_a_malformed_environment_list_is_a_problem(value: str) -> None:
    found = problems({**GOOD_ENV, "TRUSTED_WEBHOOK_IDS": value})
    assert any(p.startswith("TRUSTED_WEBHOOK_IDS: ") for p in found), found


@pytest.mark.parametrize("value", ['["abc"]', "[0]", "[true]", f"{HOOK_A}", "[12]"])
def test_a_malformed_file_list_is_a_problem(tmp_path: Path, value: str) -> None:
    found = problems(GOOD_ENV, config_with(tmp_path, value))
    assert any(p.startswith("discord.trusted_webhook_ids: ") for p in found), found


def test_an_orders_channel_without_trusted_webhooks_is_warned_about() -> None:
    warned = load_settings({**GOOD_ENV, "ORDERS_CHANNEL_ID": CHANNEL}).warnings
    (line,) = [w for w in warned if w.startswith("discord.trusted_webhook_ids:")]
    assert "not acted on" in line and "TRUSTED_WEBHOOK_IDS" in line
    trusting = load_settings(
        {**GOOD_ENV, "ORDERS_CHANNEL_ID": CHANNEL, "TRUSTED_WEBHOOK_IDS": str(HOOK_A)}
    )
    assert not [w for w in trusting.warnings if w.startswith("discord.trusted_webhook_ids:")]
    # With no orders channel nothing is read anyway; ORDERS_CHANNEL_ID's own warning says so.
    unset = load_settings(GOOD_ENV).warnings
    assert not [w for w in unset if w.startswith("discord.trusted_webhook_ids:")]


def test_check_says_that_untrusted_embeds_are_not_acted_on(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "STOCKROOM_ENV_FILE": str(tmp_path / "no.env"),
        "DATABASE_URL": f"sqlite://{tmp_path}/db.sqlite3",
        **GOOD_ENV,
        "ORDERS_CHANNEL_ID": CHANNEL,
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning: discord.trusted_webhook_ids: empty" in done.stdout
