"""The store: migrations, the residency stamp, money as integers, and exclusive job claiming."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import bindparam, event, func, insert, inspect, select, text, update
from sqlalchemy.exc import OperationalError

from finstance.app import schema
from finstance.connect import tables
from finstance.connect.tables import SessionState
from finstance.core import jobs
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.instance import Settings, toolbox_spec
from finstance.core.states import JobStatus
from finstance.core.store import Store
from finstance.core.store import tables as core_tables
from finstance.core.store.engine import HOT_CONNECTIONS, NeedsRow, WouldWait, head_revision, read_by_key
from finstance.core.store.stamp import ResidencyViolation, ensure_stamp
from tests.conftest import BACKENDS, PG_URL, PostgresDatabases, sqlite_url

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def test_the_head_revision_is_the_newest_migration() -> None:
    """The store's newest revision is a constant, so that reading a store's revision loads no migration
    environment; it must name what Alembic finds newest among the migrations (bump it with each one)."""
    from alembic.script import ScriptDirectory

    from finstance.core.store.engine import _alembic_config

    assert head_revision() == ScriptDirectory.from_config(_alembic_config()).get_current_head()


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


def _structure(store: Store) -> dict[str, object]:
    """Every table's columns, keys, indexes and constraints as the database itself reports them (columns by
    name: a migration that adds one puts it last)."""
    found = inspect(store.engine)
    columns = found.get_columns
    out: dict[str, object] = {}
    for table in sorted(found.get_table_names()):
        out[table] = (
            sorted((c["name"], str(c["type"]), c["nullable"], c.get("default")) for c in columns(table)),
            found.get_pk_constraint(table),
            sorted(str(fk) for fk in found.get_foreign_keys(table)),
            sorted(str(ix) for ix in found.get_indexes(table)),
            sorted(str(uq) for uq in found.get_unique_constraints(table)),
            sorted(str(ck) for ck in found.get_check_constraints(table)),
        )
    return out


@pytest.fixture(params=BACKENDS)
def two_empty_stores(
    request: pytest.FixtureRequest, tmp_path: Path, postgres: PostgresDatabases | None
) -> Iterator[tuple[str, str]]:
    """Two stores with no table at all (the usual PostgreSQL test database is a copy of a migrated one)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "built.db"), sqlite_url(tmp_path / "migrated.db")
        return
    assert postgres is not None
    names = [postgres.create(empty=True) for _ in range(2)]
    try:
        yield postgres.url(names[0]), postgres.url(names[1])
    finally:
        for name in names:
            postgres.drop(name)


def test_a_new_store_built_from_the_models_equals_one_built_by_the_migrations(
    two_empty_stores: tuple[str, str],
) -> None:
    """Serving and `finstance db upgrade` build an empty store from the whole schema in one step: the same
    tables, columns, defaults, keys, indexes and constraints as running every migration, at the same
    revision."""
    built, migrated = Store(two_empty_stores[0]), Store(two_empty_stores[1])
    try:
        assert built.revision() is None and not inspect(built.engine).get_table_names()
        built.migrate(schema=schema())
        migrated.migrate()
        assert built.revision() == migrated.revision() == head_revision()
        assert _structure(built) == _structure(migrated)
        with built.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, schema()) == []
        built.migrate(schema=schema())  # at the newest revision: nothing to do
        assert built.revision() == head_revision()
    finally:
        built.dispose()
        migrated.dispose()


