"""After the journey: curl lines to try against the running bot, and a live view of its messages."""

from __future__ import annotations

import asyncio
import json

from demo.show import Screen
from demo.world import ADMIN_TOKEN, GENERIC_SECRET, DemoWorld

WATCH_EVERY = 0.3


def curl_lines(world: DemoWorld) -> str:
    """Shell snippets for /health, a signed generic-webhook order and /api/orders."""
    base = world.webhook_base
    alice = str(world.emulator.world.alice.id)
    order = {
        "event_id": "evt-demo-1",
        "order_id": "DEMO-1",
        "status": "paid",
        "discord_user_id": alice,
        "product": "game-key",
        "quantity": 1,
        "amount": 5000000,
        "currency": "IDR",
        "email": "alice@example.com",
    }
    api = {"discord_user_id": alice, "product": "game-key", "order_id": "DEMO-2"}
    body = json.dumps(order, separators=(",", ":"))
    return f"""\
Health:
  curl -sS {base}/health

A paid order from the generic signed webhook (HMAC-SHA256 of "<t>.<body>", docs/providers.md):
  SECRET='{GENERIC_SECRET}'
  BODY='{body}'
  TS=$(date +%s)
  SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)
  curl -sS -i {base}/webhooks/generic -H 'Content-Type: application/json' \\
    -H "X-Signature: t=$TS,v1=$SIG" --data-binary "$BODY"

An order through the order API:
  curl -sS -i {base}/api/orders -H 'Authorization: Bearer {ADMIN_TOKEN}' \\
    -H 'Idempotency-Key: demo-order-2' -H 'Content-Type: application/json' \\
    --data-binary '{json.dumps(api, separators=(",", ":"))}'

The webhook log:
  curl -sS {base}/api/webhooks/logs -H 'Authorization: Bearer {ADMIN_TOKEN}'
"""


async def watch(world: DemoWorld, screen: Screen, stop: asyncio.Event) -> None:
    """Prints each new message the bot sends (DMs, the feed, alerts) until `stop` is set."""
    state = world.emulator.world
    seen = set(state.messages)
    while not stop.is_set():
        for message in sorted(state.messages.values(), key=lambda m: m.id):
            if message.id in seen or message.ephemeral or message.author.id != state.bot.id:
                continue
            seen.add(message.id)
            channel = state.channel(message.channel_id)
            if channel is not None and channel.recipient_id:
                where = f"DM to {state.users[channel.recipient_id].name}"
            else:
                where = f"#{channel.name if channel else message.channel_id}"
            screen.message(where, message)
        try:
            await asyncio.wait_for(stop.wait(), WATCH_EVERY)
        except TimeoutError:
            pass
