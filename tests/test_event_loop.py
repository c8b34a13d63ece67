"""The bot runs on uvloop where requirements.txt installs it (event_loop.py)."""

from __future__ import annotations

import asyncio
import sys

import pytest

import event_loop
from settings import ROOT


async def _loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


def test_run_uses_uvloop_where_installed() -> None:
    assert event_loop.run(_loop_module()).startswith("uvloop")
    assert event_loop.describe().startswith("uvloop ")


def test_run_returns_the_result_and_closes_its_loop() -> None:
    loops: list[asyncio.AbstractEventLoop] = []

    async def main() -> int:
        loops.append(asyncio.get_running_loop())
        return 7

    assert event_loop.run(main()) == 7
    assert loops[0].is_closed()


def test_run_raises_what_the_coroutine_raises() -> None:
    async def main() -> None:
        raise LookupError("inside")

    with pytest.raises(LookupError, match="inside"):
        event_loop.run(main())


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop does not build on Windows")
def test_requirements_pin_uvloop_and_ciso8601() -> None:
    # Tortoise parses SQLite's datetime text with ciso8601 when it is importable (its own
    # accelerator hook), else with the pure-Python iso8601.
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert "uvloop==" in text and "ciso8601==" in text
    from tortoise.fields import data

    assert data.parse_datetime.__module__ == "ciso8601"