def test_a_store_with_tables_is_migrated_even_when_the_whole_schema_is_given(sqlite_store_url: str) -> None:
    """Only a store with no table is built from the models: one at an older revision runs the migrations it
    lacks, each of which moves the recorded revision."""
    store = Store(sqlite_store_url)
    steps: list[str] = []
    try:
        with store.engine.begin() as conn:
            conn.execute(text("CREATE TABLE kept (id INTEGER PRIMARY KEY)"))
            conn.execute(text("INSERT INTO kept (id) VALUES (7)"))

        @event.listens_for(store.engine, "before_cursor_execute")
        def _seen(conn: object, cursor: object, statement: str, *args: object) -> None:
            if statement.startswith("UPDATE alembic_version"):
                steps.append(statement)

        store.migrate(schema=schema())
        assert store.revision() == head_revision()
        assert len(steps) >= 10  # one per migration after the first
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT id FROM kept")).scalar_one() == 7
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
    through the connection the thread keeps between reads, with no BEGIN or ROLLBACK around it. On SQLite the
    statements are those the driver runs (its trace), since a write's BEGIN goes to the driver directly."""
    store = Store(store_url)
    store.migrate()
    store.engine.dispose()  # the connections from here on are traced
    sent: list[str] = []

    def trace(statement: str) -> None:
        sent.append(statement.split()[0].upper())

    if store.backend == "sqlite":
        event.listen(store.engine, "connect", lambda dbapi, _: dbapi.set_trace_callback(trace))
    else:
        event.listen(store.engine, "before_cursor_execute", lambda *args: trace(args[2]))
    count = select(func.count()).select_from(core_tables.WebhookEndpoint)
    seen, used = [], []
    try:
        for n in range(3):
            with store.connection() as conn:
                sent.append("read:")
                seen.append(conn.execute(count).scalar_one())
                sent.append(":read")
                used.append(conn)
            with store.write() as db:
                db.add(core_tables.WebhookEndpoint(id=f"e{n}", url=f"https://x.test/{n}", created_at=NOW))
    finally:
        store.dispose()
    assert seen == [0, 1, 2]
    assert used[0] is used[1] is used[2] and used[0].closed  # kept between reads, closed by dispose
    reads = " ".join(sent).split("read:")[1:]
    assert [read.split(":read")[0].split() for read in reads] == [["SELECT"]] * 3
    if store.backend == "sqlite":  # and the writes' transactions are there to see
        assert [s for s in sent if s in ("BEGIN", "COMMIT", "INSERT")] == ["BEGIN", "INSERT", "COMMIT"] * 3


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


def test_a_store_keeps_at_most_a_few_hot_connections(store_url: str) -> None:
    """Reads at once beyond ``HOT_CONNECTIONS`` borrow from the pool and give back: the pool keeps the
    rest of its connections for the writes."""
    store = Store(store_url)
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


def test_first_reads_a_row_exactly_as_sqlalchemy_does(store_url: str) -> None:
    """``Store.first`` runs a statement on SQLite's driver itself: every value comes back as SQLAlchemy
    would give it (GUIDs, enums, UTC datetimes, JSON, bytes, NULLs), and a missing row is None."""
    store = Store(store_url)
    store.migrate()
    j, e = core_tables.Job, core_tables.OutboxEvent
    statement = (
        select(j.id, j.status, j.run_after, j.finished_at, j.payload, j.attempts, e.body, e.created_at)
        .select_from(j)
        .outerjoin(e, e.login_id == j.login_id)
        .where(j.id == bindparam("job"))
    )
    login, other = "6f1c2b8e-7d4a-4e9b-9c3d-2a1b0c9d8e7f", "7a2d3c9f-8e5b-4fac-8d4e-3b2c1dae9f80"
    done, pending = "0b6f2c1e-8a7d-4c3b-9e2f-1d0c9b8a7f6e", "1c7e3d2f-9b8e-4d4c-8f3e-2e1d0cac9b8f"
    body = b'{"x":\x00"\xff"}'
    try:
        with store.write() as db:
            payload = {"Days": 90, "\u00dcn\u00efcode": ["\u00e9", None]}
            db.add(core_tables.Job(id=done, kind="aggregate", login_id=login, status=JobStatus.DONE,
                                   run_after=NOW, attempts=2, created_at=NOW, payload=payload))  # fmt: skip
            db.add(core_tables.Job(id=pending, kind="aggregate", login_id=other, status=JobStatus.PENDING,
                                   run_after=NOW, created_at=NOW, payload={}))  # fmt: skip
            event_id, later = "2d8f4e3a-ac9f-4e5d-9a4f-3f2e1dbdac9a", NOW + timedelta(seconds=1)
            event = core_tables.OutboxEvent(id=event_id, type="KYC", login_id=login, body=body, seq=0)
            event.created_at = later
            db.add(event)
        for job in (done, pending):
            fast = store.first(statement, {"job": job})
            with store.read() as db:
                row = db.execute(statement, {"job": job}).first()
            assert row is not None and fast == tuple(row)
            assert [type(v) for v in fast] == [type(v) for v in row]
        assert store.first(statement, {"job": done}) == (
            done,
            JobStatus.DONE,
            NOW,
            None,
            payload,
            2,
            body,
            later,
        )
        assert fast[1] is JobStatus.PENDING and fast[6] is None  # the other login has no event
        assert store.first(statement, {"job": "3e9a5f4b-bdaa-4f6e-8b5a-4a3f2ecebdab"}) is None
        # A row read before and changed since comes back changed: what is kept is the conversion of the
        # driver's values, never a row in place of a read.
        with store.write() as db:
            row_of_done = db.get(core_tables.Job, done)
            assert row_of_done is not None
            row_of_done.status, row_of_done.finished_at = JobStatus.FAILED, later
            row_of_done.payload = {"Days": 365}
        changed = store.first(statement, {"job": done})
        assert changed is not None and changed[1:5] == (JobStatus.FAILED, NOW, later, {"Days": 365})
    finally:
        store.dispose()


