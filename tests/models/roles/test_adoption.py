"""Adopted shop roles and recorded orders (models.roles.adoption), on both engines."""

from __future__ import annotations

from models.base import OrderSource
from models.orders.lifecycle import apply_payment_event
from models.orders.payment_event import PaymentEvent, PaymentStatus
from models.roles.adoption import (
    adopt,
    adopted_pairs,
    end_adoptions,
    is_adopted,
    recorded_order_pairs,
)
from models.roles.tables import AdoptedRole
from tests.models.conftest import external

CUSTOMER_ROLE = 900 << 22
VIP_ROLE = 777  # the vip product's role in tests/models/conftest.py; bundle has role_id 0
OTHER_ROLE = 901 << 22
ALICE, BOB, CAROL, DAVE = 1001, 2002, 3003, 4004


async def test_adoptions_are_remembered_once_and_ended_per_role(db: str) -> None:
    assert await adopt([(ALICE, CUSTOMER_ROLE), (BOB, CUSTOMER_ROLE), (BOB, OTHER_ROLE)]) == 3
    # Adopting again changes nothing and counts nothing.
    assert await adopt([(ALICE, CUSTOMER_ROLE), (CAROL, CUSTOMER_ROLE)]) == 1
    assert await adopt([]) == 0
    assert await AdoptedRole.all().count() == 4
    assert await adopted_pairs([BOB, DAVE]) == {(BOB, CUSTOMER_ROLE), (BOB, OTHER_ROLE)}
    assert await adopted_pairs([]) == set()
    assert await is_adopted(CAROL, CUSTOMER_ROLE)
    assert not await is_adopted(CAROL, OTHER_ROLE)

    assert await end_adoptions([CUSTOMER_ROLE]) == 3
    assert await adopted_pairs([ALICE, BOB, CAROL]) == {(BOB, OTHER_ROLE)}
    assert await end_adoptions([]) == 0


async def test_a_recorded_order_is_one_paid_once_for_the_role(catalog: str) -> None:
    paid = external("v1", PaymentStatus.PAID, "v1-paid", product_key="vip", discord_user_id=ALICE)
    await apply_payment_event(paid)
    refunded = external("v1", PaymentStatus.REFUNDED, "v1-refund", product_key="vip")
    await apply_payment_event(refunded)
    # Bob bought codes only; Carol's order for the bundle (customer role) was never paid.
    await apply_payment_event(
        external("g1", PaymentStatus.PAID, "g1-paid", product_key="game-key", discord_user_id=BOB)
    )
    await apply_payment_event(
        external("b1", PaymentStatus.PENDING, "b1-new", product_key="bundle", discord_user_id=CAROL)
    )
    # Dave's storefront embed granted the customer role (no product).
    await apply_payment_event(
        PaymentEvent(
            source=OrderSource.EMBED,
            status=PaymentStatus.PAID,
            cause="embed:paid",
            reference="e1",
            external_id="e1",
            amount=100,
            currency="USD",
            discord_user_id=DAVE,
            grants_customer_role=True,
        )
    )

    everyone = [ALICE, BOB, CAROL, DAVE]
    found = await recorded_order_pairs(CUSTOMER_ROLE, everyone)
    assert found == {(ALICE, VIP_ROLE), (DAVE, CUSTOMER_ROLE)}
    # CUSTOMER_ROLE_ID unset: the customer role resolves to nothing.
    assert await recorded_order_pairs(0, everyone) == {(ALICE, VIP_ROLE)}
    assert await recorded_order_pairs(CUSTOMER_ROLE, [BOB, CAROL]) == set()
    assert await recorded_order_pairs(CUSTOMER_ROLE, []) == set()
