"""The SQL Tortoise runs, as the tests that count statements read it: its tortoise.db_client
DEBUG log, collected while a block runs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


@contextmanager
def sql_run() -> Iterator[list[str]]:
    """The statements run inside the block, in order (the list fills as they run)."""
    statements: list[str] = []
    logger = logging.getLogger("tortoise.db_client")
    handler, level = _Collect(statements), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
