"""The deployment files (Dockerfile, compose.yaml, systemd unit) say and do what the docs claim."""

from __future__ import annotations

import asyncio
import configparser
import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from process_roles import ROLES
from settings import ROOT
from tests.served_app import served_app

DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
UNIT = ROOT / "docs" / "deploy" / "stockroom.service"
DOCKERIGNORE = ROOT / ".dockerignore"


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction, continuation lines joined, comments dropped."""
    joined: list[str] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.strip().startswith("#") or not line.strip():
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    assert not pending, "Dockerfile ends inside a continuation"
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1].strip()) for text in joined]


def instructions(name: str) -> list[str]:
    return [args for instruction, args in dockerfile() if instruction == name]


def image_env() -> dict[str, str]:
    """The ENV of the image (KEY=VALUE form)."""
    env: dict[str, str] = {}
    for args in instructions("ENV"):
        for item in shlex.split(args):
            key, _, value = item.partition("=")
            env[key] = value
    return env


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(UNIT.read_text())
    return parser


def test_dockerfile_runs_bot_py_as_an_unprivileged_user_with_runtime_dependencies_only():
    steps = dockerfile()
    assert steps[0] == ("FROM", "python:3.11-slim")
    users = instructions("USER")
    assert users and users[-1] not in ("root", "0"), "the image must not run as root"
    installs = [args for args in instructions("RUN") if "pip install" in args]
    assert any("-r requirements.txt" in args for args in installs)
    assert not any("requirements-dev" in args for args in instructions("RUN"))
    assert any("requirements.txt" in args for args in instructions("COPY"))
    assert instructions("EXPOSE") == ["8080"]
    assert any("/app/data" in args for args in instructions("VOLUME"))
    assert json.loads(instructions("CMD")[-1]) == ["python", "bot.py"]
    (check,) = instructions("HEALTHCHECK")
    assert "http://127.0.0.1:8080/health" in check and "curl" not in check
    # USER comes before CMD and HEALTHCHECK, so both run unprivileged.
    names = [name for name, _ in steps]
    assert names.index("USER") < names.index("CMD") and names.index("USER") < names.index(
        "HEALTHCHECK"
    )


BOT_SERVICES = ("gateway", "web-1", "web-2", "worker")


def _role_of(service: dict) -> str:
    command = service["command"]
    assert command[:2] == ["python", "bot.py"] and command[2] == "--role", command
    return command[3]


def test_compose_runs_every_role_on_a_healthy_postgres_with_its_data_volume():
    spec = compose()
    db = spec["services"]["db"]
    assert db["image"] == "postgres:15"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(v.split(":")[1] == "/var/lib/postgresql/data" for v in db["volumes"])
    assert "ports" not in db, "the database stays on the compose network"
    assert set(spec["services"]) == {"db", *BOT_SERVICES}
    for name in BOT_SERVICES:
        bot = spec["services"][name]
        assert bot["depends_on"]["db"]["condition"] == "service_healthy", name
        assert bot["env_file"] == ".env"
        assert re.match(
            r"^postgres://stockroom:.+@db:5432/stockroom$", bot["environment"]["DATABASE_URL"]
        )
        assert bot["environment"]["WEBHOOK_HOST"] == "0.0.0.0"
        assert bot["environment"]["WEBHOOK_PORT"] == "8080"
        mounts = {v.split(":")[1]: v.split(":")[0] for v in bot["volumes"]}
        assert "/app/data" in mounts
        named = {mounts["/app/data"], db["volumes"][0].split(":")[0]}
        assert named <= set(spec["volumes"]), "both volumes are named volumes declared at the top"
        assert "http://127.0.0.1:8080/health" in " ".join(bot["healthcheck"]["test"])
        assert bot["stop_signal"] == "SIGTERM"


def test_compose_shows_one_gateway_two_web_and_two_worker_processes():
    services = compose()["services"]
    roles = {name: _role_of(services[name]) for name in BOT_SERVICES}
    assert set(roles.values()) <= set(ROLES)
    replicas = {name: services[name].get("deploy", {}).get("replicas", 1) for name in roles}
    count = {role: sum(replicas[n] for n in roles if roles[n] == role) for role in ROLES}
    assert count == {"all": 0, "gateway": 1, "web": 2, "worker": 2}
    # Only the web processes publish a port, on loopback, for the TLS proxy.
    published = {name: services[name].get("ports", []) for name in roles}
    assert published["gateway"] == [] and published["worker"] == []
    assert published["web-1"] == ["127.0.0.1:8080:8080"]
    assert published["web-2"] == ["127.0.0.1:8081:8080"]


def test_compose_shares_of_discords_global_limit_stay_under_it():
    services = compose()["services"]
    total = 0
    for name in BOT_SERVICES:
        role = ROLES[_role_of(services[name])]
        if not role.rest:
            assert "DISCORD_REQUESTS_PER_SECOND" not in services[name]["environment"]
            continue
        share = int(services[name]["environment"]["DISCORD_REQUESTS_PER_SECOND"])
        total += share * services[name].get("deploy", {}).get("replicas", 1)
    assert 0 < total <= 50, f"the processes calling Discord share {total} requests/s"


def test_systemd_unit_restarts_on_failure_stops_with_sigterm_and_writes_only_data():
    service = unit()["Service"]
    assert service["ExecStart"].split() == [
        f"{service['WorkingDirectory']}/.venv/bin/python",
        f"{service['WorkingDirectory']}/bot.py",
    ]
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert service["TimeoutStopSec"] == "20"
    assert service["User"] not in ("root", "0")
    assert service["EnvironmentFile"] == f"{service['WorkingDirectory']}/.env"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"].split() == [f"{service['WorkingDirectory']}/data"]
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


def test_systemd_accepts_the_unit(tmp_path: Path):
    """systemd's own parser: an unknown key or a bad value is an error there, not silence."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze not installed")
    service = unit()["Service"]
    text = UNIT.read_text().replace(service["ExecStart"].split()[0], sys.executable)
    text = text.replace(service["WorkingDirectory"], str(ROOT))
    copy = tmp_path / "stockroom.service"
    copy.write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert str(copy) not in result.stderr, result.stderr  # warnings name the file


