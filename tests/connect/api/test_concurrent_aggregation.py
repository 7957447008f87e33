"""Two aggregations of one login at once (a reconnect while the last one runs, in another process)."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from finstance.app import create_app
from finstance.connect import sessions, tables
from finstance.core import jobs
from finstance.core.clock import ManualClock
from finstance.core.instance import toolbox_spec
from finstance.core.store import tables as core_tables
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
            job_ids = list(db.scalars(select(core_tables.Job.id).where(core_tables.Job.status == "pending")))
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
            statuses = list(db.scalars(select(core_tables.Job.status)))
            accounts = db.scalar(select(func.count()).select_from(tables.Account))
            holders = db.scalar(select(func.count()).select_from(tables.Holder))
    assert statuses == ["done", "done"]  # neither collided with the other and had to be retried
    assert accounts == 4 and holders == 1  # the login's data once, not twice, not half


async def test_first_connections_of_one_user_at_once_share_one_login(
    store_url: str, clock: ManualClock
) -> None:
    """Another process is saving this user's first connection (its transaction not yet committed) when a
    second connection of the same user arrives: the second waits and uses the same login, no 500."""
    app = create_app(toolbox_spec(store_url), TEST_SETTINGS, clock)
    async with app.router.lifespan_context(app):
        ctx = app.state.ctx
        login_id = sessions._login_id(ctx, "FlinksCapital", "greatday_nomfa", "en")
        inserted, release = threading.Event(), threading.Event()

        def other_process() -> None:
            with ctx.store.write() as db:
                db.add(
                    tables.Login(id=login_id, institution="FlinksCapital", username="greatday_nomfa",
                                 language="en", last_refresh=None, last_error_code=None,
                                 created_at=clock.now())
                )  # fmt: skip
                db.flush()
                inserted.set()
                release.wait(timeout=30)

        other = threading.Thread(target=other_process)
        other.start()
        assert inserted.wait(timeout=30)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toolbox.test") as http:
            authorize = asyncio.create_task(Flinks(http).authorize({**NOMFA, "MostRecentCached": False}))
            await asyncio.sleep(0.5)
            assert not authorize.done()  # it waits for the other transaction
            release.set()
            answer = await authorize
        other.join(timeout=30)
        with ctx.store.read() as db:
            logins = list(db.scalars(select(tables.Login.id)))
    assert answer.status_code == 200, answer.text
    assert answer.json()["Login"]["Id"] == login_id
    assert logins == [login_id]
