"""The shell side of bot.py: --check, stock add, rotate-keys. None of them touch Discord."""

from __future__ import annotations

import sys

from models.database import check_database
from settings import ConfigError, load_settings


async def check() -> int:
    """Validates configuration and database; one line per problem; 0 when all is well."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        for line in exc.problems:
            print(f"problem: {line}")
        print(f"{len(exc.problems)} problem(s) found")
        return 1
    for line in settings.warnings:
        print(f"warning: {line}")
    problems, notes = await check_database(settings.database_url)
    for line in notes:
        print(f"ok: {line}")
    for line in problems:
        print(f"problem: {line}")
    enabled = [
        name
        for name, on in (
            ("stripe", settings.stripe.enabled),
            ("midtrans", settings.midtrans.enabled),
            ("ecwid", settings.ecwid.enabled),
            ("refract", bool(settings.refract_token)),
            ("generic", bool(settings.generic_secret)),
            ("api", bool(settings.admin_api_token)),
        )
        if on
    ]
    print(
        f"ok: config {settings.config_path}; {len(settings.products)} product(s); "
        f"providers enabled: {', '.join(enabled) or 'none'}"
    )
    if problems:
        print(f"{len(problems)} problem(s) found")
        return 1
    print("configuration OK")
    return 0


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1
