"""/admin addstock input: codes from the text option and from .txt/.csv attachments."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cogs.admin.codes import (
    MAX_FILE_BYTES,
    codes_from_file,
    codes_from_text,
    describe_lines,
)
from models.errors import InvalidInput


def test_text_codes_split_on_spaces_commas_and_semicolons() -> None:
    numbered = codes_from_text(" AAA-1, BBB-2;CCC-3   DDD-4 ")
    assert numbered.codes == ["AAA-1", "BBB-2", "CCC-3", "DDD-4"]
    assert numbered.lines == [1, 2, 3, 4]


def test_empty_text_is_refused() -> None:
    with pytest.raises(InvalidInput, match="No codes"):
        codes_from_text(" , ; ")


def test_txt_file_keeps_line_numbers_and_blank_lines_inside() -> None:
    data = b"KEY-1\r\nKEY-2\n\nKEY-4\n\n\n"
    numbered = codes_from_file("codes.txt", "text/plain; charset=utf-8", len(data), data)
    assert numbered.codes == ["KEY-1", "KEY-2", "", "KEY-4"]
    assert numbered.line_of(4) == 4


def test_utf8_bom_is_not_part_of_the_first_code() -> None:
    data = "\ufeffKEY-1\nKEY-2\n".encode()
    assert codes_from_file("c.txt", None, len(data), data).codes == ["KEY-1", "KEY-2"]


def test_csv_takes_first_cell_skips_a_header_and_maps_lines() -> None:
    data = b'code,note\nAAA,first\n"BB,B",quoted\n\nCCC\n'
    numbered = codes_from_file("export.csv", "text/csv", len(data), data)
    assert numbered.codes == ["AAA", "BB,B", "", "CCC"]
    assert numbered.lines == [2, 3, 4, 5]


@pytest.mark.parametrize(
    ("filename", "content_type", "data", "message"),
    [
        ("codes.exe", "text/plain", b"A\n", ".txt or .csv"),
        ("codes.png", "image/png", b"A\n", ".txt or .csv"),
        ("codes.txt", "image/png", b"A\n", "not text"),
        ("codes.txt", "text/plain", b"\xff\xfeA\x00", "not UTF-8"),
        ("codes.txt", "text/plain", b"A\x00B\n", "NUL"),
        ("codes.txt", "text/plain", b"\n\n  \n", "no codes"),
    ],
)
def test_bad_files_are_refused_with_the_reason(
    filename: str, content_type: str, data: bytes, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        codes_from_file(filename, content_type, len(data), data)


def test_a_file_over_one_mib_is_refused_by_its_declared_size() -> None:
    with pytest.raises(InvalidInput, match="1 MiB"):
        codes_from_file("big.txt", "text/plain", MAX_FILE_BYTES + 1, b"A\n")


def test_line_list_is_shortened_for_reports() -> None:
    assert describe_lines([3, 7]) == "3, 7"
    assert describe_lines(list(range(1, 41)), limit=3) == "1, 2, 3, … (+37 more)"


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)))
def test_any_utf8_txt_file_reads_back_its_lines(lines: list[str]) -> None:
    data = "\n".join(lines).encode()
    try:
        numbered = codes_from_file("c.txt", "text/plain", len(data), data)
    except InvalidInput:
        return
    assert len(numbered.codes) == len(numbered.lines)
    assert numbered.lines == list(range(1, len(numbered.codes) + 1))
