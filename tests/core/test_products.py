"""Products plug into the core by declaration: create_app mounts those the instance's country gets, runs
their jobs, ticks and sweeps, asks each to forget a login on DeleteCard, and answers a product the country
does not get with METHOD_NOT_AVAILABLE naming the reason."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy.orm import Session as DbSession

from finstance.app import PRODUCTS, create_app, products_of
from finstance.connect.product import PRODUCT as CONNECT
from finstance.core import jobs, worker
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.http.app import build_app
from finstance.core.instance import InstanceSpec, Settings, toolbox_spec
from finstance.core.product import Product, check_products
from finstance.core.states import JobStatus
from finstance.core.store import Store
from finstance.core.store.tables import Job
from tests.conftest import TEST_SETTINGS, us_spec, wait_for
from tests.flinks import Flinks


@dataclass
class Calls:
    jobs: list[str] = field(default_factory=list)
    ticks: int = 0
    forgotten: list[str] = field(default_factory=list)
    sweeps: int = 0


def probe(calls: Calls, countries: frozenset[Country] = frozenset({Country.CA})) -> Product:
    """A product of the test's own: one route, one job kind, a tick, a forget and a sweep."""
    router = APIRouter()

    @router.get("/probe/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "probe"}

    def run(ctx: InstanceContext, job: Job) -> None:
        calls.jobs.append(job.login_id)
        with ctx.store.write() as db:
            jobs.complete(db, job.id, ctx.clock.now())

    def tick(ctx: InstanceContext) -> None:
        calls.ticks += 1

    def forget(ctx: InstanceContext, db: DbSession, login_id: str) -> None:
        calls.forgotten.append(login_id)

    def sweep(ctx: InstanceContext) -> None:
        calls.sweeps += 1

    return Product(
        name="probe",
        title="Probe",
        countries=countries,
        paths=("/probe",),
        routers=(router,),
        jobs={"probe.run": run},
        events=("ProbeEvent",),
        forget=forget,
        tick=tick,
        sweep=sweep,
    )


@asynccontextmanager
async def served(
    spec: InstanceSpec, products: tuple[Product, ...], clock: ManualClock, settings: Settings = TEST_SETTINGS
) -> AsyncIterator[tuple[InstanceContext, httpx.AsyncClient]]:
    app = build_app(spec, products, settings, clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://instance.test") as http:
            yield app.state.ctx, http


async def test_a_product_the_country_gets_is_mounted_with_its_jobs_ticks_and_forget(
    store_url: str, clock: ManualClock
) -> None:
    calls = Calls()
    async with served(toolbox_spec(store_url), (CONNECT, probe(calls)), clock) as (ctx, http):
        assert [p.name for p in ctx.products] == ["connect", "probe"]
        hello = await http.get("/probe/hello")
        assert hello.status_code == 200 and hello.json() == {"hello": "probe"}
        assert "/probe/hello" in (await http.get("/openapi.json")).json()["paths"]

        flinks = Flinks(http)
        login_id = (await flinks.connect("greatday_nomfa"))["Login"]["Id"]
        with ctx.store.write() as db:
            jobs.enqueue(ctx, db, kind="probe.run", login_id=login_id, request_id=None, run_after=clock.now())
        clock.advance(timedelta(seconds=10))
        with httpx.Client() as client:
            worker.run_once(ctx, client)
        assert calls.jobs == [login_id] and calls.ticks == 1
        worker.sweep_memory(ctx)
        assert calls.sweeps == 1

        deleted = await http.delete(
            f"{flinks.prefix}/DeleteCard/{login_id}", headers={"x-api-key": flinks.api_key}
        )
        assert deleted.status_code == 200, deleted.text
        assert calls.forgotten == [login_id]


@pytest.mark.parametrize("in_process_worker", [False, True])
async def test_every_process_sweeps_on_its_own_while_it_serves(
    store_url: str, clock: ManualClock, in_process_worker: bool
) -> None:
    """An API process sweeps from its own thread; with a worker, the worker's does (never both). Passes of the
    worker, however many, do not sweep more often. Nothing sweeps once the app has stopped."""
    every = 0.05
    calls = Calls()
    settings = Settings(run_worker=in_process_worker, worker_poll_seconds=0.01, memory_sweep_seconds=every)
    before = sweepers()  # those of apps other tests keep for longer
    async with served(toolbox_spec(store_url), (CONNECT, probe(calls)), clock, settings):
        await wait_for(lambda: calls.sweeps >= 3)
        assert len(sweepers() - before) == 1
        if in_process_worker:
            started, ticks, sweeps = time.monotonic(), calls.ticks, calls.sweeps
            await wait_for(lambda: calls.ticks >= ticks + 20)  # twenty passes of the worker
            swept, passes = calls.sweeps - sweeps, calls.ticks - ticks
            assert swept < passes and swept <= (time.monotonic() - started) / every + 2
        else:
            assert calls.ticks == 0  # no worker
    assert not sweepers() - before
    stopped = calls.sweeps
    await asyncio.sleep(4 * every)
    assert calls.sweeps == stopped


@pytest.mark.parametrize(
    ("url", "shared"),
    [
        ("sqlite://", False),
        ("sqlite:///:memory:", False),
        ("sqlite:///{tmp}/instance.db", True),
    ],
)
def test_a_sweeper_runs_only_for_a_store_other_processes_can_open(
    url: str, shared: bool, tmp_path: Path, clock: ManualClock
) -> None:
    """An in-memory database has no other process to delete a login in it: nothing to sweep for."""
    spec = toolbox_spec(url.format(tmp=tmp_path))
    store = Store(spec.store_url)
    ctx = InstanceContext(spec=spec, store=store, clock=clock, settings=Settings(memory_sweep_seconds=0.01),
                          products=(CONNECT,))  # fmt: skip
    sweeper = worker.Sweeper(ctx)
    before = sweepers()
    try:
        assert store.shared is shared
        sweeper.start()
        assert len(sweepers() - before) == (1 if shared else 0)
    finally:
        sweeper.stop()
        store.dispose()
    assert not sweepers() - before


def sweepers() -> set[threading.Thread]:
    """The sweeper threads running now."""
    return {t for t in threading.enumerate() if t.name.startswith("finstance-sweeper-")}


async def test_a_product_the_country_does_not_get_answers_method_not_available(
    store_url: str, clock: ManualClock
) -> None:
    calls = Calls()
    async with served(us_spec(store_url), (CONNECT, probe(calls)), clock) as (ctx, http):
        assert [p.name for p in ctx.products] == ["connect"]
        for method, path in [
            ("GET", "/probe"),
            ("GET", "/probe/hello"),
            ("POST", "/probe/a/b"),
            ("DELETE", "/probe/x"),
        ]:
            answer = await http.request(method, path)
            assert answer.status_code == 400, (method, path)
            body = answer.json()
            assert body["FlinksCode"] == "METHOD_NOT_AVAILABLE" and body["HttpStatusCode"] == 400
            assert body["Message"].startswith(
                "Probe is not available on US instances: it serves CA end-users"
            )
        assert "/probe/hello" not in (await http.get("/openapi.json")).json()["paths"]
        # Its job kinds do not run here: a job of that kind fails instead of waiting forever.
        with ctx.store.write() as db:
            job = jobs.enqueue(
                ctx,
                db,
                kind="probe.run",
                login_id=ctx.spec.ids.random(),
                request_id=None,
                run_after=clock.now(),
            )
            job_id = job.id
        assert jobs.run_due(ctx) == 1
        with ctx.store.read() as db:
            assert db.get(Job, job_id).status is JobStatus.FAILED  # type: ignore[union-attr]
        assert calls == Calls()  # nothing of the product ran: no job, no tick, no forget


async def test_pay_is_refused_on_a_us_instance_and_mounted_on_a_canadian_one(
    store_url: str, clock: ManualClock
) -> None:
    app = create_app(us_spec(store_url), TEST_SETTINGS, clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://us.test") as http:
            for path in ("/pay", "/pay/api/v1/authorize", "/pay/api/v2/sessions"):
                answer = await http.post(path)
                assert answer.status_code == 400 and answer.json()["FlinksCode"] == "METHOD_NOT_AVAILABLE"
                assert "Pay is not available on US instances" in answer.json()["Message"]
    assert [p.name for p in products_of(us_spec(store_url))] == ["connect", "enrich", "upload", "outbound"]
    assert [p.name for p in products_of(toolbox_spec(store_url))] == [p.name for p in PRODUCTS]


def test_two_products_cannot_claim_one_name_job_kind_event_or_path() -> None:
    base = probe(Calls())
    check_products((CONNECT, base))
    clashes = {
        "product 'connect'": Product(name="connect", title="X", countries=frozenset(Country)),
        "job kind 'probe.run'": Product(name="x", title="X", countries=frozenset(Country), jobs=base.jobs),
        "event type 'ProbeEvent'": Product(
            name="x", title="X", countries=frozenset(Country), events=("ProbeEvent",)
        ),
        "path '/probe'": Product(name="x", title="X", countries=frozenset(Country), paths=("/probe",)),
    }
    for claim, other in clashes.items():
        with pytest.raises(ValueError, match=f"{claim} is declared by both"):
            check_products((CONNECT, base, other))


def test_a_declaration_must_serve_a_country_and_name_clean_paths() -> None:
    with pytest.raises(ValueError, match="serves no country"):
        Product(name="x", title="X", countries=frozenset())
    for path in ("probe", "/probe/"):
        with pytest.raises(ValueError, match="must start with '/' and not end with it"):
            Product(name="x", title="X", countries=frozenset(Country), paths=(path,))
