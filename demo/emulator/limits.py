"""Discord's limits on what a message or modal may carry (REFERENCE.md §4), answered 400 50035.

Every check adds to one FormErrors, so a body breaking several limits gets every field error
in one `errors` object, nested by field path like Discord's
(`components.0.components.1.custom_id._errors`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from demo.emulator.wire import FormErrors

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
# resources/message.mdx "Embed Limits": (key, sub-key or None, limit)
_EMBED_TEXT_LIMITS = (
    ("title", None, 256),
    ("description", None, 4096),
    ("footer", "text", 2048),
    ("author", "name", 256),
)
EMBED_FIELDS_MAX, FIELD_NAME_MAX, FIELD_VALUE_MAX = 25, 256, 1024
# components/reference.mdx
ACTION_ROWS_MAX = 5  # top-level rows of a message without the components v2 flag
ROW_WIDTH = 5  # buttons in a row; a select fills a row alone
V2_COMPONENTS_MAX = 40  # every component, nested ones included, with IS_COMPONENTS_V2
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
PLACEHOLDER_MAX = 150
SELECT_OPTIONS_MAX = 25
OPTION_TEXT_MAX = 100
SELECT_VALUES_MAX = 25
MODAL_TITLE_MAX = 45
MODAL_ROWS_MAX = 5
IS_COMPONENTS_V2 = 1 << 15
ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT = 1, 2, 3, 4
SELECTS = frozenset({3, 5, 6, 7, 8})
LINK, PREMIUM = 5, 6  # button styles without a custom_id


def _text(value: Any) -> str:
    return str(value or "").strip()  # Discord trims before it counts


def embed_length(embed: dict[str, Any]) -> int:
    """Characters that count toward the 6000 per message (title, description, fields, ...)."""
    total = len(_text(embed.get("title"))) + len(_text(embed.get("description")))
    for item in embed.get("fields") or []:
        total += len(_text(item.get("name"))) + len(_text(item.get("value")))
    total += len(_text((embed.get("footer") or {}).get("text")))
    total += len(_text((embed.get("author") or {}).get("name")))
    return total


def check_content(errors: FormErrors, content: Any) -> None:
    errors.too_long("content", content or "", CONTENT_MAX)


def check_embeds(errors: FormErrors, embeds: list[dict[str, Any]]) -> None:
    """Every limit of resources/message.mdx "Embed Limits", across all embeds of a message."""
    errors.too_long("embeds", embeds, EMBEDS_MAX)
    for index, embed in enumerate(embeds):
        where = f"embeds.{index}"
        for key, sub_key, limit in _EMBED_TEXT_LIMITS:
            value = embed.get(key)
            path = f"{where}.{key}"
            if sub_key is not None:
                value = (value or {}).get(sub_key)
                path = f"{path}.{sub_key}"
            errors.too_long(path, _text(value), limit)
        fields = embed.get("fields") or []
        errors.too_long(f"{where}.fields", fields, EMBED_FIELDS_MAX)
        for number, item in enumerate(fields):
            for key, limit in (("name", FIELD_NAME_MAX), ("value", FIELD_VALUE_MAX)):
                path = f"{where}.fields.{number}.{key}"
                if not _text(item.get(key)):
                    errors.add(path, "This field is required", "BASE_TYPE_REQUIRED")
                errors.too_long(path, _text(item.get(key)), limit)
    if sum(embed_length(e) for e in embeds) > EMBED_TOTAL_MAX:
        errors.add("embeds", f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}")


def _walk(items: list[dict[str, Any]], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(field path, component) for every component, nested rows, labels and accessories too."""
    for index, item in enumerate(items):
        where = f"{path}.{index}"
        yield where, item
        if isinstance(item.get("components"), list):
            yield from _walk(item["components"], f"{where}.components")
        for single in ("component", "accessory"):  # a Label's child, a Section's accessory
            if isinstance(item.get(single), dict):
                yield f"{where}.{single}", item[single]


def _check_custom_ids(errors: FormErrors, found: list[tuple[str, dict[str, Any]]]) -> None:
    seen: set[str] = set()
    for where, item in found:
        custom_id = item.get("custom_id")
        kind = item.get("type")
        needs_id = kind in SELECTS or kind == TEXT_INPUT
        needs_id = needs_id or (kind == BUTTON and item.get("style") not in (LINK, PREMIUM))
        if custom_id is None:
            if needs_id:
                errors.add(f"{where}.custom_id", "This field is required", "BASE_TYPE_REQUIRED")
            continue
        if not 1 <= len(str(custom_id)) <= CUSTOM_ID_MAX:
            errors.add(
                f"{where}.custom_id",
                f"Must be between 1 and {CUSTOM_ID_MAX} in length.",
                "BASE_TYPE_BAD_LENGTH",
            )
        if custom_id in seen:  # disabled components count too
            errors.add(
                f"{where}.custom_id",
                "Component custom id cannot be duplicated",
                "COMPONENT_CUSTOM_ID_DUPLICATED",
            )
        seen.add(custom_id)


