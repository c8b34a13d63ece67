"""Codes out of a text or CSV file: one code a line, or the first cell of each CSV row.

Shared by `/admin addstock` and `python bot.py stock add`, so both read a file the same way.
Codes keep the line they came from, so a report can point at the lines it refused or
skipped without ever repeating a code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from models.errors import InvalidInput

HEADER_CELLS = {"code", "codes", "key", "keys", "license", "license key", "licence key"}


@dataclass(frozen=True)
class NumberedCodes:
    """Candidate codes and, at the same index, where each came from (1-based lines)."""

    codes: list[str]
    lines: list[int]
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def line_of(self, position: int) -> int:
        """The source line of the code at 1-based position `position` in `codes`."""
        return self.lines[position - 1]


def decode_code_file(data: bytes) -> str:
    """The file as text: UTF-8 (a BOM is dropped), no NUL bytes."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"The file is not UTF-8 text (bad byte at position {exc.start}); save it as UTF-8."
        ) from None
    if "\x00" in text:
        raise InvalidInput("The file contains NUL bytes; it is not a text file.")
    return text


def codes_in_file(filename: str, text: str) -> NumberedCodes:
    """A .csv file's first column (a header row skipped), or any other file's lines."""
    numbered = csv_codes(text) if filename.lower().endswith(".csv") else text_lines(text)
    if not any(code.strip() for code in numbered.codes):
        raise InvalidInput("The file has no codes in it.")
    return numbered


def text_lines(text: str) -> NumberedCodes:
    """One code per line; trailing blank lines are an editor habit, not codes."""
    lines = text.splitlines()
    skipped = []
    while lines and not lines[-1].strip():
        skipped.append((len(lines), "blank line at the end"))
        lines.pop()
    return NumberedCodes(codes=lines, lines=list(range(1, len(lines) + 1)), skipped=skipped[::-1])


def csv_codes(text: str) -> NumberedCodes:
    """The first cell of each row; a header row ("code", "key", ...) is skipped."""
    codes: list[str] = []
    lines: list[int] = []
    skipped: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            cell = row[0] if row else ""
            if reader.line_num == 1 and cell.strip().lower() in HEADER_CELLS:
                skipped.append((1, "CSV header"))
                continue
            codes.append(cell)
            lines.append(reader.line_num)
    except csv.Error as exc:
        where = reader.line_num
        raise InvalidInput(f"The CSV file cannot be read at line {where}: {exc}") from None
    while codes and not codes[-1].strip():
        codes.pop()
        skipped.append((lines.pop(), "blank line at the end"))
    return NumberedCodes(codes=codes, lines=lines, skipped=sorted(skipped))
