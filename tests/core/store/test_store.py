"""The store: migrations, the residency stamp, money as integers, and exclusive job claiming."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.exc import OperationalError

from finstance.connect import tables
from finstance.core import jobs
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.instance import Settings, toolbox_spec
from finstance.core.store import Store
from finstance.core.store import tables as core_tables
from finstance.core.store.engine import HOT_CONNECTIONS
from finstance.core.store.stamp import ResidencyViolation, ensure_stamp

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def test_migrations_create_every_table_and_are_idempotent(store_url: str) -> None:
    store = Store(store_url)
    try:
        store.migrate()
        store.migrate()
        tables = set(inspect(store.engine).get_table_names())
        assert set(core_tables.Base.metadata.tables) <= tables
        assert "alembic_version" in tables
    finally:
        store.dispose()


def test_a_store_refuses_an_instance_it_was_not_stamped_for(store_url: str, clock: ManualClock) -> None:
    store = Store(store_url)
    try:
        store.migrate()
        spec = toolbox_spec(store_url)
        ensure_stamp(store, spec, clock.now())
        ensure_stamp(store, spec, clock.now())  # the same instance again is fine
        other_country = toolbox_spec(store_url).__class__(
            **{**{f: getattr(spec, f) for f in spec.__dataclass_fields__}, "country": Country.US}
        )
        with pytest.raises(ResidencyViolation, match="belongs to instance 'toolbox'"):
            ensure_stamp(store, other_country, clock.now())
        other_name = spec.__class__(
            **{**{f: getattr(spec, f) for f in spec.__dataclass_fields__}, "name": "acme-ca"}
        )
        with pytest.raises(ResidencyViolation):
            ensure_stamp(store, other_name, clock.now())
    finally:
        store.dispose()


def _ctx(store_url: str, clock: ManualClock, worker: str) -> InstanceContext:
    store = Store(store_url)
    return InstanceContext(
        toolbox_spec(store_url), store, clock, Settings(run_worker=False), worker_name=worker
    )


def test_a_due_job_is_claimed_by_exactly_one_of_many_concurrent_claimers(
    store_url: str, clock: ManualClock
) -> None:
    setup = _ctx(store_url, clock, "setup")
    setup.store.migrate()
    with setup.store.write() as db:
        job_ids = [
            jobs.enqueue(
                setup,
                db,
                kind="noop",
                login_id=setup.spec.ids.random(),
                request_id=None,
                run_after=clock.now(),
            ).id
            for _ in range(20)
        ]
    claimers = [_ctx(store_url, clock, f"w{i}") for i in range(4)]
    wins: dict[str, list[str]] = {c.worker_name: [] for c in claimers}
    barrier = threading.Barrier(len(claimers))

    def race(ctx: InstanceContext) -> None:
        barrier.wait()
        for job_id in job_ids:
            if jobs.claim(ctx, job_id):
                wins[ctx.worker_name].append(job_id)

    threads = [threading.Thread(target=race, args=(c,)) for c in claimers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [j for won in wins.values() for j in won]
    assert sorted(claimed) == sorted(job_ids)  # every job claimed once, none twice
    with setup.store.read() as db:
        assert db.scalar(select(func.count()).where(core_tables.Job.status == "running")) == 20
    for c in [setup, *claimers]:
        c.store.dispose()


def test_a_job_whose_claimer_died_is_claimed_again_after_its_lease(
    store_url: str, clock: ManualClock
) -> None:
    ctx = _ctx(store_url, clock, "first")
    ctx.store.migrate()
    with ctx.store.write() as db:
        job = jobs.enqueue(
            ctx, db, kind="noop", login_id=ctx.spec.ids.random(), request_id=None, run_after=clock.now()
        )
    assert jobs.claim(ctx, job.id)
    second = InstanceContext(ctx.spec, ctx.store, clock, ctx.settings, worker_name="second")
    assert not jobs.claim(second, job.id)
    clock.advance(ctx.settings.job_lease + timedelta(seconds=1))
    assert jobs.claim(second, job.id)
    ctx.store.dispose()


def test_a_job_is_not_claimed_before_it_is_due(store_url: str, clock: ManualClock) -> None:
    ctx = _ctx(store_url, clock, "w")
    ctx.store.migrate()
    with ctx.store.write() as db:
        job = jobs.enqueue(
            ctx,
            db,
            kind="noop",
            login_id=ctx.spec.ids.random(),
            request_id=None,
            run_after=clock.now() + timedelta(seconds=5),
        )
    assert not jobs.claim(ctx, job.id)
    clock.advance(5)
    assert jobs.claim(ctx, job.id)
    ctx.store.dispose()


def test_money_sums_exactly_on_every_backend(store_url: str, clock: ManualClock) -> None:
    """Cents are integers: a SUM is exact on SQLite too (a REAL column would drift)."""
    ctx = _ctx(store_url, clock, "w")
    ctx.store.migrate()
    login_id = ctx.spec.ids.random()
    with ctx.store.write() as db:
        db.add(
            tables.Login(
                id=login_id,
                institution="FlinksCapital",
                username="u",
                language="en",
                login_type="Personal",
                is_scheduled_refresh=False,
                mfa_answers={},
                created_at=clock.now(),
            )
        )
        db.flush()
        db.add(
            tables.Account(
                id=ctx.spec.ids.random(),
                login_id=login_id,
                position=0,
                title="t",
                account_number="1",
                category="Operations",
                type="Chequing",
                currency="CAD",
                account_type="Personal",
                balance_current=0,
                eft_eligible_ratio=1.0,
                etransfer_eligible_ratio=1.0,
            )
        )
        db.flush()
        account_id = db.scalar(select(tables.Account.id))
        for i in range(1000):
            db.add(
                tables.Transaction(
                    account_id=account_id,
                    id=f"t{i}",
                    date=clock.now().date(),
                    seq=i,
                    description="x",
                    debit=811,
                    credit=None,
                    balance=0,
                )
            )
    with ctx.store.read() as db:
        assert db.scalar(select(func.sum(tables.Transaction.debit))) == 811_000
    ctx.store.dispose()


def test_a_hot_read_sees_every_commit_and_sends_no_transaction_statements(store_url: str) -> None:
    """``Store.connection`` reads in autocommit: each statement sees what was committed before it, on SQLite
    through the connection the thread keeps between reads, with no BEGIN or ROLLBACK around it."""
    store = Store(store_url)
    store.migrate()
    sent: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: sent.append(args[2].split()[0].upper()))
    count = select(func.count()).select_from(core_tables.WebhookEndpoint)
    seen, used = [], []
    try:
        for n in range(3):
            with store.connection() as conn:
                seen.append(conn.execute(count).scalar_one())
                used.append(conn)
            with store.write() as db:
                db.add(core_tables.WebhookEndpoint(id=f"e{n}", url=f"https://x.test/{n}", created_at=NOW))
        reads = [statement for statement in sent if statement != "INSERT"]
    finally:
        store.dispose()
    assert seen == [0, 1, 2]
    if store.backend == "sqlite":
        assert used[0] is used[1] is used[2] and used[0].closed  # kept between reads, closed by dispose
        assert reads == [
            "SELECT",
            "BEGIN",
            "SELECT",
            "BEGIN",
            "SELECT",
            "BEGIN",
        ]  # the BEGINs are the writes'
    else:
        assert len({id(conn) for conn in used}) == 3
        assert reads == ["SELECT"] * 3


def test_a_failed_hot_read_gives_its_connection_up(sqlite_store_url: str) -> None:
    store = Store(sqlite_store_url)
    store.migrate()
    broken = text("SELECT * FROM no_such_table")
    try:
        with store.connection() as first:
            pass
        with pytest.raises(OperationalError), store.connection() as conn:
            conn.execute(broken)
        assert first.closed
        with store.connection() as conn:
            assert conn is not first and conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        store.dispose()


def test_a_sqlite_store_keeps_at_most_a_few_hot_connections(sqlite_store_url: str) -> None:
    """Reads at once beyond ``HOT_CONNECTIONS`` borrow from the pool and give back: the pool keeps the
    rest of its connections for the writes."""
    store = Store(sqlite_store_url)
    store.migrate()
    try:
        with contextlib.ExitStack() as stack:
            opened = [stack.enter_context(store.connection()) for _ in range(HOT_CONNECTIONS + 2)]
            assert all(conn.execute(text("SELECT 1")).scalar_one() == 1 for conn in opened)
            assert store.engine.pool.checkedout() == HOT_CONNECTIONS + 2  # type: ignore[attr-defined]
        assert store.engine.pool.checkedout() == HOT_CONNECTIONS  # type: ignore[attr-defined]
        with store.connection() as again:
            assert again in opened[:HOT_CONNECTIONS]
    finally:
        store.dispose()
