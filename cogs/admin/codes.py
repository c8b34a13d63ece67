"""Reading stock codes an admin hands to /admin addstock: a text option or a .txt/.csv file.

Everything is checked before the order core sees a code: the file's size, extension, content
type and encoding; the file is read as `python bot.py stock add` reads it
(models.stock.code_files).
"""

from __future__ import annotations

import re

from models.errors import InvalidInput
from models.stock.code_files import NumberedCodes, codes_in_file, decode_code_file

MAX_FILE_BYTES = 1024 * 1024
MAX_CODES = 20_000
FILE_EXTENSIONS = (".txt", ".csv")
# Browsers and Discord clients label .csv files inconsistently; all of these are text.
TEXT_CONTENT_TYPES = (
    "text/plain",
    "text/csv",
    "application/csv",
    "application/vnd.ms-excel",
    "application/octet-stream",
)
_TEXT_SEPARATORS = re.compile(r"[\s,;]+")


def codes_from_text(text: str) -> NumberedCodes:
    """Codes typed into the command, separated by spaces, commas, semicolons or new lines."""
    codes = [part for part in _TEXT_SEPARATORS.split(text or "") if part]
    if not codes:
        raise InvalidInput("No codes found in the text; separate codes with spaces or commas.")
    _check_count(len(codes))
    return NumberedCodes(codes=codes, lines=list(range(1, len(codes) + 1)))


def codes_from_file(
    filename: str, content_type: str | None, size: int, data: bytes
) -> NumberedCodes:
    """One code per line (.txt) or the first cell of each row (.csv), as UTF-8."""
    check_code_file(filename, content_type, max(size, len(data)))
    numbered = codes_in_file(filename, decode_code_file(data))
    _check_count(len(numbered.codes))
    return numbered


def check_code_file(filename: str, content_type: str | None, size: int) -> None:
    """Refuses, before downloading, a file that is not a small .txt/.csv text file."""
    if not (filename or "").lower().endswith(FILE_EXTENSIONS):
        raise InvalidInput("The file must be a .txt or .csv file with one code per line.")
    base_type = (content_type or "").split(";", 1)[0].strip().lower()
    if base_type and base_type not in TEXT_CONTENT_TYPES:
        raise InvalidInput(f"The file is {base_type}, not text; upload a .txt or .csv file.")
    if size > MAX_FILE_BYTES:
        raise InvalidInput("The file is larger than 1 MiB; split it into smaller files.")


def _check_count(count: int) -> None:
    if count > MAX_CODES:
        raise InvalidInput(f"{count} codes is more than {MAX_CODES} at once; split the file.")


def describe_lines(numbers: list[int], limit: int = 30) -> str:
    """'3, 7, 12' or '3, 7, 12, … (+40 more)': line numbers for a report."""
    shown = ", ".join(str(n) for n in numbers[:limit])
    extra = len(numbers) - limit
    return f"{shown}, … (+{extra} more)" if extra > 0 else shown
