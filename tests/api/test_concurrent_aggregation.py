"""Two aggregations of one login at once (a reconnect while the last one runs, in another process)."""

from __future__ import annotations

import threading
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from finstance.api import create_app
from finstance.clock import ManualClock
from finstance.instance import toolbox_spec
from finstance.services import jobs
from finstance.store import models
from tests.conftest import TEST_SETTINGS
from tests.flinks import Flinks

NOMFA = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday"}


async def test_two_aggregations_of_one_login_both_complete_one_after_the_other(
    store_url: str, clock: ManualClock
) -> None:
    app = create_app(toolbox_spec(store_url), TEST_SETTINGS, clock)
    async with app.router.lifespan_context(app):
        ctx = app.state.ctx
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toolbox.test") as http:
            flinks = Flinks(http)
            first = await flinks.authorize(NOMFA)
            second = await flinks.authorize(NOMFA)
            assert first.json()["Login"]["Id"] == second.json()["Login"]["Id"]
        clock.advance(timedelta(seconds=10))
        with ctx.store.read() as db:
            job_ids = list(db.scalars(select(models.Job.id).where(models.Job.status == "pending")))
        assert len(job_ids) == 2
        barrier = threading.Barrier(2)

        def run(job_id: str) -> None:
            barrier.wait()
            assert jobs.try_run(ctx, job_id)

        threads = [threading.Thread(target=run, args=(job_id,)) for job_id in job_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        with ctx.store.read() as db:
            statuses = list(db.scalars(select(models.Job.status)))
            accounts = db.scalar(select(func.count()).select_from(models.Account))
            holders = db.scalar(select(func.count()).select_from(models.Holder))
    assert statuses == ["done", "done"]  # neither collided with the other and had to be retried
    assert accounts == 4 and holders == 1  # the login's data once, not twice, not half
