"""Process roles: what each runs, and `--check`/start refusing a shared role on SQLite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from models.base import JobKind
from process_roles import ALL, GATEWAY_JOBS, REST_JOBS, ROLES, extension_names, role_refusal
from settings import ROOT


def _bot(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    full = {
        "PATH": "/usr/bin:/bin",
        "STOCKROOM_ENV_FILE": str(tmp_path / "no.env"),
        "DATABASE_URL": f"sqlite://{tmp_path}/db.sqlite3",
        "DISCORD_APP_TOKEN": "dummy-token",
        **env,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


@pytest.mark.parametrize("role", ["gateway", "web", "worker"])
def test_check_refuses_a_multi_process_role_on_sqlite_in_one_line(role: str, tmp_path) -> None:
    done = _bot(["--check", "--role", role], {}, tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    assert lines[0].startswith(f"problem: --role {role}:")
    assert "PostgreSQL" in lines[0] and "--role all" in lines[0]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "db.sqlite3").exists()  # refused before anything was made


def test_check_with_role_all_on_sqlite_is_the_usual_check(tmp_path) -> None:
    done = _bot(["--check", "--role", "all"], {}, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "configuration OK" in done.stdout


def test_starting_a_worker_on_sqlite_is_refused_in_one_line(tmp_path) -> None:
    done = _bot(["--role", "worker"], {}, tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().startswith("--role worker:"), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_an_unknown_role_is_refused_by_the_parser(tmp_path) -> None:
    done = _bot(["--role", "shard"], {}, tmp_path)
    assert done.returncode == 2
    assert "invalid choice: 'shard'" in done.stderr


def test_the_refusal_lets_postgres_and_the_single_process_role_through() -> None:
    for role in ROLES.values():
        assert role_refusal(role, "postgres://u:p@db:5432/shop") is None
    assert role_refusal(ALL, "sqlite://data/stockroom.sqlite3") is None


def test_every_job_kind_runs_in_exactly_one_split_role() -> None:
    assert sorted(GATEWAY_JOBS + REST_JOBS) == sorted(JobKind)
    assert not set(GATEWAY_JOBS) & set(REST_JOBS)
    assert ROLES["gateway"].job_kinds == GATEWAY_JOBS
    assert ROLES["worker"].job_kinds == REST_JOBS
    assert ROLES["web"].job_kinds is None and ALL.job_kinds == ()


def test_each_role_loads_its_extensions() -> None:
    everything = extension_names()
    assert extension_names(ROLES["gateway"]) == everything
    assert extension_names(ROLES["web"]) == ["cogs.webhook_server"]
    assert extension_names(ROLES["worker"]) == [
        "cogs.delivery",
        "cogs.leader",
        "cogs.maintenance",
        "cogs.webhook_server",
    ]
    # A worker's extensions all exist (a rename would otherwise drop one silently).
    assert set(ROLES["worker"].extensions or ()) <= set(everything)