@pytest.mark.skipif(not PG_URL, reason="needs FINSTANCE_TEST_POSTGRES_URL")
def test_a_hot_read_on_a_connection_the_server_dropped_is_read_again_on_a_checked_one(
    postgres: PostgresDatabases | None,
) -> None:
    """PostgreSQL: the connections hot reads keep are not pinged before each read. When the server has
    dropped them (a restart), the read still answers, on a pooled connection that is checked first, and the
    dropped ones are given up."""
    assert postgres is not None
    name = postgres.create()
    store = Store(postgres.url(name))
    job = "0b6f2c1e-8a7d-4c3b-9e2f-1d0c9b8a7f6e"
    statement = select(core_tables.Job.status).where(core_tables.Job.id == bindparam("job"))
    try:
        with store.write() as db:
            db.add(core_tables.Job(id=job, kind="aggregate", login_id=job, status=JobStatus.DONE,
                                   run_after=NOW, created_at=NOW, payload={}))  # fmt: skip
        with contextlib.ExitStack() as stack:  # every kept connection in use once
            for _ in range(HOT_CONNECTIONS):
                stack.enter_context(store.connection())
        assert store.first(statement, {"job": job}) == (JobStatus.DONE,)
        with store.write() as db:
            terminated = db.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        assert terminated >= HOT_CONNECTIONS
        for _ in range(HOT_CONNECTIONS + 1):
            assert store.first(statement, {"job": job}) == (JobStatus.DONE,)
        with store.connection() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        store.dispose()
        postgres.drop(name)


def test_a_transaction_without_waiting_takes_a_free_lock_and_never_waits_for_a_taken_one(
    sqlite_store_url: str,
) -> None:
    """What the event loop's writes rely on: with the lock free the transaction commits on a connection the
    thread keeps; with another connection (a thread, another process) holding it, it raises WouldWait at
    once, having written nothing, and the store's other transactions still wait as they always did."""
    store = Store(sqlite_store_url)
    try:
        with store.transaction() as conn:
            conn.execute(text("CREATE TABLE marks (n INTEGER)"))
        count = text("SELECT count(*) FROM marks")
        with store.without_waiting():
            with store.transaction() as conn:
                conn.execute(text("INSERT INTO marks VALUES (1)"))
            with store.transaction() as again:
                assert again is conn  # the thread's own connection, kept
                again.execute(text("INSERT INTO marks VALUES (2)"))
            with contextlib.suppress(ZeroDivisionError), store.transaction() as failing:
                failing.execute(text("INSERT INTO marks VALUES (3)"))
                raise ZeroDivisionError  # rolled back
            with pytest.raises(WouldWait), store.write():
                pytest.fail("an ORM write is not one that runs without waiting")
        with store.read() as db:
            assert db.execute(count).scalar() == 2

        holder = store.engine.raw_connection()  # another writer holds the lock for a while
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("INSERT INTO marks VALUES (4)")
        started = time.monotonic()
        with store.without_waiting(), pytest.raises(WouldWait), store.transaction() as conn:
            conn.execute(text("INSERT INTO marks VALUES (5)"))
        assert time.monotonic() - started < 0.5, "it did not wait for the lock"
        released = threading.Timer(0.3, holder.commit)
        released.start()
        started = time.monotonic()
        with store.transaction() as conn:  # outside the block: waits for the lock, as before
            conn.execute(text("INSERT INTO marks VALUES (6)"))
        assert time.monotonic() - started >= 0.25
        released.join()
        holder.close()
        with store.without_waiting(), store.transaction() as conn:  # the lock is free again
            conn.execute(text("INSERT INTO marks VALUES (7)"))
        with store.read() as db:
            assert sorted(db.execute(text("SELECT n FROM marks")).scalars()) == [1, 2, 4, 6, 7]
    finally:
        store.dispose()


