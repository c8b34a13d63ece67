"""Discord's message limits in the emulator: a body breaking one is refused 400 50035, by field."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from demo.emulator import DiscordEmulator

pytestmark = pytest.mark.e2e


def button(custom_id: str, **extra: Any) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "Go", "custom_id": custom_id, **extra}


def row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


def select(custom_id: str, options: int = 3, **extra: Any) -> dict[str, Any]:
    choices = [{"label": f"o{n}", "value": f"o{n}"} for n in range(options)]
    return {"type": 3, "custom_id": custom_id, "options": choices, **extra}


def embed(**fields: Any) -> dict[str, Any]:
    return {"title": "Order", **fields}


def many_fields(count: int, name: str = "n", value: str = "v") -> list[dict[str, str]]:
    return [{"name": name, "value": value} for _ in range(count)]


async def raw(
    emulator: DiscordEmulator, method: str, path: str, body: Any = None
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bot {emulator.world.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, emulator.api_base + path, json=body, headers=headers) as response,
    ):
        return response.status, await response.json(content_type=None)


def error_at(errors: dict[str, Any], path: str) -> list[dict[str, str]]:
    node = errors
    for part in path.split("."):
        assert part in node, f"no error at {path!r} in {errors!r}"
        node = node[part]
    return node["_errors"]


@pytest.fixture
def emulator(discord_emulator: DiscordEmulator) -> DiscordEmulator:
    # These are Discord's own checks; the OpenAPI description repeats a few of them (lengths)
    # and would answer first, so it is set aside to see the emulator's own answer.
    discord_emulator.spec = None
    return discord_emulator


REFUSED = {
    "duplicate custom ids in a row": (
        {"components": [row(button("a:1"), button("a:1"))]},
        "components.0.components.1.custom_id",
        "COMPONENT_CUSTOM_ID_DUPLICATED",
    ),
    "a disabled duplicate in another row": (
        {"components": [row(button("a:1")), row(button("a:1", disabled=True))]},
        "components.1.components.0.custom_id",
        "COMPONENT_CUSTOM_ID_DUPLICATED",
    ),
    "six action rows": (
        {"components": [row(button(f"r{n}")) for n in range(6)]},
        "components",
        "BASE_TYPE_MAX_LENGTH",
    ),
    "six buttons in a row": (
        {"components": [row(*(button(f"b{n}") for n in range(6)))]},
        "components.0.components",
        "BASE_TYPE_BAD_LENGTH",
    ),
    "an empty row": ({"components": [row()]}, "components.0.components", "BASE_TYPE_BAD_LENGTH"),
    "a select beside a button": (
        {"components": [row(select("s"), button("b"))]},
        "components.0.components.0",
        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
    ),
    "a button outside a row": (
        {"components": [button("b")]},
        "components.0.type",
        "COMPONENT_TYPE_INVALID",
    ),
    "26 select options": (
        {"components": [row(select("s", options=26))]},
        "components.0.components.0.options",
        "BASE_TYPE_BAD_LENGTH",
    ),
    "a 101-character custom id": (
        {"components": [row(button("x" * 101))]},
        "components.0.components.0.custom_id",
        "BASE_TYPE_BAD_LENGTH",
    ),
    "a button without a custom id": (
        {"components": [row({"type": 2, "style": 1, "label": "Go"})]},
        "components.0.components.0.custom_id",
        "BASE_TYPE_REQUIRED",
    ),
    "an 81-character button label": (
        {"components": [row(button("b", label="x" * 81))]},
        "components.0.components.0.label",
        "BASE_TYPE_MAX_LENGTH",
    ),
    "a 151-character placeholder": (
        {"components": [row(select("s", placeholder="x" * 151))]},
        "components.0.components.0.placeholder",
        "BASE_TYPE_MAX_LENGTH",
    ),
    "2001 characters of content": ({"content": "x" * 2001}, "content", "BASE_TYPE_MAX_LENGTH"),
    "eleven embeds": ({"embeds": [embed()] * 11}, "embeds", "BASE_TYPE_MAX_LENGTH"),
    "a 257-character title": (
        {"embeds": [embed(title="x" * 257)]},
        "embeds.0.title",
        "BASE_TYPE_MAX_LENGTH",
    ),
    "a 4097-character description": (
        {"embeds": [embed(description="x" * 4097)]},
        "embeds.0.description",
        "BASE_TYPE_MAX_LENGTH",
    ),
    "26 fields": (
        {"embeds": [embed(fields=many_fields(26))]},
        "embeds.0.fields",
        "BASE_TYPE_MAX_LENGTH",
    ),
    "a 257-character field name": (
        {"embeds": [embed(fields=many_fields(1, name="x" * 257))]},
        "embeds.0.fields.0.name",
        "BASE_TYPE_MAX_LENGTH",
    ),
    "a 1025-character field value": (
        {"embeds": [embed(fields=many_fields(1, value="x" * 1025))]},
        "embeds.0.fields.0.value",
        "BASE_TYPE_MAX_LENGTH",
    ),
    "a blank field value": (
        {"embeds": [embed(fields=many_fields(1, value=" "))]},
        "embeds.0.fields.0.value",
        "BASE_TYPE_REQUIRED",
    ),
    "a 2049-character footer": (
        {"embeds": [embed(footer={"text": "x" * 2049})]},
        "embeds.0.footer.text",
        "BASE_TYPE_MAX_LENGTH",
    ),
    "a 257-character author name": (
        {"embeds": [embed(author={"name": "x" * 257})]},
        "embeds.0.author.name",
        "BASE_TYPE_MAX_LENGTH",
    ),
    "6001 characters across two embeds": (
        {"embeds": [{"description": "x" * 4000}, {"description": "x" * 2001}]},
        "embeds",
        None,
    ),
}


@pytest.mark.parametrize(("body", "path", "code"), REFUSED.values(), ids=REFUSED.keys())
async def test_a_message_breaking_a_limit_is_refused_and_not_created(
    emulator: DiscordEmulator, body: dict[str, Any], path: str, code: str | None
) -> None:
    channel_id = emulator.world.orders_channel.id
    status, answer = await raw(emulator, "POST", f"/channels/{channel_id}/messages", body)

    assert (status, answer["code"], answer["message"]) == (400, 50035, "Invalid Form Body")
    (error,) = error_at(answer["errors"], path)
    if code is not None:
        assert error["code"] == code
    assert emulator.world.channel_messages(channel_id) == []


async def test_every_broken_limit_is_reported_in_one_answer(emulator: DiscordEmulator) -> None:
    body = {"content": "x" * 2001, "components": [row(button("a"), button("a"))]}
    status, answer = await raw(
        emulator, "POST", f"/channels/{emulator.world.shop_channel.id}/messages", body
    )
    assert status == 400
    assert error_at(answer["errors"], "content")[0]["code"] == "BASE_TYPE_MAX_LENGTH"
    assert error_at(answer["errors"], "components.0.components.1.custom_id")


async def test_a_message_exactly_at_every_limit_is_accepted(emulator: DiscordEmulator) -> None:
    channel_id = emulator.world.orders_channel.id
    rows = [row(*(button(f"b{r}:{n}", label="x" * 80) for n in range(5))) for r in range(4)]
    rows.append(row(select("s", options=25, placeholder="x" * 150, max_values=25)))
    full = embed(
        title="x" * 256,
        description="x" * 3000,
        fields=many_fields(25, name="n" * 10, value="v" * 40),
        footer={"text": "x" * 500},
        author={"name": "x" * 244},
    )  # 256 + 3000 + 25 * 50 + 500 + 244 = 5250
    body = {
        "content": "x" * 2000,
        "components": rows,
        "embeds": [full, {"description": "  " + "y" * 750 + "  "}],  # trimmed: 6000 in all
    }

    status, answer = await raw(emulator, "POST", f"/channels/{channel_id}/messages", body)

    assert status == 200, answer
    (stored,) = emulator.world.channel_messages(channel_id)
    assert len(stored.custom_ids()) == 21


async def test_an_edit_breaking_a_limit_changes_nothing(emulator: DiscordEmulator) -> None:
    channel_id = emulator.world.orders_channel.id
    path = f"/channels/{channel_id}/messages"
    _, created = await raw(emulator, "POST", path, {"content": "page 1", "components": []})

    status, answer = await raw(
        emulator,
        "PATCH",
        f"{path}/{created['id']}",
        {"content": "page 2", "components": [row(button("p:1"), button("p:1"))]},
    )

    assert (status, answer["code"]) == (400, 50035)
    (stored,) = emulator.world.channel_messages(channel_id)
    assert (stored.content, stored.components, stored.edited_timestamp) == ("page 1", [], None)


async def test_components_v2_allow_more_rows_but_still_unique_ids(
    emulator: DiscordEmulator,
) -> None:
    channel_id = emulator.world.orders_channel.id
    path = f"/channels/{channel_id}/messages"
    v2 = 1 << 15
    rows = [row(button(f"r{n}")) for n in range(6)]
    status, _ = await raw(emulator, "POST", path, {"flags": v2, "components": rows})
    assert status == 200
    rows[5] = row(button("r0"))
    status, answer = await raw(emulator, "POST", path, {"flags": v2, "components": rows})
    assert status == 400
    assert error_at(answer["errors"], "components.5.components.0.custom_id")
