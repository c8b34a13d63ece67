"""docs/providers.md is true of the code: its URLs, the generic contract, its curl examples."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess

import aiohttp
import pytest

from models.base import OrderSource, OrderStatus
from models.orders.tables import Order
from settings import ROOT, load_settings
from tests.served_app import served_app
from webhooks.app import INBOX_WORKER, build_app
from webhooks.generic import STATUSES, TOLERANCE_SECONDS, sign_generic, verify_generic_signature
from webhooks.order_fields import MAX_QUANTITY

PROVIDERS_DOC = ROOT / "docs" / "providers.md"
VECTOR_TS = 1767225600


def doc_snippet(marker: str) -> str:
    """The ```sh block of docs/providers.md that contains `marker`."""
    blocks = re.findall(r"```sh\n(.*?)```", PROVIDERS_DOC.read_text(), re.S)
    (block,) = [b for b in blocks if marker in b]
    return block


def doc_value(snippet: str, name: str) -> str:
    return re.search(rf"^{name}='([^']+)'", snippet, re.M).group(1)


def test_the_docs_signature_example_is_what_the_webhook_verifies():
    snippet = doc_snippet("GENERIC_WEBHOOK_SECRET=")
    secret, body = doc_value(snippet, "GENERIC_WEBHOOK_SECRET"), doc_value(snippet, "BODY")
    (stated,) = re.findall(
        rf"X-Signature: (t={VECTOR_TS},v1=[0-9a-f]{{64}})", PROVIDERS_DOC.read_text()
    )
    assert sign_generic(body, secret, VECTOR_TS) == stated
    verify_generic_signature(stated, body, secret, now=VECTOR_TS)  # raises when it does not
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed: the doc's shell computation not run")
    (sig_line,) = [line for line in snippet.splitlines() if line.startswith("SIG=")]
    script = "\n".join(
        [f"GENERIC_WEBHOOK_SECRET='{secret}'", f"BODY='{body}'", f"TS={VECTOR_TS}", sig_line]
    )
    shell = subprocess.run(
        ["bash", "-c", script + '\nprintf "t=%s,v1=%s" "$TS" "$SIG"'],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert shell.stdout == stated


async def run_snippet(snippet: str, base_url: str) -> tuple[int, dict[str, str], dict]:
    """Runs a doc example with bash against base_url; (status, headers, JSON body) of curl -i."""
    child = await asyncio.create_subprocess_exec(
        "bash",
        "-c",
        snippet.replace("https://YOUR-HOST", base_url),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(child.communicate(), timeout=60)
    assert child.returncode == 0, err.decode()
    head, _, body = out.decode().partition("\r\n\r\n")
    status_line, *header_lines = head.split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, json.loads(body)


async def test_the_docs_curl_examples_work_against_the_app(db):
    if shutil.which("curl") is None or shutil.which("openssl") is None:
        pytest.skip("curl and openssl are needed to run the doc's examples")
    generic, api = doc_snippet("GENERIC_WEBHOOK_SECRET="), doc_snippet("ADMIN_API_TOKEN='")
    secrets = {
        "GENERIC_WEBHOOK_SECRET": doc_value(generic, "GENERIC_WEBHOOK_SECRET"),
        "ADMIN_API_TOKEN": doc_value(api, "ADMIN_API_TOKEN"),
    }
    async with served_app(secrets, lambda: True) as (port, app):
        base = f"http://127.0.0.1:{port}"
        await check_generic_example(generic, base, app)
        await check_api_example(api, base)


async def check_generic_example(generic: str, base: str, app) -> None:
    status, _, answer = await run_snippet(generic, base)
    assert (status, answer) == (200, {"received": True, "duplicate": False})
    status, _, answer = await run_snippet(generic, base)  # same event_id again
    assert (status, answer) == (200, {"received": True, "duplicate": True})
    await app[INBOX_WORKER].idle()
    order = await Order.get(source=OrderSource.GENERIC, external_id="A-1001")
    assert (order.quantity, order.amount, order.currency) == (1, 500, "USD")
    assert order.status == OrderStatus.AWAITING_STOCK  # the test shop has no codes


async def check_api_example(api: str, base: str) -> None:
    status, headers, first = await run_snippet(api, base)
    assert status == 201 and first["created"] is True and "Idempotent-Replayed" not in headers
    status, headers, again = await run_snippet(api, base)  # a retry with the same key
    assert (status, again, headers.get("Idempotent-Replayed")) == (201, first, "true")
    assert await Order.filter(source=OrderSource.API).count() == 1


async def test_the_urls_in_the_docs_are_the_routes_of_the_app():
    """Every https://YOUR-HOST/... in providers.md is served, and every POST route is listed."""
    documented = set(re.findall(r"https://YOUR-HOST(/[a-z/]+)", PROVIDERS_DOC.read_text()))
    secrets = {
        "STRIPE_API_KEY": "sk_test_x", "STRIPE_WEBHOOK_SECRET": "whsec_x",
        "MIDTRANS_SERVER_KEY": "SB-Mid-server-x", "ECWID_API_TOKEN": "secret_x",
        "ECWID_CLIENT_SECRET": "x", "ECWID_STORE_ID": "1", "REFRACT_TOKEN": "x",
        "GENERIC_WEBHOOK_SECRET": "x", "ADMIN_API_TOKEN": "x", "DISCORD_APP_TOKEN": "x",
    }  # fmt: skip
    async with aiohttp.ClientSession() as http:
        app = build_app(load_settings(secrets), http=http, gateway_ready=lambda: True)
    served = {r.canonical for r in app.router.resources()}
    posts = {r.resource.canonical for r in app.router.routes() if r.method == "POST"}
    assert documented <= served, documented - served
    assert posts <= documented, posts - documented


def test_the_generic_contract_in_the_docs_matches_the_code():
    text = PROVIDERS_DOC.read_text()
    (row,) = [line for line in text.splitlines() if line.startswith("| `status` | string |")]
    assert re.findall(r"`([a-z_]+)`", row.split("one of", 1)[1]) == list(STATUSES)
    assert f"within **{TOLERANCE_SECONDS} s**" in text
    assert f"1 to {MAX_QUANTITY}" in text