def test_only_sqlite_writes_run_without_waiting(store_url: str) -> None:
    store = Store(store_url)
    try:
        if store.backend == "sqlite":
            with store.without_waiting():
                pass
        else:
            with pytest.raises(WouldWait), store.without_waiting():
                pytest.fail("a PostgreSQL write may always wait on its server")
    finally:
        store.dispose()


def test_change_on_writes_values_exactly_as_sqlalchemy_does_in_the_transaction(store_url: str) -> None:
    """``Store.change_on`` runs an UPDATE on the driver itself, in the transaction it is given: the stored
    values are those SQLAlchemy stores (enums, UTC datetimes, JSON), its count is the rows changed, what
    ``first_on`` reads in the same transaction sees it, and a rollback takes it back."""
    store = Store(store_url)
    store.migrate()
    j = core_tables.Job.__table__
    statement = (
        update(j)
        .where(j.c.id == bindparam("job"), j.c.status == bindparam("was"))
        .values(
            status=bindparam("status"),
            run_after=bindparam("at"),
            finished_at=func.coalesce(j.c.finished_at, bindparam("at")),  # "at" again, untyped here
            payload=bindparam("payload"),
        )
    )
    read = select(j.c.status, j.c.run_after, j.c.payload).where(j.c.id == bindparam("job"))
    raw = text("SELECT status, run_after, finished_at, payload FROM jobs WHERE id = :job")
    ours, theirs = "6f1c2b8e-7d4a-4e9b-9c3d-2a1b0c9d8e7f", "7a2d3c9f-8e5b-4fac-8d4e-3b2c1dae9f80"
    later = NOW + timedelta(hours=1, microseconds=7)
    change = {
        "was": JobStatus.PENDING,
        "status": JobStatus.FAILED,
        "at": later,
        "payload": {"\u00e9": [1, None]},
    }
    try:
        with store.write() as db:
            for job in (ours, theirs):
                db.add(core_tables.Job(id=job, kind="aggregate", login_id=job, status=JobStatus.PENDING,
                                       run_after=NOW, created_at=NOW, payload={}))  # fmt: skip
        with store.transaction() as conn:
            assert store.change_on(conn, statement, {"job": ours, **change}) == 1
            assert conn.execute(statement, {"job": theirs, **change}).rowcount == 1
            assert store.change_on(conn, statement, {"job": ours, **change}) == 0  # no longer PENDING
            assert store.first_on(conn, read, {"job": ours}) == (JobStatus.FAILED, later, change["payload"])
        with store.read() as db:
            stored = [tuple(db.execute(raw, {"job": job}).one()) for job in (ours, theirs)]
        assert stored[0] == stored[1]
        with contextlib.suppress(ZeroDivisionError), store.transaction() as conn:
            back = {**change, "was": JobStatus.FAILED, "status": JobStatus.DONE}
            assert store.change_on(conn, statement, {"job": ours, **back}) == 1
            raise ZeroDivisionError
        assert store.first(read, {"job": ours}) == (JobStatus.FAILED, later, change["payload"])
    finally:
        store.dispose()


