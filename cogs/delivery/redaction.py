"""Keeps message bodies out of disnake's debug logs, so a code sent by DM never reaches a log.

disnake logs every REST request body and JSON answer at DEBUG (`disnake.http`) and every
gateway event (`disnake.gateway`). A codes DM is such a body. The filter below rewrites those
records before any handler sees them: method, URL, status and event names stay; bodies go.
"""

from __future__ import annotations

import logging
from typing import Any

HIDDEN = "<body hidden>"
_LOGGERS = ("disnake.http", "disnake.gateway", "disnake.webhook.async_")


def _summary(value: Any) -> Any:
    """Numbers pass; gateway payloads become their op and event name; anything else hidden."""
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, dict) and ("op" in value or "t" in value):
        return f"<gateway op={value.get('op')} t={value.get('t')}>"
    return HIDDEN


def _short_text(value: Any) -> bool:
    """A URL, a shard or session note: short, single-line, not JSON."""
    return isinstance(value, str) and len(value) <= 160 and not any(c in value for c in "{[\n")


class BodyRedactor(logging.Filter):
    """Replaces payload arguments of disnake debug records; other records pass untouched."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG or not record.args:
            return True
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        if record.name == "disnake.http":
            # "%s %s with %s has returned %s" and "%s %s has received %s": method and URL first.
            record.args = tuple(a if i < 2 else _summary(a) for i, a in enumerate(args))
        else:
            record.args = tuple(a if _short_text(a) else _summary(a) for a in args)
        return True


_REDACTOR = BodyRedactor()


def install_log_redaction() -> None:
    """Puts one redactor on each of disnake's loggers (idempotent).

    Reloading the extension re-imports this module, so an earlier instance is found by its
    class name, not by identity, and replaced rather than stacked.
    """
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if type(f).__name__ == BodyRedactor.__name__]:
            logger.removeFilter(old)
        logger.addFilter(_REDACTOR)
