"""parse_json_object skips the depth/surrogate walk only when the text shows it would pass."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webhooks.errors import MalformedBody
from webhooks.intake import MAX_JSON_DEPTH, _check_json_tree, parse_json_object


def chain(containers: int, leaf: str) -> str:
    """`containers` nested objects/arrays (the root an object) around `leaf`."""
    opening = "".join('{"k":' if i % 2 == 0 else "[" for i in range(containers))
    closing = "".join("}" if i % 2 == 0 else "]" for i in reversed(range(containers)))
    return opening + leaf + closing


def walked(text: str) -> str | None:
    """What the full walk says of `text`: None, or its refusal."""
    try:
        _check_json_tree(json.loads(text))
    except MalformedBody as exc:
        return exc.message
    return None


def parsed(text: str) -> str | None:
    try:
        parse_json_object(text)
    except MalformedBody as exc:
        return exc.message
    return None


@pytest.mark.parametrize(
    "text",
    [
        chain(MAX_JSON_DEPTH - 1, "1"),
        chain(MAX_JSON_DEPTH, "1"),  # a scalar at depth 65: refused
        chain(MAX_JSON_DEPTH, "{}" if MAX_JSON_DEPTH % 2 == 0 else "[]"),
        chain(MAX_JSON_DEPTH - 1, "{}" if (MAX_JSON_DEPTH - 1) % 2 == 0 else "[]"),
        chain(MAX_JSON_DEPTH + 1, "1"),
        '{"a": "' + "[" * 100 + '"}',  # brackets in a string only
        '{"email": "\\ud800@example.com"}',
        '{"\\udfff": 1}',
        '{"email": "\\ud83d\\ude00@example.com"}',  # a pair: a character
        '{"name": "café ☕"}',
        '{"name": "\\u00e9"}',
    ],
)
def test_parse_refuses_exactly_what_the_walk_refuses(text):
    assert parsed(text) == walked(text)


def test_lone_surrogate_in_the_text_itself_is_still_refused():
    # Text not decoded from UTF-8 bytes may hold one; the walk is not skipped for it.
    assert parsed('{"a": "\ud800"}') == walked('{"a": "\ud800"}') is not None


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
        max_leaves=80,
    )
)
def test_parse_agrees_with_the_walk_on_any_object(value):
    text = json.dumps({"v": value}, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return  # not text a request could carry
    assert parsed(text) == walked(text)
    escaped = json.dumps({"v": value})
    assert parsed(escaped) == walked(escaped)