def test_insert_on_stores_rows_exactly_as_sqlalchemy_does(store_url: str) -> None:
    """``Store.insert_on`` runs an INSERT on the driver itself: the row it stores is the row SQLAlchemy stores
    for the same values (enums, UTC datetimes, JSON, None in a JSON column), the columns left out take the
    same defaults (a constant one, and the store's), a literal in a subquery keeps its value, and a column
    whose default SQLAlchemy would compute by a call is refused rather than left out."""
    store = Store(store_url)
    store.migrate(schema=schema())
    statement = insert(tables.Session.__table__).values(
        job_id=jobs.latest_job_id_of(bindparam("job_login"))
    )  # LIMIT 1 inside
    raw = text("SELECT * FROM sessions WHERE id = :id")
    login = "5e0b1a7d-6c39-4d8a-8b2c-190a9fbc8d6e"
    values = {
        "login_id": login,
        "job_login": login,
        "institution": "FlinksCapital",
        "username": "Greatday",
        "language": "fr",
        "tag": "\u00e9t\u00e9",
        "live": False,
        "save": True,
        "schedule_refresh": False,
        "collect": None,
        "state": SessionState.AUTHORIZED,
        "challenge": [],
        "mfa_step": 0,
        "created_at": NOW,
        "last_activity_at": NOW + timedelta(microseconds=7),
    }
    ours, theirs = "0d3c5b9a-1e2f-4a6b-8c7d-9e0f1a2b3c4d", "1e4d6c0b-2f3a-4b7c-9d8e-0f1a2b3c4d5e"
    try:
        with store.write() as db:
            for n, job in enumerate(
                ("2f5e7d1c-3a4b-4c8d-8e9f-1a2b3c4d5e6f", "3a6f8e2d-4b5c-4d9e-9fa0-2b3c4d5e6f70")
            ):
                at = NOW + timedelta(seconds=n)
                db.add(core_tables.Job(id=job, kind="aggregate", login_id=login, status=JobStatus.DONE,
                                       run_after=NOW, created_at=at, payload={}))  # fmt: skip
        with store.transaction() as conn:
            store.insert_on(conn, statement, {"id": ours, **values})
            conn.execute(statement, {"id": theirs, **values})
            with pytest.raises(ValueError, match="mfa_answers"):
                store.insert_on(conn, insert(tables.Login.__table__), {"id": login, "created_at": NOW})
        with store.read() as db:
            stored = [db.execute(raw, {"id": row}).mappings().one() for row in (ours, theirs)]
        assert {**stored[0], "id": theirs} == dict(stored[1])
        assert stored[0]["job_id"] == "3a6f8e2d-4b5c-4d9e-9fa0-2b3c4d5e6f70"  # the newest of the two
        assert stored[0]["failed_answers"] == 0
        assert stored[0]["detail_options"] is None
        with store.read() as db:
            copy = db.get(tables.Session, ours)
            assert copy is not None
            assert (copy.state, copy.challenge, copy.collect, copy.tag) == (
                SessionState.AUTHORIZED,
                [],
                None,
                "\u00e9t\u00e9",
            )
            assert copy.last_activity_at == NOW + timedelta(microseconds=7)
    finally:
        store.dispose()


