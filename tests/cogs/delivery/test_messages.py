"""What the delivery worker sends, rendered without Discord: codes DM, notices, emails."""

from __future__ import annotations

import pytest

from cogs import _embeds
from cogs.delivery.messages import codes_message, fallback_notice, mask_email
from models.base import OrderStatus
from models.orders.delivery import DeliveryOrder


def an_order(quantity: int = 2, **changes: object) -> DeliveryOrder:
    values: dict = {
        "order_id": 7,
        "number": "SR-ABC123",
        "status": OrderStatus.PAID,
        "product_name": "Game key",
        "quantity": quantity,
        "discord_id": 42 << 22,
        "delivers_codes": True,
        "role_only": False,
        "dms_closed": False,
        "needs_attention": False,
        "attention_reason": "",
    }
    values.update(changes)
    return DeliveryOrder(**values)


def block_of(description: str) -> list[str]:
    return description.split("```\n", 1)[1].rsplit("\n```", 1)[0].split("\n")


def test_few_codes_go_in_a_code_block_in_order() -> None:
    codes = ["AAAA-1111", "BBBB-2222"]
    embed, file = codes_message(an_order(), codes, file_threshold=20, resend=False)
    assert file is None
    assert block_of(embed.description) == codes
    assert embed.title == "Your order SR-ABC123"
    assert "2 × Game key" in embed.description


def test_more_codes_than_the_threshold_go_in_a_text_file() -> None:
    codes = [f"CODE-{n:03d}" for n in range(21)]
    embed, file = codes_message(an_order(21), codes, file_threshold=20, resend=True)
    assert file is not None and file.filename == "SR-ABC123-codes.txt"
    assert file.fp.read().decode().splitlines() == codes
    assert not any(code in embed.description for code in codes)
    assert "(sent again)" in embed.title


def test_codes_too_long_for_an_embed_go_in_a_file_never_clipped() -> None:
    codes = ["X" * 450 + str(n) for n in range(10)]  # ~4,500 characters: over 4,096
    embed, file = codes_message(an_order(10), codes, file_threshold=20, resend=False)
    assert file is not None
    assert file.fp.read().decode().splitlines() == codes
    assert len(embed) <= _embeds.TOTAL_MAX


def test_a_code_with_backticks_cannot_break_the_block() -> None:
    codes = ["ok-code", "evil```code"]
    _, file = codes_message(an_order(), codes, file_threshold=20, resend=False)
    assert file is not None
    assert file.fp.read().decode().splitlines() == codes


def test_fallback_notice_tells_what_to_do_without_codes() -> None:
    order = an_order()
    text = fallback_notice(order)
    assert f"<@{order.discord_id}>" in text
    assert "SR-ABC123" in text and "My orders" in text and "Resend" in text


@pytest.mark.parametrize(
    ("email", "shown"),
    [
        ("alice.smith@example.com", "a***@example.com"),
        ("b@x.io", "b***@x.io"),
        (None, "—"),
        ("", "—"),
        ("not-an-email", "***"),
        ("@example.com", "***"),
    ],
)
def test_emails_are_masked(email: str | None, shown: str) -> None:
    assert mask_email(email) == shown
