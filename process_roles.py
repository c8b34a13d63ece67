"""Process roles: which part of Stockroom one `python bot.py --role ...` process runs.

`all` is the whole shop in one process (the only layout SQLite allows). On PostgreSQL the
parts may run apart: exactly one `gateway` (the Discord gateway session: interactions,
members, the orders-channel reader, and role changes, which need its member and role
cache), any number of `web` (the webhook routes and the API; they only store to the inbox)
and any number of `worker` (inbox rows and the other outbox jobs, over Discord's REST API).
Every role answers GET /health on WEBHOOK_PORT.
"""

from __future__ import annotations

import pkgutil
from dataclasses import dataclass
from pathlib import Path

from models.base import JobKind
from settings import ConfigError, load_settings

COGS = Path(__file__).resolve().parent / "cogs"

# Role changes check the bot's place in the role list, which only the gateway's cache holds.
GATEWAY_JOBS = (JobKind.GRANT_ROLE, JobKind.REVOKE_ROLE)
REST_JOBS = tuple(kind for kind in JobKind if kind not in GATEWAY_JOBS)


@dataclass(frozen=True)
class ProcessRole:
    name: str
    gateway: bool  # opens the Discord gateway session
    rest: bool  # logs in to Discord's REST API (implied by gateway)
    serves_webhooks: bool  # provider webhooks and the API on WEBHOOK_PORT; else /health alone
    processes_inbox: bool  # claims and processes stored webhook events
    # The outbox job kinds it runs: () every kind, None no jobs at all.
    job_kinds: tuple[JobKind, ...] | None
    # The extensions under cogs/ it loads: None every one.
    extensions: frozenset[str] | None

    @property
    def single_process(self) -> bool:
        """True for `all`, the one role that may run on SQLite."""
        return self.name == "all"


_WORKER_EXTENSIONS = frozenset(
    {"cogs.delivery", "cogs.leader", "cogs.maintenance", "cogs.webhook_server"}
)
ROLES = {
    role.name: role
    for role in (
        ProcessRole(
            "all",
            gateway=True,
            rest=True,
            serves_webhooks=True,
            processes_inbox=True,
            job_kinds=(),
            extensions=None,
        ),
        ProcessRole(
            "gateway",
            gateway=True,
            rest=True,
            serves_webhooks=False,
            processes_inbox=False,
            job_kinds=GATEWAY_JOBS,
            extensions=None,
        ),
        ProcessRole(
            "web",
            gateway=False,
            rest=False,
            serves_webhooks=True,
            processes_inbox=False,
            job_kinds=None,
            extensions=frozenset({"cogs.webhook_server"}),
        ),
        ProcessRole(
            "worker",
            gateway=False,
            rest=True,
            serves_webhooks=False,
            processes_inbox=True,
            job_kinds=REST_JOBS,
            extensions=_WORKER_EXTENSIONS,
        ),
    )
}
ALL = ROLES["all"]


def role_refusal(role: ProcessRole, database_url: str) -> str | None:
    """The one line refusing a role on a database it cannot share, or None."""
    if role.single_process or database_url.startswith(("postgres://", "postgresql://")):
        return None
    return (
        f"--role {role.name}: the roles gateway, web and worker are separate processes "
        "sharing one database, which needs PostgreSQL; DATABASE_URL is SQLite, which one "
        "process uses alone: set a postgres:// DATABASE_URL or run --role all"
    )


def extension_names(role: ProcessRole = ALL) -> list[str]:
    """The extensions under cogs/ the role runs: one level of packages and modules, `_` names
    skipped."""
    return [
        f"cogs.{info.name}"
        for info in sorted(pkgutil.iter_modules([str(COGS)]), key=lambda info: info.name)
        if not info.name.startswith("_")
        and (role.extensions is None or f"cogs.{info.name}" in role.extensions)
    ]


def check_refusal(role: ProcessRole) -> str | None:
    """--check --role: the role's one line when DATABASE_URL cannot serve it (settings that
    do not load are left to the check, which lists every problem)."""
    if role.single_process:
        return None
    try:
        settings = load_settings()
    except ConfigError:
        return None
    return role_refusal(role, settings.database_url)