def _check_select(errors: FormErrors, where: str, item: dict[str, Any]) -> None:
    errors.too_long(f"{where}.placeholder", item.get("placeholder"), PLACEHOLDER_MAX)
    for key, lowest in (("min_values", 0), ("max_values", 1)):
        value = item.get(key)
        if value is not None and not lowest <= int(value) <= SELECT_VALUES_MAX:
            errors.add(
                f"{where}.{key}",
                f"int value should be between {lowest} and {SELECT_VALUES_MAX}.",
                "NUMBER_TYPE_MAX",
            )
    if item.get("type") != STRING_SELECT:
        return
    options = item.get("options") or []
    if not 1 <= len(options) <= SELECT_OPTIONS_MAX:
        errors.add(
            f"{where}.options",
            f"Must be between 1 and {SELECT_OPTIONS_MAX} in length.",
            "BASE_TYPE_BAD_LENGTH",
        )
    for number, option in enumerate(options):
        for key in ("label", "value", "description"):
            errors.too_long(f"{where}.options.{number}.{key}", option.get(key), OPTION_TEXT_MAX)


def _check_row(errors: FormErrors, where: str, row: dict[str, Any]) -> None:
    children = row.get("components") or []
    if not 1 <= len(children) <= ROW_WIDTH:
        errors.add(
            f"{where}.components",
            f"Must be between 1 and {ROW_WIDTH} in length.",
            "BASE_TYPE_BAD_LENGTH",
        )
    if len(children) > 1:
        for number, child in enumerate(children):
            if child.get("type") in SELECTS:
                errors.add(
                    f"{where}.components.{number}",
                    "The specified component exceeds the maximum width",
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                )


def check_components(errors: FormErrors, components: list[dict[str, Any]], flags: int) -> None:
    """Layout, custom ids (1 to 100 characters, unique in the message) and per-kind text limits."""
    found = list(_walk(components, "components"))
    if flags & IS_COMPONENTS_V2:
        if len(found) > V2_COMPONENTS_MAX:
            errors.add(
                "components",
                f"Must be {V2_COMPONENTS_MAX} or fewer in length.",
                "BASE_TYPE_MAX_LENGTH",
            )
    else:
        errors.too_long("components", components, ACTION_ROWS_MAX)
        for index, item in enumerate(components):
            if item.get("type") != ACTION_ROW:
                errors.add(
                    f"components.{index}.type",
                    "Only action rows may be top-level components without IS_COMPONENTS_V2.",
                    "COMPONENT_TYPE_INVALID",
                )
    _check_custom_ids(errors, found)
    for where, item in found:
        kind = item.get("type")
        if kind == ACTION_ROW:
            _check_row(errors, where, item)
        elif kind == BUTTON:
            errors.too_long(f"{where}.label", item.get("label"), BUTTON_LABEL_MAX)
            if item.get("style") == LINK and not item.get("url"):
                errors.add(f"{where}.url", "This field is required", "BASE_TYPE_REQUIRED")
        elif kind in SELECTS:
            _check_select(errors, where, item)


def check_modal(errors: FormErrors, data: dict[str, Any]) -> None:
    """A modal response (type 9): custom id and title, 1 to 5 rows or labels, unique field ids."""
    custom_id = data.get("custom_id")
    if not custom_id or len(str(custom_id)) > CUSTOM_ID_MAX:
        errors.add(
            "data.custom_id",
            f"Must be between 1 and {CUSTOM_ID_MAX} in length.",
            "BASE_TYPE_BAD_LENGTH",
        )
    title = _text(data.get("title"))
    if not 1 <= len(title) <= MODAL_TITLE_MAX:
        errors.add(
            "data.title",
            f"Must be between 1 and {MODAL_TITLE_MAX} in length.",
            "BASE_TYPE_BAD_LENGTH",
        )
    components = data.get("components") or []
    if not 1 <= len(components) <= MODAL_ROWS_MAX:
        errors.add(
            "data.components",
            f"Must be between 1 and {MODAL_ROWS_MAX} in length.",
            "BASE_TYPE_BAD_LENGTH",
        )
    _check_custom_ids(errors, list(_walk(components, "data.components")))
