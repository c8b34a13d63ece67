"""Stand-ins for the payment providers and Stripe's own fixture objects, for every test.

Registered in tests/conftest.py. A webhook test gets them through the webhook app's
settings (tests/webhooks/conftest.py); an e2e module points the bot at them in its own
`bot_env` fixture.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from demo.fakes.ecwid_api import FakeEcwid
from demo.fakes.midtrans_api import FakeMidtrans
from demo.fakes.stripe_api import FakeStripe
from tests.webhooks.helpers import ECWID_STORE, ECWID_TOKEN, FIXTURES, MIDTRANS_KEY, STRIPE_KEY


@pytest.fixture(scope="session")
def stripe_fixtures() -> dict[str, Any]:
    """Stripe's own fixture objects (shared/data beside the repository, as in CI)."""
    if not FIXTURES.exists():
        pytest.skip(f"{FIXTURES} not found: Stripe object shapes come from shared/data")
    return json.loads(FIXTURES.read_text())["resources"]


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
async def fake_ecwid() -> AsyncIterator[FakeEcwid]:
    fake = await FakeEcwid(ECWID_STORE, ECWID_TOKEN).start()
    yield fake
    await fake.close()