async def test_reading_ahead_answers_from_rows_fetched_on_the_loop_and_reaches_the_store_nowhere_else(
    store_url: str,
) -> None:
    """Within ``reading_ahead`` a hot read answers from the rows fetched so far, and asks for the one it
    needs (NeedsRow); anything else that would reach the store refuses (WouldWait). On PostgreSQL the row is
    fetched on the event loop, converted as ``first`` converts it; SQLite's reads are not fetched ahead."""
    store = Store(store_url)
    store.migrate()
    j = core_tables.Job.__table__
    read = select(j.c.status, j.c.run_after, j.c.payload).where(j.c.id == bindparam("job"))
    job = "6f1c2b8e-7d4a-4e9b-9c3d-2a1b0c9d8e7f"
    try:
        with store.write() as db:
            db.add(core_tables.Job(id=job, kind="aggregate", login_id=job, status=JobStatus.PENDING,
                                   run_after=NOW, created_at=NOW, payload={"\u00e9": [1, None]}))  # fmt: skip
        rows: dict[object, object] = {}
        with store.reading_ahead(rows):
            with pytest.raises(NeedsRow) as needed:
                store.first(read, {"job": job})
            for reach in (store.read, store.write, store.transaction, store.connection):
                with pytest.raises(WouldWait), reach():
                    pytest.fail("the store was reached while reading ahead")
        assert store.first(read, {"job": job}) == (JobStatus.PENDING, NOW, {"\u00e9": [1, None]})  # after it
        if store.backend == "sqlite":
            with pytest.raises(WouldWait):
                await store.fetch_ahead(rows, needed.value)
            return
        await store.fetch_ahead(rows, needed.value)
        with store.reading_ahead(rows):
            assert store.first(read, {"job": job}) == (JobStatus.PENDING, NOW, {"\u00e9": [1, None]})
            with pytest.raises(NeedsRow):
                store.first(read, {"job": "7a2d3c9f-8e5b-4fac-8d4e-3b2c1dae9f80"})
        missing = NeedsRow(read, {"job": "7a2d3c9f-8e5b-4fac-8d4e-3b2c1dae9f80"})
        await store.fetch_ahead(rows, missing)
        with store.reading_ahead(rows):
            assert store.first(read, {"job": "7a2d3c9f-8e5b-4fac-8d4e-3b2c1dae9f80"}) is None
    finally:
        store.dispose()


async def test_reads_by_key_made_at_once_on_the_loop_are_fetched_by_one_statement(store_url: str) -> None:
    """Off SQLite, the reads of a statement marked ``read_by_key`` that wait on the event loop at the same
    time are fetched by one statement for all their keys: each gets its own row (None for a key with none),
    a key asked twice is fetched once, and the rows are converted as ``first`` converts them."""
    store = Store(store_url)
    store.migrate()
    j = core_tables.Job.__table__
    read = read_by_key(
        select(j.c.status, j.c.run_after, j.c.payload).where(j.c.id == bindparam("job")), "job"
    )
    ours, theirs, none = (
        "6f1c2b8e-7d4a-4e9b-9c3d-2a1b0c9d8e7f",
        "7a2d3c9f-8e5b-4fac-8d4e-3b2c1dae9f80",
        "8b3e4d0a-9f6c-4abd-9e5f-4c3d2ebfa091",
    )
    try:
        with store.write() as db:
            for n, job in enumerate((ours, theirs)):
                db.add(core_tables.Job(id=job, kind="aggregate", login_id=job, status=JobStatus.PENDING,
                                       run_after=NOW, created_at=NOW, payload={"n": n}))  # fmt: skip
        needs = [NeedsRow(read, {"job": job}) for job in (ours, theirs, ours, none)]
        rows: dict[object, object] = {}
        if store.backend == "sqlite":
            with pytest.raises(WouldWait):
                await store.fetch_ahead(rows, needs[0])
            return
        ahead = store._ahead
        assert ahead is not None
        statements: list[str] = []
        fetch = ahead._fetch_batch

        async def counted(sql: str) -> None:
            statements.append(sql)
            await fetch(sql)

        ahead._fetch_batch = counted  # type: ignore[method-assign]
        await asyncio.gather(*(store.fetch_ahead(rows, need) for need in needs))
        assert len(statements) == 1 and "ANY" in statements[0]
        with store.reading_ahead(rows):
            assert store.first(read, {"job": ours}) == (JobStatus.PENDING, NOW, {"n": 0})
            assert store.first(read, {"job": theirs}) == (JobStatus.PENDING, NOW, {"n": 1})
            assert store.first(read, {"job": none}) is None
        assert store.first(read, {"job": theirs}) == (
            JobStatus.PENDING,
            NOW,
            {"n": 1},
        )  # the same, read plainly
        await store.fetch_ahead(rows, NeedsRow(read, {"job": theirs}))  # a later turn: a statement of its own
        assert len(statements) == 2
    finally:
        store.dispose()
