"""Fixtures for the webhook app: settings with every provider on, and the client.

The provider stand-ins (fake_stripe, fake_midtrans, fake_ecwid) are tests/provider_plugin.py's.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from demo.fakes.ecwid_api import FakeEcwid
from demo.fakes.midtrans_api import FakeMidtrans
from demo.fakes.stripe_api import FakeStripe
from models.catalog.sync import sync_catalog
from settings import ROOT, Settings, load_settings
from tests.webhooks.helpers import (
    ADMIN_TOKEN,
    ECWID_SECRET,
    ECWID_STORE,
    ECWID_TOKEN,
    GENERIC_SECRET,
    MIDTRANS_KEY,
    REFRACT_TOKEN,
    STRIPE_KEY,
    STRIPE_SECRET,
)
from webhooks.app import build_app


def base_environ() -> dict[str, str]:
    return {
        "DISCORD_APP_TOKEN": "test-token",
        "STRIPE_API_KEY": STRIPE_KEY,
        "STRIPE_WEBHOOK_SECRET": STRIPE_SECRET,
        "MIDTRANS_SERVER_KEY": MIDTRANS_KEY,
        "ECWID_API_TOKEN": ECWID_TOKEN,
        "ECWID_CLIENT_SECRET": ECWID_SECRET,
        "ECWID_STORE_ID": ECWID_STORE,
        "REFRACT_TOKEN": REFRACT_TOKEN,
        "GENERIC_WEBHOOK_SECRET": GENERIC_SECRET,
        "ADMIN_API_TOKEN": ADMIN_TOKEN,
        "STOCKROOM_CONFIG": str(ROOT / "config.toml"),
    }


def settings_for(
    fake_stripe: FakeStripe | None = None,
    fake_midtrans: FakeMidtrans | None = None,
    fake_ecwid: FakeEcwid | None = None,
    environ: dict[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings from the shipped config.toml with every provider enabled and pointed at fakes."""
    env = base_environ()
    if fake_stripe:
        env["STRIPE_API_BASE"] = fake_stripe.origin
    if fake_midtrans:
        env["MIDTRANS_API_BASE"] = fake_midtrans.origin
    if fake_ecwid:
        env["ECWID_API_BASE"] = fake_ecwid.base_url
    env.update(environ or {})
    settings = load_settings(env)
    return dataclasses.replace(settings, **overrides) if overrides else settings


@pytest.fixture
def settings(
    fake_stripe: FakeStripe, fake_midtrans: FakeMidtrans, fake_ecwid: FakeEcwid
) -> Settings:
    return settings_for(fake_stripe, fake_midtrans, fake_ecwid)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
    yield session
    await session.close()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_unexpected_errors() -> Iterator[None]:
    """Fails any test in which a request reached the last-resort 500 of the app middleware."""
    handler = _Collect()
    logger = logging.getLogger("webhooks.app")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert not handler.records, [r.getMessage() for r in handler.records]


class Gateway:
    """Stands in for the bot's gateway state in /health."""

    def __init__(self) -> None:
        self.ready = True

    def __call__(self) -> bool:
        return self.ready


@pytest.fixture
def gateway() -> Gateway:
    return Gateway()


AppClient = Callable[..., Any]


@pytest.fixture
async def make_client(
    db: str, aiohttp_client, http: aiohttp.ClientSession, gateway: Gateway
) -> AppClient:
    """Builds the real app for the given settings on the test database; returns its client."""

    async def make(settings: Settings) -> TestClient:
        await sync_catalog(settings.products)
        app = build_app(settings, http=http, gateway_ready=gateway, retry_base_seconds=3600)
        return await aiohttp_client(app)

    return make


@pytest.fixture
async def client(make_client: AppClient, settings: Settings) -> TestClient:
    return await make_client(settings)
