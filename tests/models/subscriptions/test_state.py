"""The subscription state rules, fact by fact, and the pure property: any order, any repeats."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from models.subscriptions.state import RENEWAL_ALLOWANCE, derive, merge
from tests.models.subscriptions.stories import DAY, T0, chronological, pool

GRACE = timedelta(days=3)
FACTS = {f.event_id: f for f in pool(order_id=1)}


def state_of(*event_ids: str):
    facts: dict = {}
    for event_id in event_ids:
        facts = merge(facts, FACTS[event_id])
    return derive(facts, GRACE)


def test_a_paid_first_invoice_grants_to_its_period_end() -> None:
    state = state_of("evt_checkout", "evt_paid1")
    # While it renews, a day past the period: Stripe charges the renewal after the period ends.
    assert (state.status, state.renewals) == ("active", 0)
    assert state.access_until == T0 + 30 * DAY + RENEWAL_ALLOWANCE


def test_a_checkout_before_its_invoice_grants_one_interval() -> None:
    state = state_of("evt_checkout")
    assert state.status == "active" and state.access_until == T0 + 31 * DAY + RENEWAL_ALLOWANCE


def test_a_failed_renewal_keeps_access_through_the_grace_period() -> None:
    state = state_of("evt_checkout", "evt_paid1", "evt_fail2a", "evt_fail2b")
    assert state.status == "past_due"
    # The first failure starts the grace; a retry failing later does not extend it.
    assert state.grace_until == T0 + 30 * DAY + GRACE == state.access_until
    assert state.failing == ("in_2",)


def test_a_paid_renewal_extends_and_clears_the_failure() -> None:
    state = state_of("evt_paid1", "evt_fail2a", "evt_paid2")
    assert (state.status, state.grace_until) == ("active", None)
    assert state.access_until == T0 + 60 * DAY + RENEWAL_ALLOWANCE
    assert state.renewals == 1 and state.failing == ()


def test_cancel_at_period_end_ends_with_the_paid_period() -> None:
    state = state_of("evt_checkout", "evt_paid1", "evt_upd_cancel")
    assert state.cancel_at_period_end and state.access_until == T0 + 30 * DAY
    resumed = state_of("evt_checkout", "evt_paid1", "evt_upd_resume", "evt_upd_cancel")
    assert not resumed.cancel_at_period_end  # the later update wins, whatever came first


def test_cancel_at_a_time_ends_access_then_if_sooner() -> None:
    facts = merge({}, FACTS["evt_paid1"])
    at = dataclasses.replace(FACTS["evt_upd_cancel"], cancel_at_period_end=False,
                             cancel_at=T0 + 20 * DAY)  # fmt: skip
    state = derive(merge(facts, at), GRACE)
    assert state.cancel_at_period_end and state.access_until == T0 + 20 * DAY


def test_deleted_is_terminal_and_ends_access_then() -> None:
    state = state_of("evt_paid1", "evt_paid2", "evt_deleted", "evt_fail3")
    assert (state.status, state.access_until) == ("canceled", T0 + 65 * DAY)


@given(
    chosen=st.lists(st.sampled_from(sorted(FACTS)), min_size=1, unique=True),
    data=st.data(),
)
def test_shuffled_and_repeated_facts_derive_the_in_order_state(chosen, data) -> None:
    facts = [FACTS[e] for e in chosen]
    clean: dict = {}
    for f in chronological(facts):
        clean = merge(clean, f)
    noisy_run = data.draw(st.permutations(facts)) + data.draw(st.lists(st.sampled_from(facts)))
    noisy: dict = {}
    for f in noisy_run:
        noisy = merge(noisy, f)
    assert noisy == clean
    assert derive(noisy, GRACE) == derive(clean, GRACE)
