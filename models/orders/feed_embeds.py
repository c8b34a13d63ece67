"""Order embeds from the orders channel: parse their fields into a PaymentEvent and apply it.

A storefront relay (the original Ecwid → PHP → Discord flow) posts one embed per order change
into the orders channel, with the fields ``Order ID``, ``Payment Status``, ``Email`` and
``Discord User ID``. This module turns those fields into the order core's ``PaymentEvent``
(source ``embed``, external id = the Order ID, reference = the Discord message id, so a
replayed message is a no-op) and remembers the last message read, so the bot can catch up on
what it missed while it was down. It takes plain (name, value) pairs: no disnake here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from models.base import OrderSource
from models.bot_state import BotState
from models.errors import ShopError
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import ApplyResult, PaymentEvent, PaymentStatus

log = logging.getLogger(__name__)

ORDER_ID = "order id"
PAYMENT_STATUS = "payment status"
EMAIL = "email"
DISCORD_USER_ID = "discord user id"
REQUIRED_FIELDS = (ORDER_ID, PAYMENT_STATUS, EMAIL, DISCORD_USER_ID)
CURSOR_KEY = "orders_channel.last_message_id"

# Storefront payment statuses (Ecwid's names, plus common spellings) → order core status.
# Statuses not listed (e.g. Ecwid's CUSTOM_PAYMENT_STATUS_1) are refused with a reason.
STATUS_MAP: dict[str, PaymentStatus] = {
    "PAID": PaymentStatus.PAID,
    "REFUNDED": PaymentStatus.REFUNDED,
    "CANCELLED": PaymentStatus.CANCELLED,
    "CANCELED": PaymentStatus.CANCELLED,
    "PARTIALLY_REFUNDED": PaymentStatus.PARTIALLY_REFUNDED,
    "AWAITING_PAYMENT": PaymentStatus.PENDING,
    "INCOMPLETE": PaymentStatus.PENDING,
    "PENDING": PaymentStatus.PENDING,
    "FAILED": PaymentStatus.FAILED,
    "DECLINED": PaymentStatus.FAILED,
    "EXPIRED": PaymentStatus.EXPIRED,
}

_SPACES = re.compile(r"\s+")
_MARKDOWN = "`*_~| \t\r\n"
_MENTION = re.compile(r"^<@!?(\d+)>$")
_SNOWFLAKE = re.compile(r"^\d{17,20}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,63}$")
_ORDER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:#/-]{0,99}$")
_MAX_SNOWFLAKE = 2**63 - 1


@dataclass(frozen=True)
class EmbedOrder:
    """The order facts read from one embed."""

    order_id: str
    status: PaymentStatus
    raw_status: str
    discord_user_id: int
    email: str | None


@dataclass(frozen=True)
class EmbedRejection:
    """Why an order embed cannot be applied (shown in logs; never contains the email)."""

    reason: str


@dataclass(frozen=True)
class EmbedOutcome:
    """What happened to one order embed: applied (with the core's result) or rejected."""

    message_id: int
    result: ApplyResult | None = None
    rejection: EmbedRejection | None = None

    @property
    def applied(self) -> bool:
        return self.result is not None


def _field_name(name: str) -> str:
    """'  **Discord  User ID:** ' → 'discord user id'."""
    cleaned = (name or "").strip(_MARKDOWN).rstrip(":").strip(_MARKDOWN)
    return _SPACES.sub(" ", cleaned).casefold()


def _field_value(value: str) -> str:
    return (value or "").strip(_MARKDOWN)


def is_order_embed(fields: Iterable[tuple[str, str]]) -> bool:
    """True when an embed carries any of the order fields: it is meant as an order event."""
    return any(_field_name(name) in REQUIRED_FIELDS for name, _ in fields)


def parse_order_embed(fields: Iterable[tuple[str, str]]) -> EmbedOrder | EmbedRejection:
    """Reads the four order fields (names matched case-insensitively, extras ignored)."""
    found: dict[str, str] = {}
    for name, value in fields:
        key = _field_name(name)
        if key in REQUIRED_FIELDS and key not in found:
            found[key] = _field_value(value)
    missing = [key for key in REQUIRED_FIELDS if key not in found]
    if missing:
        return EmbedRejection("missing field(s): " + ", ".join(missing))

    order_id = found[ORDER_ID].lstrip("#").strip()
    if not _ORDER_ID.match(order_id):
        return EmbedRejection("Order ID is empty or not an order id")

    raw_status = _SPACES.sub("_", found[PAYMENT_STATUS].strip()).upper()
    status = STATUS_MAP.get(raw_status)
    if status is None:
        shown = raw_status[:40] or "(empty)"
        return EmbedRejection(f"Payment Status {shown!r} is not one the shop acts on")

    user_text = found[DISCORD_USER_ID]
    mention = _MENTION.match(user_text)
    if mention:
        user_text = mention.group(1)
    if not _SNOWFLAKE.match(user_text) or int(user_text) > _MAX_SNOWFLAKE:
        return EmbedRejection("Discord User ID is not a Discord user id (17 to 20 digits)")

    email = found[EMAIL]
    return EmbedOrder(
        order_id=order_id,
        status=status,
        raw_status=raw_status,
        discord_user_id=int(user_text),
        email=email if _EMAIL.match(email) else None,
    )


def payment_event_for(order: EmbedOrder, message_id: int, index: int = 0) -> PaymentEvent:
    """The order core's event for one embed; the message id makes a replay a no-op.

    `index` is the embed's place in its message: a message rarely carries several order
    embeds, and each is its own fact.
    """
    return PaymentEvent(
        source=OrderSource.EMBED,
        status=order.status,
        cause=f"embed:{order.status.value}",
        reference=str(message_id) if index == 0 else f"{message_id}:{index}",
        external_id=order.order_id,
        discord_user_id=order.discord_user_id,
        email=order.email,
        quantity=1,
        grants_customer_role=True,
        details={"payment_status": order.raw_status, "message_id": str(message_id)},
    )


async def apply_order_embed(
    message_id: int, fields: Iterable[tuple[str, str]], index: int = 0
) -> EmbedOutcome:
    """Parses one order embed and applies it through the order core.

    A malformed embed, or one the order core refuses (ShopError), is a rejection with the
    reason; anything else (the database is down) propagates, so the caller retries later.
    """
    parsed = parse_order_embed(list(fields))
    if isinstance(parsed, EmbedRejection):
        return EmbedOutcome(message_id=message_id, rejection=parsed)
    try:
        result = await apply_payment_event(payment_event_for(parsed, message_id, index))
    except ShopError as exc:
        return EmbedOutcome(message_id=message_id, rejection=EmbedRejection(exc.message))
    return EmbedOutcome(message_id=message_id, result=result)


async def last_read_message_id() -> int | None:
    """The newest orders-channel message already read, or None before the first."""
    state = await BotState.get_or_none(key=CURSOR_KEY)
    if state is None:
        return None
    value = state.value.get("message_id") if isinstance(state.value, dict) else None
    return int(value) if value else None


async def remember_read_message(message_id: int) -> None:
    """Moves the catch-up cursor forward to `message_id` (never backwards)."""
    async with in_transaction() as connection:
        state = (
            await BotState.filter(key=CURSOR_KEY).select_for_update().using_db(connection).first()
        )
        if state is None:
            await BotState.create(
                key=CURSOR_KEY, value={"message_id": str(message_id)}, using_db=connection
            )
            return
        current = int(state.value.get("message_id") or 0)
        if message_id > current:
            state.value = {"message_id": str(message_id)}
            await state.save(using_db=connection, update_fields=["value", "updated_at"])
