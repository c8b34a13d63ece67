"""`bot_env` for an e2e module whose bot takes card payments: the Stripe stand-in's key,
webhook secret and origin.

A module opts in by importing the fixture (`from tests.e2e.stripe_bot_env import bot_env`),
as tests/e2e/test_shop_drop.py imports test_shop_payments' own. It is not registered in
tests/conftest.py like tests/provider_plugin.py: a registered `bot_env` would replace
tests/discord_plugin.py's empty default for every test.
"""

from __future__ import annotations

import pytest

from demo.fakes.stripe_api import FakeStripe
from tests.webhooks.helpers import STRIPE_KEY, STRIPE_SECRET


@pytest.fixture
def bot_env(fake_stripe: FakeStripe) -> dict[str, str]:
    return {
        "STRIPE_API_KEY": STRIPE_KEY,
        "STRIPE_WEBHOOK_SECRET": STRIPE_SECRET,
        "STRIPE_API_BASE": fake_stripe.origin,
    }
