"""The delivery nonce: one per job, stable across runs, within Discord's 25 characters."""

from __future__ import annotations

import pytest

from cogs.delivery.once import NONCE_MAX, job_nonce


def test_a_job_keeps_its_nonce_and_jobs_do_not_share_one() -> None:
    assert job_nonce(7) == job_nonce(7)
    assert job_nonce(7) != job_nonce(70)


def test_the_largest_database_id_fits_discords_nonce() -> None:
    assert len(job_nonce(2**63 - 1)) <= NONCE_MAX


def test_an_id_too_long_for_a_nonce_is_refused() -> None:
    with pytest.raises(ValueError, match="longer than 25"):
        job_nonce(10**30)
