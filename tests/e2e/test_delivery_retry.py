"""A delivery job run again after a crash sends no second DM: Discord's enforced nonce stops it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.base import JobKind, JobStatus
from models.database import close_database, open_database
from models.outbox.tables import Job
from models.stock.restock import add_stock
from tests.discord_plugin import StartBot
from tests.e2e.test_delivery import WAIT, new_codes, pay_external_order, wait_for_db

pytestmark = pytest.mark.e2e
MESSAGES = "/channels/{channel_id}/messages"


@pytest.mark.parametrize("as_file", [False, True], ids=["codes in the embed", "codes as a file"])
async def test_a_delivery_job_run_twice_leaves_one_dm(start_bot: StartBot, as_file: bool) -> None:
    first = await start_bot()
    emulator, settings = first.emulator, first.settings
    same_store = {
        "DATABASE_URL": settings.database_url,
        "STOCK_ENCRYPTION_KEYS": ",".join(settings.stock_keys),
    }
    quantity = settings.dm_file_threshold + 1 if as_file else 1
    await add_stock("game-key", new_codes(quantity, "ONCE"), first.bot.cipher)
    order = await pay_external_order(emulator.world.alice.id, "game-key", quantity, 500)
    dm = await emulator.next_dm("alice", within=WAIT)
    assert bool(dm.attachments) is as_file
    job = await wait_for_db(
        lambda: Job.filter(
            order_id=order.id, kind=JobKind.DELIVER_CODES, status=JobStatus.DONE
        ).first(),
        "the delivery job to finish",
    )
    await first.bot.close()

    # The process is killed after Discord took the DM but before the job was recorded done:
    # the job is left running under a lease of a worker that is gone.
    await open_database(settings.database_url)
    await Job.filter(id=job.id).update(
        status=JobStatus.RUNNING,
        lease_owner="killed-host:1:gone",
        lease_expires_at=datetime.now(UTC) - timedelta(seconds=1),
    )
    await close_database()
    await start_bot(env=same_store)
    await wait_for_db(
        lambda: Job.filter(id=job.id, status=JobStatus.DONE, attempts=job.attempts + 1).exists(),
        "the job to run again and finish",
    )

    (only,) = emulator.dms("alice")
    assert only.id == dm.id
    dm_posts = [
        r
        for r in emulator.requests_to("POST", MESSAGES)
        if r.path.endswith(f"/{dm.channel_id}/messages")
    ]
    assert [r.status for r in dm_posts] == [200, 200]  # sent again, answered with the first
