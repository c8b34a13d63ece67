"""The delivery worker keeps claiming while jobs it holds still run: one slow Discord answer
holds up only its own lane, never the jobs claimed with it or after it."""

from __future__ import annotations

import secrets

import pytest

from cogs.delivery.cog import BATCH_SIZE
from demo.emulator import DiscordEmulator
from models.base import JobKind, JobStatus
from models.outbox.tables import Job
from models.stock.restock import add_stock
from tests.discord_plugin import RunningBot
from tests.e2e.test_delivery import WAIT, wait_for_db
from tests.e2e.test_pacing import add_buyers, pay

pytestmark = pytest.mark.e2e

MESSAGES_ROUTE = "/channels/{channel_id}/messages"  # a bucket per channel: one DM's alone
SLOW_SECONDS = WAIT + 2  # longer than the wait below (the emulator answers it at close)


async def test_one_slow_answer_holds_up_only_its_own_lane(
    stockroom: RunningBot, discord_emulator: DiscordEmulator
) -> None:
    worker = stockroom.bot.get_cog("DeliveryWorker")
    worker.stop_grace = 0.2  # the slow one is cut off at close
    worker.feed.stop()  # feed messages wait: the first message posted is a DM
    orders = 2 * BATCH_SIZE  # each queues a DM job and a role job: four claims' worth
    buyers = add_buyers(discord_emulator, orders)
    codes = [f"LANE-{secrets.token_hex(6)}" for _ in range(orders)]
    await add_stock("starter-bundle", codes, stockroom.bot.cipher)
    # The first DM is answered only long after the test's wait is over.
    discord_emulator.faults.delay("POST", MESSAGES_ROUTE, SLOW_SECONDS, count=1)
    for n, buyer in enumerate(buyers):
        await pay(buyer, n)

    async def others_done() -> bool:
        jobs = Job.filter(kind__in=(JobKind.DELIVER_CODES, JobKind.GRANT_ROLE))
        return await jobs.filter(status=JobStatus.DONE).count() == 2 * orders - 1

    await wait_for_db(others_done, "every job but the slow one done", within=WAIT)
    slow = await Job.filter(status=JobStatus.RUNNING)
    assert [job.kind for job in slow] == [JobKind.DELIVER_CODES]
    assert sum(1 for buyer in buyers if discord_emulator.world.dms_to(buyer)) == orders - 1
