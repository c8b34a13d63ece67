"""`python bot.py demo --exit` as a seller runs it: every step succeeds, data/ is left alone."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from demo.journey import STEPS, play
from demo.show import Screen
from demo.world import start_world
from settings import ROOT

pytestmark = pytest.mark.e2e

DEMO_TIMEOUT = 120


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found[str(path.relative_to(folder))] = (stat.st_size, stat.st_mtime_ns)
    return found


def test_demo_exit_plays_every_step_and_never_touches_the_sellers_data(tmp_path: Path) -> None:
    data = ROOT / "data"
    before = _snapshot(data)
    had_env_file = (ROOT / ".env").exists()
    seller_db = tmp_path / "seller.sqlite3"
    env = {
        **os.environ,
        # A seller's own settings in the environment must not leak into the demo either.
        "DATABASE_URL": f"sqlite://{seller_db}",
        "DISCORD_APP_TOKEN": "a-real-looking-token",
    }
    env.pop("LOG_LEVEL", None)
    done = subprocess.run(
        [sys.executable, "bot.py", "demo", "--exit"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEMO_TIMEOUT,
    )
    out = done.stdout
    assert done.returncode == 0, f"stdout:\n{out}\nstderr:\n{done.stderr}"
    for number, step in enumerate(STEPS, 1):
        heading = f"== Step {number}: {step.title}\n"
        assert heading in out, heading
        section = out.split(heading, 1)[1].split("\n== Step ", 1)[0]
        assert "\n    ✔ " in section and "FAILED" not in section, section
    assert f"Every step succeeded ({len(STEPS)} steps)." in out
    assert "Traceback" not in done.stderr, done.stderr
    # What a person sees: the DM with its code, the role change, the feed, the QRIS top-up.
    assert "[DM to alice]" in out and "DEMO-GAME-" in out
    assert "bob now has the @Customer role" in out
    assert "bob no longer has the @Customer role" in out
    assert "— Refunded" in out and "[#orders feed]" in out
    assert "Balance: Rp 100,000.00" in out
    assert not seller_db.exists()
    assert _snapshot(data) == before
    assert (ROOT / ".env").exists() == had_env_file  # the demo writes no .env


async def test_a_failing_step_is_named_and_stops_the_journey() -> None:
    world = await start_world()
    try:
        # The Shop Admin role (Manage Server, ADMIN_ROLE_ID) is deleted: ada is refused /admin.
        await world.emulator.delete_role(world.emulator.world.admin_role)
        out = io.StringIO()
        failed = await play(world, Screen(world.emulator.world, out))
    finally:
        await world.close()
    assert failed == STEPS[0].title
    text = out.getvalue()
    assert f"✘ FAILED: {STEPS[0].title}" in text and "Only shop admins" in text
    assert "== Step 2" not in text