def dockerignore_patterns() -> list[str]:
    lines = DOCKERIGNORE.read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parents wins."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        glob = pattern.lstrip("!").rstrip("/")
        globs = [glob, glob[3:]] if glob.startswith("**/") else [glob]
        for candidate in candidates:
            tails = (
                {candidate, candidate.rsplit("/", 1)[-1]} if glob.startswith("**/") else {candidate}
            )
            if any(fnmatch.fnmatchcase(t, g) for t in tails for g in globs):
                ignored = not negate
    return ignored


def test_dockerignore_keeps_secrets_state_and_caches_out_of_the_image():
    patterns = dockerignore_patterns()
    for path in (
        ".env",
        ".venv/bin/python",
        ".git/HEAD",
        "data/stockroom.sqlite3",
        "data/stock.key",
        "models/__pycache__/money.cpython-311.pyc",
        ".pytest_cache/v/cache/nodeids",
        ".ruff_cache/CACHEDIR.TAG",
        "tests/test_money.py",
    ):
        assert dockerignored(path, patterns), path
    for path in ("bot.py", "requirements.txt", "config.toml", ".env.example", "migrations/x.py"):
        assert not dockerignored(path, patterns), path


def image_tree(target: Path) -> Path:
    """The files COPY . . puts in /app: the worktree minus .dockerignore, data/ left empty."""
    patterns = dockerignore_patterns()
    for folder, dirs, files in os.walk(ROOT):
        rel_folder = Path(folder).relative_to(ROOT)
        dirs[:] = [d for d in dirs if not dockerignored(str(rel_folder / d), patterns)]
        for name in files:
            rel = str(rel_folder / name) if str(rel_folder) != "." else name
            if not dockerignored(rel, patterns):
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / rel, target / rel)
    (target / "data").mkdir(exist_ok=True)
    return target


def run_read_only(app: Path, data: Path, env: dict[str, str], *args: str):
    """Runs bot.py with `app` mounted read-only and `data` writable over app/data.

    That is the image (/app owned by root, only /app/data the app user's) and the systemd
    unit (ProtectSystem=strict, ReadWritePaths=data/).
    """
    script = (
        f"mount --bind -o ro {app} {app} && mount --bind {data} {app}/data && "
        f"cd {app} && exec {shlex.join([sys.executable, 'bot.py', *args])}"
    )
    return subprocess.run(
        ["unshare", "--mount", "sh", "-c", script],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def read_only_mounts(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare to mount the app read-only")
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", f"mount --bind -o ro {tmp_path} {tmp_path}"],
        capture_output=True,
        timeout=30,
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot make a mount namespace here: {probe.stderr.decode().strip()}")
    app = image_tree(tmp_path / "app")
    data = tmp_path / "volume"
    data.mkdir()
    (tmp_path / "codes.txt").write_text("CODE-ONE\nCODE-TWO\n")
    return app, data


def test_the_image_layout_works_with_only_data_writable(read_only_mounts, tmp_path):
    """As in the container: ENV from the Dockerfile, secrets from the environment, no .env."""
    app, data = read_only_mounts
    env = {**image_env(), "DISCORD_APP_TOKEN": "test-token"}
    result = run_read_only(app, data, env, "stock", "add", "game-key", str(tmp_path / "codes.txt"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "added 2, duplicates 0, rejected 0" in result.stdout
    assert sorted(p.name for p in data.iterdir()) == ["stock.key", "stockroom.sqlite3"]
    assert not (app / ".env").exists()


def test_the_systemd_layout_works_with_only_data_writable(read_only_mounts, tmp_path):
    """As under the unit: the .env the unit's EnvironmentFile names exists, data/ is writable."""
    app, data = read_only_mounts
    (app / ".env").write_text("DISCORD_APP_TOKEN=test-token\n")
    result = run_read_only(app, data, {}, "stock", "add", "game-key", str(tmp_path / "codes.txt"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "added 2, duplicates 0, rejected 0" in result.stdout


def healthchecks() -> dict[str, str]:
    """The Python code of the Dockerfile's and compose.yaml's health checks."""
    (check,) = instructions("HEALTHCHECK")
    command = json.loads(check.split("CMD", 1)[1])
    test = compose()["services"]["gateway"]["healthcheck"]["test"]
    assert command[:2] == ["python", "-c"] and test[:3] == ["CMD", "python", "-c"]
    return {"Dockerfile": command[2], "compose.yaml": test[3]}


@pytest.mark.parametrize("source", ["Dockerfile", "compose.yaml"])
async def test_health_check_passes_only_while_database_and_gateway_are_up(db, source):
    gateway = {"up": True}

    async def exit_status(code: str) -> int:
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, stderr=asyncio.subprocess.DEVNULL
        )
        return await asyncio.wait_for(child.wait(), timeout=30)

    async with served_app({}, lambda: gateway["up"]) as (port, _):
        code = healthchecks()[source].replace("127.0.0.1:8080", f"127.0.0.1:{port}")
        assert await exit_status(code) == 0
        gateway["up"] = False  # /health answers 503
        assert await exit_status(code) == 1
