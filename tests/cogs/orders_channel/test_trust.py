"""Which orders-channel messages the reader acts on: only listed webhooks, never by default."""

from __future__ import annotations

from types import SimpleNamespace

import disnake

from cogs.orders_channel.cog import OrdersChannelReader

CHANNEL = 1_180_000_000_000_000_100
APP = 1_180_000_000_000_000_200
STORE_HOOK = 1_180_000_000_000_000_301
OTHER_HOOK = 1_180_000_000_000_000_302


def reader(trusted: tuple[int, ...]) -> OrdersChannelReader:
    discord = SimpleNamespace(orders_channel_id=CHANNEL, trusted_webhook_ids=trusted)
    bot = SimpleNamespace(
        settings=SimpleNamespace(discord=discord),
        application_id=APP,
        user=SimpleNamespace(id=APP),
    )
    return OrdersChannelReader(bot)  # type: ignore[arg-type]


def webhook_post(webhook_id: int | None, **overrides: object) -> disnake.Message:
    message = SimpleNamespace(
        channel=SimpleNamespace(id=CHANNEL),
        webhook_id=webhook_id,
        type=disnake.MessageType.default,
        interaction_metadata=None,
        application_id=None,
    )
    for name, value in overrides.items():
        setattr(message, name, value)
    return message  # type: ignore[return-value]


def test_with_no_trusted_webhook_no_post_is_acted_on() -> None:
    untrusting = reader(())
    assert not untrusting.is_trusted_order_post(webhook_post(STORE_HOOK))
    assert not untrusting.is_trusted_order_post(webhook_post(OTHER_HOOK))


def test_only_listed_webhooks_are_trusted() -> None:
    trusting = reader((STORE_HOOK,))
    assert trusting.is_trusted_order_post(webhook_post(STORE_HOOK))
    assert not trusting.is_trusted_order_post(webhook_post(OTHER_HOOK))
    assert not trusting.is_trusted_order_post(webhook_post(None))  # a user or a bot


def test_a_listed_webhook_outside_the_channel_or_replying_to_a_command_is_not_trusted() -> None:
    trusting = reader((STORE_HOOK, APP))
    elsewhere = webhook_post(STORE_HOOK, channel=SimpleNamespace(id=CHANNEL + 1))
    assert not trusting.is_trusted_order_post(elsewhere)
    reply = webhook_post(STORE_HOOK, interaction_metadata=object())
    assert not trusting.is_trusted_order_post(reply)
    assert not trusting.is_trusted_order_post(webhook_post(APP))  # our own replies
    joined = webhook_post(STORE_HOOK, type=disnake.MessageType.new_member)
    assert not trusting.is_trusted_order_post(joined)
