"""The real bot taking card payments from the Stripe stand-in, for e2e modules: `bot_env`
(the stand-in's key, webhook secret and origin) and `post_stripe_event` (an event posted
signed to the bot's webhook port).

A module opts in by importing the fixture (`from tests.e2e.stripe_bot import bot_env`), as
tests/e2e/test_shop_drop.py imports test_shop_payments' own. It is not registered in
tests/conftest.py like tests/provider_plugin.py: a registered `bot_env` would replace
tests/discord_plugin.py's empty default for every test.
"""

from __future__ import annotations

import pytest

from demo.fakes.stripe_api import FakeStripe
from tests.discord_plugin import RunningBot
from tests.e2e.test_shop_payments import post_webhook
from tests.webhooks.helpers import STRIPE_KEY, STRIPE_SECRET, stripe_event, stripe_headers


@pytest.fixture
def bot_env(fake_stripe: FakeStripe) -> dict[str, str]:
    return {
        "STRIPE_API_KEY": STRIPE_KEY,
        "STRIPE_WEBHOOK_SECRET": STRIPE_SECRET,
        "STRIPE_API_BASE": fake_stripe.origin,
    }


async def post_stripe_event(
    running: RunningBot,
    fixtures: dict,
    kind: str,
    obj: dict,
    event_id: str,
    created: int | None = None,
) -> None:
    """`obj` in a Stripe event of type `kind` (created now unless given), answered 200."""
    body = stripe_event(fixtures, kind, obj, event_id=event_id, created=created)
    assert await post_webhook(running, "/webhooks/stripe", body, stripe_headers(body)) == 200
