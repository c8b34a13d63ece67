"""The typed reader behind load_settings(): TOML values with environment overrides, each bad
key one problem line (the sections' readers in settings_*.py collect them; settings.py raises
ConfigError listing them all)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


class Reader:
    """Reads typed values, collecting one problem line per bad key instead of failing."""

    def __init__(self, toml: Mapping[str, Any], env: Mapping[str, str]) -> None:
        self.toml = toml
        self.env = env
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def raw(self, path: str, env_name: str | None) -> tuple[Any, str]:
        """The value (env_name's when set, else the TOML path's; None if neither) and its name."""
        if env_name and self.env.get(env_name, "").strip() != "":
            return self.env[env_name].strip(), env_name
        node: Any = self.toml
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return None, path
            node = node[part]
        return node, path

    def snowflake(self, path: str, env_name: str | None = None) -> int:
        value, name = self.raw(path, env_name)
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
        value, name = self.raw(path, env_name)
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
        value, name = self.raw(path, env_name)
        if value is None:
            return default
        if not isinstance(value, str):
            self.problems.append(f"{name}: expected text, got {value!r}")
            return default
        return value.strip()

    def url(self, path: str, default: str, env_name: str | None = None) -> str:
        value = self.text(path, default, env_name)
        if not re.match(r"^https?://[^\s/]+", value):
            _, name = self.raw(path, env_name)
            self.problems.append(f"{name}: expected an http(s) URL, got {value!r}")
            return default
        return value.rstrip("/")

    def secret(self, name: str) -> str:
        return self.env.get(name, "").strip()
