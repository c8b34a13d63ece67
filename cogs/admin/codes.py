"""Reading stock codes an admin hands to /admin addstock: a text option or a .txt/.csv file.

Everything is checked before the order core sees a code: the file's size, extension, content
type and encoding. Codes keep the line number they came from, so a report can point at the
lines it refused without ever repeating a code.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from models.errors import InvalidInput

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
_HEADER_CELLS = {"code", "codes", "key", "keys", "license", "license key", "licence key"}
_TEXT_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class NumberedCodes:
    """Candidate codes and, at the same index, where each came from (1-based)."""

    codes: list[str]
    lines: list[int]

    def line_of(self, position: int) -> int:
        """The source line of the code at 1-based position `position` in `codes`."""
        return self.lines[position - 1]


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
    name = filename.lower()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"The file is not UTF-8 text (bad byte at position {exc.start}); save it as UTF-8."
        ) from None
    if "\x00" in text:
        raise InvalidInput("The file contains NUL bytes; it is not a text file.")
    numbered = _csv_codes(text) if name.endswith(".csv") else _text_lines(text)
    if not any(code.strip() for code in numbered.codes):
        raise InvalidInput("The file has no codes in it.")
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


def _text_lines(text: str) -> NumberedCodes:
    lines = text.splitlines()
    # Trailing blank lines are an editor habit, not codes to report as empty.
    while lines and not lines[-1].strip():
        lines.pop()
    return NumberedCodes(codes=lines, lines=list(range(1, len(lines) + 1)))


def _csv_codes(text: str) -> NumberedCodes:
    codes: list[str] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            cell = row[0] if row else ""
            if reader.line_num == 1 and cell.strip().lower() in _HEADER_CELLS:
                continue
            codes.append(cell)
            lines.append(reader.line_num)
    except csv.Error as exc:
        where = reader.line_num
        raise InvalidInput(f"The CSV file cannot be read at line {where}: {exc}") from None
    while codes and not codes[-1].strip():
        codes.pop()
        lines.pop()
    return NumberedCodes(codes=codes, lines=lines)


def _check_count(count: int) -> None:
    if count > MAX_CODES:
        raise InvalidInput(f"{count} codes is more than {MAX_CODES} at once; split the file.")


def describe_lines(numbers: list[int], limit: int = 30) -> str:
    """'3, 7, 12' or '3, 7, 12, … (+40 more)': line numbers for a report."""
    shown = ", ".join(str(n) for n in numbers[:limit])
    extra = len(numbers) - limit
    return f"{shown}, … (+{extra} more)" if extra > 0 else shown
