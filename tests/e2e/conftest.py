"""Stand-ins for the payment providers, for the e2e modules whose bot talks to them.

A module that wants them points the bot at them in its own `bot_env` fixture.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from demo.fakes.midtrans_api import FakeMidtrans
from demo.fakes.stripe_api import FakeStripe
from tests.webhooks.helpers import FIXTURES, MIDTRANS_KEY, STRIPE_KEY


@pytest.fixture
async def fake_stripe() -> AsyncIterator[FakeStripe]:
    fake = await FakeStripe(STRIPE_KEY).start()
    yield fake
    await fake.close()


@pytest.fixture
async def fake_midtrans() -> AsyncIterator[FakeMidtrans]:
    fake = await FakeMidtrans(MIDTRANS_KEY).start()
    yield fake
    await fake.close()


@pytest.fixture
def stripe_fixtures() -> dict:
    """Stripe's official fixture objects (from the shared data), or skip when absent."""
    if not FIXTURES.exists():
        pytest.skip(f"{FIXTURES} not found: Stripe object shapes come from shared/data")
    return json.loads(FIXTURES.read_text())["resources"]
