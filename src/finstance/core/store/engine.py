"""The store of one instance: an engine, sessions for reading and for writing, and migrations.

SQLite (the embedded default) runs in WAL mode. Write transactions start with ``BEGIN IMMEDIATE`` so that
two writers queue on the lock instead of failing when one upgrades a read transaction; read transactions
stay deferred and never block. PostgreSQL is used by URL (``postgresql+psycopg://``).

:func:`describe_store_error` says in one line why a store could not be opened (the server refused, no such
database, the password was refused...), for the commands that report it, without the URL's password.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import orjson
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Insert,
    MetaData,
    PrimaryKeyConstraint,
    Select,
    String,
    Table,
    Update,
    any_,
    bindparam,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex, CreateTable, ExecutableDDLElement
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

if TYPE_CHECKING:  # Alembic is loaded when a schema is read or changed, not by every command
    from alembic.config import Config

    from finstance.core.store.ahead import ReadAhead  # with psycopg, by PostgreSQL stores only

_IMMEDIATE = "finstance_immediate"
# Connections a SQLite store keeps open for hot reads (Store.connection): the event loop's fast lane and a
# few request threads; the pool keeps the rest of its connections for everything else.
HOT_CONNECTIONS = 4
_BUSY_TIMEOUT_MS = 30_000  # how long a SQLite write waits for the lock (a busy store is slow, not failing)
_MIGRATION_LOCK = 7_340_001  # PostgreSQL advisory lock key for migrations
# The newest migration in migrations/versions (a test holds it to Alembic's own answer).
HEAD_REVISION = "0014"


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


# JSON columns through orjson rather than the standard library's json: several times faster on the large
# values (statement contents, webhook bodies) written at aggregation.
_JSON = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}


def _sqlite_engine(url: str, echo: bool) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        hide_parameters=True,
        connect_args={"check_same_thread": False, "timeout": 30},
        **_JSON,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":  # Store.connection's one-statement reads
            return
        # On the driver's connection: through SQLAlchemy's execution (its context, events and result) the
        # BEGIN costs several times what it does here, and every transaction has one.
        conn.connection.dbapi_connection.execute(
            "BEGIN IMMEDIATE" if options.get(_IMMEDIATE, False) else "BEGIN"
        )

    return engine


class NeedsRow(Exception):
    """A read made while reading ahead (:meth:`Store.reading_ahead`) needs a row not fetched yet: fetch it
    (:meth:`Store.fetch_ahead`) and run the reader again."""

    def __init__(self, statement: Select[*tuple[Any, ...]], params: Mapping[str, Any]) -> None:
        super().__init__("a row to fetch first")
        self.statement = statement
        self.params = params


class WouldWait(Exception):
    """A write transaction asked not to wait (:meth:`Store.without_waiting`) would have to: SQLite's write
    lock is taken, or the write is not one that may run without waiting. Nothing was written."""


class _NoRowLogging(logging.Filter):
    """SQLAlchemy logs result rows at DEBUG: rows hold end-user data, so they never reach a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


def _guard_engine_logs() -> None:
    engine_logger = logging.getLogger("sqlalchemy.engine.Engine")
    if not any(isinstance(f, _NoRowLogging) for f in engine_logger.filters):
        engine_logger.addFilter(_NoRowLogging())


# A PostgreSQL store's pool, per process: the connections kept open between uses, and how many more it
# opens at a burst (closed once returned). A process's threads that use the store at once are few (the
# request threads, the fast lane's, the touch and worker threads), and a server's connections are shared by
# every process of every instance on it (PostgreSQL's default max_connections is 100): 8 API processes
# keeping 10 each, with their 2 read-ahead connections, filled it.
POOL_SIZE = 4
POOL_OVERFLOW = 12


def create_store_engine(url: str, *, echo: bool = False) -> Engine:
    _guard_engine_logs()
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, echo)
    if backend == "postgresql":
        return create_engine(
            url,
            echo=echo,
            hide_parameters=True,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            pool_pre_ping=True,  # a connection dropped by a server restart is replaced, not used
            pool_timeout=10,  # waiting longer for a connection than this is an outage (503), not a queue
            connect_args={"connect_timeout": 5},
            **_JSON,
        )
    raise ValueError(f"unsupported store backend {backend!r}: use sqlite:/// or postgresql+psycopg://")


# The statements a store runs on its driver (Store.first, first_on, change_on, insert_on).
Planned = Select[*tuple[Any, ...]] | Update | Insert


@dataclass(frozen=True, slots=True)
class _Plan:
    """A statement compiled for one backend's driver: its SQL, its parameters (by position on SQLite, by name
    on PostgreSQL) and their conversions, the values of the parameters a caller does not give (a literal
    such as a LIMIT, an INSERT's column default), and the conversions of the result columns whose driver
    value is not their value."""

    sql: str
    names: tuple[str, ...]
    binds: tuple[Callable[[Any], Any] | None, ...]
    positional: bool
    constants: Mapping[str, Any]
    results: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, conversion): columns that have one
    # SQLite's driver gives plain values, which key the rows converted lately (PostgreSQL's gives objects).
    # Each store has its own: the compiled rest is shared by the stores of a backend (_compiled).
    seen: dict[tuple[Any, ...], tuple[Any, ...]] | None

    @classmethod
    def of(cls, statement: Planned, dialect: Dialect, keys: tuple[str, ...] | None = None) -> _Plan:
        """``keys``: the columns an INSERT is given (the others take their defaults)."""
        compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None)
        positional = compiled.positiontup is not None
        names = tuple(compiled.positiontup if positional else compiled.binds)  # type: ignore[arg-type]
        # A name may be bound more than once (``now`` set and compared), not always with its type (an argument
        # of COALESCE has none): as SQLAlchemy does, a name's value is converted by the type it has somewhere.
        converters: dict[str, Callable[[Any], Any]] = {}
        for bind, name in compiled.bind_names.items():
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                converters.setdefault(name, convert)
        binds = tuple(converters.get(name) for name in names)
        constants: dict[str, Any] = {}
        for column in compiled.insert_prefetch:  # a column default SQLAlchemy computes in Python
            default = column.default
            if default is None or not default.is_scalar:
                raise ValueError(f"{column.key}: only a constant default is taken; give the column a value")
            constants[column.key] = default.arg  # type: ignore[attr-defined]
        for name in names:
            bind = compiled.binds[name]
            if name not in constants and bind.value is not None and not bind.required:  # a literal
                constants[name] = bind.value
        processors = (  # the columns selected, or returned
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.exported_columns
        )
        results = tuple((i, convert) for i, convert in enumerate(processors) if convert is not None)
        seen: dict[tuple[Any, ...], tuple[Any, ...]] | None = {} if dialect.name == "sqlite" else None
        return cls(str(compiled), names, binds, positional, constants, results, seen)

    def fetch(self, conn: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row of the statement run on the driver's cursor of ``conn``, as the driver gives it."""
        cursor = self._run(conn, params)
        try:
            raw: tuple[Any, ...] | None = cursor.fetchone()
        finally:
            cursor.close()
        return raw

    def change(self, conn: Connection, params: Mapping[str, Any]) -> int:
        """The rows an UPDATE run on the driver's cursor of ``conn`` changed."""
        cursor = self._run(conn, params)
        try:
            count: int = cursor.rowcount
        finally:
            cursor.close()
        return count

    def arguments(self, params: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        """The driver's parameters for ``params``: converted, by position or by name."""
        if self.constants:
            params = {**self.constants, **params}
        values = (
            params[name] if bind is None else bind(params[name])
            for name, bind in zip(self.names, self.binds, strict=True)
        )
        return tuple(values) if self.positional else dict(zip(self.names, values, strict=True))

    def _run(self, conn: Connection, params: Mapping[str, Any]) -> Any:
        arguments = self.arguments(params)
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(self.sql, arguments)
        except BaseException:
            cursor.close()
            raise
        return cursor

    def row(self, raw: tuple[Any, ...]) -> tuple[Any, ...]:
        """The values of a driver's row. On SQLite, rows seen lately are converted once (the same session
        read again and again is what a hot read is): the values returned are shared, and only read."""
        row = self.seen.get(raw) if self.seen is not None else None
        if row is None:
            values = list(raw)
            for i, convert in self.results:
                values[i] = convert(values[i])
            row = tuple(values)
            if self.seen is not None:
                if len(self.seen) >= _SEEN_ROWS:
                    self.seen.clear()
                self.seen[raw] = row
        return row


_SEEN_ROWS = 1024  # per statement


_BY_KEY = "finstance_read_by_key"
KEYS = "keys"  # the array parameter of a keyed read's SQL for many keys (Store._keyed; ahead.py runs it)
_KEYED: dict[tuple[Select[*tuple[Any, ...]], str], str] = {}


def read_by_key(statement: Select[*tuple[Any, ...]], key: str) -> Select[*tuple[Any, ...]]:
    """Mark a hot read whose one parameter, ``key``, is compared for equality with a column that names at
    most one row (a primary key). Off SQLite, its reads made on the event loop at the same time
    (:meth:`Store.fetch_ahead`) are then fetched by one statement for all their keys."""
    return statement.execution_options(**{_BY_KEY: key})


def _ahead_key(statement: Select[*tuple[Any, ...]], params: Mapping[str, Any]) -> Any:
    key = (statement, tuple(params.items()))
    try:
        hash(key)
    except TypeError:  # a value that keys nothing (a list, a dict): read in a thread instead
        raise WouldWait("parameters that cannot key a row") from None
    return key


# Plans compiled, by statement and backend: the stores of a process (a region's 50 instances) compile each of
# their statements once. A store takes a copy with rows seen of its own (_Plan.seen).
_COMPILED: dict[tuple[Planned, tuple[str, ...] | None, str, str], _Plan] = {}


def _shared(statement: Planned, dialect: Dialect, keys: tuple[str, ...] | None = None) -> _Plan:
    key = (statement, keys, dialect.name, dialect.driver)
    plan = _COMPILED.get(key)
    if plan is None:
        plan = _COMPILED[key] = _Plan.of(statement, dialect, keys)
    return replace(plan, seen={} if plan.seen is not None else None)


class Store:
    """One instance's database. Built by the app's lifespan, never at import time."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = create_store_engine(url, echo=echo)
        self.backend = self.engine.dialect.name
        # PostgreSQL reads run in autocommit: at READ COMMITTED a transaction gives reads no common snapshot
        # anyway, and each read saves its BEGIN and COMMIT round trips. SQLite reads keep their transaction,
        # which is their snapshot in WAL mode.
        reads = self.engine
        if self.backend == "postgresql":
            reads = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._reads = reads
        # The connections hot reads keep between them (Store.connection), and those free now.
        self._hot_held: list[Connection] = []
        self._hot_idle: list[Connection] = []
        self._hot_lock = threading.Lock()
        # The statements run on the driver (first, first_on, change_on, insert_on), compiled.
        self._plans: dict[Planned | tuple[Insert, tuple[str, ...]], _Plan] = {}
        self._driver_error: type[Exception] = self.engine.dialect.loaded_dbapi.Error
        # ORM sessions of the one Session class: a sessionmaker would make a subclass for each store, and
        # SQLAlchemy sets up each new class's event dispatch at its first session, at a cost that grows with
        # the number of classes (about 10 ms a store with 50 stores in a process).
        self._read = partial(Session, reads, expire_on_commit=False)
        self._writes = self.engine.execution_options(**{_IMMEDIATE: True})
        self._write = partial(Session, self._writes, expire_on_commit=False)
        # Whether this thread's transactions may not wait (without_waiting), and its connection for them.
        self._thread = threading.local()
        self._unwaiting: list[Connection] = []
        # PostgreSQL's hot reads made on the event loop (reading_ahead), on connections of their own.
        self._ahead: ReadAhead | None = None
        if self.backend == "postgresql":
            from finstance.core.store.ahead import ReadAhead

            self._ahead = ReadAhead(self.engine)

    def insert(self, model: Any) -> Any:
        """An INSERT of this backend's dialect, which offers ``on_conflict_do_nothing`` / ``_do_update``
        (the same on SQLite and PostgreSQL)."""
        dialect = postgresql if self.backend == "postgresql" else sqlite
        return dialect.insert(model)

    @contextmanager
    def read(self) -> Iterator[Session]:
        self._not_ahead()
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A Core connection for a hot read of one statement: no ORM session, its identity map or its
        transaction bookkeeping, in autocommit (a statement is its own snapshot).

        Up to :data:`HOT_CONNECTIONS` such connections are kept checked out between reads: checking one out
        of the pool (on PostgreSQL with its ping, a round trip), and on SQLite the ``BEGIN`` and ``ROLLBACK``
        around a read, cost more than the read's statement. Beyond that many reads at once, each read checks
        a connection out of the pool, as :meth:`read` does. A kept connection whose read fails is given up.
        """
        self._not_ahead()
        try:
            kept = self._hot_idle.pop()
        except IndexError:
            with self._hot_lock:
                room = len(self._hot_held) < HOT_CONNECTIONS
                if room:
                    kept = self.engine.execution_options(isolation_level="AUTOCOMMIT").connect()
                    self._hot_held.append(kept)
            if not room:
                with self._reads.connect() as conn:
                    yield conn
                return
        try:
            yield kept
            kept.rollback()  # ends SQLAlchemy's bookkeeping of the read; no statement reaches the store
        except BaseException:
            with self._hot_lock:
                self._hot_held.remove(kept)
            kept.invalidate()  # its driver connection is closed, not handed back to the pool
            kept.close()
            raise
        self._hot_idle.append(kept)

    def first(self, statement: Select[*tuple[Any, ...]], params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row of a hot read of one statement (None: no row), its values converted by the
        statement's column types exactly as SQLAlchemy converts them. ``statement`` is built once (a module's
        constant): its compiled form is kept for each statement object.

        The statement is compiled once and run on the driver's cursor of a kept connection
        (:meth:`connection`): SQLAlchemy's execution context, result object and events cost several times the
        statement itself. On PostgreSQL a kept connection is not checked before use: when its read fails (the
        server dropped it, as in a restart), the read is run again on a pooled connection, which is.
        """
        plan = self._plan(statement)
        ahead: dict[Any, Any] | None = getattr(self._thread, "ahead", None)
        if ahead is not None:
            key = _ahead_key(statement, params)
            if key not in ahead:
                raise NeedsRow(statement, params)
            raw = ahead[key]
            return None if raw is None else plan.row(raw)
        try:
            with self.connection() as conn:
                raw = plan.fetch(conn, params)
        except self._driver_error:
            if self.backend == "sqlite":
                raise
            with self._reads.connect() as conn:
                raw = plan.fetch(conn, params)
        return None if raw is None else plan.row(raw)

    def first_on(
        self, conn: Connection, statement: Select[*tuple[Any, ...]] | Insert, params: Mapping[str, Any]
    ) -> tuple[Any, ...] | None:
        """:meth:`first` in the transaction of ``conn`` (:meth:`transaction`); or the row an INSERT given all
        its values returns (``RETURNING``), such as an upsert's."""
        plan = self._plan(statement)
        raw = plan.fetch(conn, params)
        return None if raw is None else plan.row(raw)

    def change_on(self, conn: Connection, statement: Update, params: Mapping[str, Any]) -> int:
        """An UPDATE in the transaction of ``conn`` (:meth:`transaction`), compiled once and run on the
        driver's cursor as :meth:`first` runs a SELECT, its values converted by the columns' types as
        SQLAlchemy converts them: how many rows it changed. For the hot writes, whose statement costs less
        than SQLAlchemy's execution of it."""
        return self._plan(statement).change(conn, params)

    def insert_on(self, conn: Connection, statement: Insert, params: Mapping[str, Any]) -> None:
        """An INSERT of one row in the transaction of ``conn``, run as :meth:`change_on` runs an UPDATE. The
        columns not in ``params`` take their defaults: the store's, or a constant one of the column, as with
        SQLAlchemy; a column whose default SQLAlchemy would compute by calling a function is refused (a
        ValueError when the statement is first planned), so that no default is silently left out."""
        keys = tuple(params)
        plan = self._plans.get((statement, keys))
        if plan is None:
            plan = self._plans[(statement, keys)] = _shared(statement, self.engine.dialect, keys)
        plan.change(conn, params)

    @property
    def shared(self) -> bool:
        """Whether other processes can open this store: any but an in-memory SQLite database."""
        if self.backend != "sqlite":
            return True
        url = make_url(self.url)
        database = url.database or ""
        return database not in ("", ":memory:") and url.query.get("mode") != "memory"

    def forget_seen(self) -> None:
        """Let go of the rows that hot reads converted and kept (on SQLite, ``_Plan.seen``): a login was
        deleted, and rows of it may be among them. They are converted again at their next read."""
        for plan in tuple(self._plans.values()):
            if plan.seen is not None:
                plan.seen.clear()

    def _plan(self, statement: Planned) -> _Plan:
        plan = self._plans.get(statement)
        if plan is None:
            plan = self._plans[statement] = _shared(statement, self.engine.dialect)
        return plan

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that will write: committed on success, rolled back on any error."""
        if getattr(self._thread, "unwaiting", False):
            raise WouldWait("an ORM write runs where it may wait")
        self._not_ahead()
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction of Core statements, without an ORM session: committed on success, rolled back
        on any error. For the small hot writes (a token, a rate count, a session opened from a saved login),
        where a session's unit of work and identity map cost several times their one or two statements."""
        self._not_ahead()
        if getattr(self._thread, "unwaiting", False):
            with self._transaction_now() as conn:
                yield conn
            return
        with self._writes.begin() as conn:
            yield conn

    @contextmanager
    def reading_ahead(self, rows: dict[Any, Any]) -> Iterator[None]:
        """Within the block, this thread's hot reads (:meth:`first`) answer from ``rows``, the rows fetched so
        far by :meth:`fetch_ahead`, and raise :class:`NeedsRow` for one not there; anything else that would
        reach the store raises :class:`WouldWait`. For a read handler on the event loop (the fast lane, off
        SQLite): it runs, each row it needs is fetched without blocking the loop, and it runs again."""
        self._thread.ahead = rows
        try:
            yield
        finally:
            self._thread.ahead = None

    async def fetch_ahead(self, rows: dict[Any, Any], need: NeedsRow) -> None:
        """Fetch the row ``need`` asks for into ``rows``, on the event loop (:mod:`.ahead`); WouldWait when
        it cannot be (SQLite, or the server cannot be reached now): the reader then runs in a thread."""
        if self._ahead is None:
            raise WouldWait("only PostgreSQL reads are fetched ahead")
        plan = self._plan(need.statement)
        key = need.statement.get_execution_options().get(_BY_KEY)
        if key is not None and len(need.params) == 1 and key in need.params:
            sql = self._keyed(need.statement, key)
            value = plan.arguments(need.params)
            assert isinstance(value, dict)  # PostgreSQL's parameters are named
            rows[_ahead_key(need.statement, need.params)] = await self._ahead.fetch_keyed(sql, value[key])
            return
        rows[_ahead_key(need.statement, need.params)] = await self._ahead.fetch(
            plan.sql, plan.arguments(need.params)
        )

    def _keyed(self, statement: Select[*tuple[Any, ...]], key: str) -> str:
        """The SQL of ``statement`` for many values of its ``key`` at once (:func:`read_by_key`): the key's
        column is added last, and its comparison takes any of an array (:data:`KEYS`)."""
        found = _KEYED.get((statement, self.engine.dialect.name))
        if found is None:
            bind = next(
                e for e in visitors.iterate(statement) if isinstance(e, BindParameter) and e.key == key
            )
            column = next(
                e.left
                for e in visitors.iterate(statement)
                if isinstance(e, BinaryExpression) and e.right is bind and e.operator is operators.eq
            )
            keys = any_(bindparam(KEYS, type_=postgresql.ARRAY(String())))

            def swap(element: Any, **_: Any) -> Any:
                return keys if element is bind else None

            options: dict[str, Any] = {}
            many = cast(
                Select[*tuple[Any, ...]], visitors.replacement_traverse(cast(Any, statement), options, swap)
            )
            found = _KEYED[(statement, self.engine.dialect.name)] = str(
                many.add_columns(column).compile(dialect=self.engine.dialect)
            )
        return found

    def _not_ahead(self) -> None:
        if getattr(self._thread, "ahead", None) is not None:
            raise WouldWait("a store is reached while reading ahead")

    @contextmanager
    def without_waiting(self) -> Iterator[None]:
        """Within the block, this thread's write transactions (:meth:`transaction`) start only when SQLite's
        write lock is free at once, and raise :class:`WouldWait` otherwise, before writing anything.

        For the event loop (the fast lane): a hop to a thread costs more than a small write, but a loop must
        never wait for a lock another thread or process holds. Such a transaction runs on a connection this
        thread keeps, which saves the pool's checkout too. SQLite only; an ORM write raises WouldWait."""
        if self.backend != "sqlite":
            raise WouldWait("only SQLite writes run without waiting")
        self._thread.unwaiting = True
        try:
            yield
        finally:
            self._thread.unwaiting = False

    @contextmanager
    def _transaction_now(self) -> Iterator[Connection]:
        conn: Connection | None = getattr(self._thread, "connection", None)
        if conn is None:
            conn = self.engine.execution_options(isolation_level="AUTOCOMMIT").connect()
            with self._hot_lock:
                self._unwaiting.append(conn)
            self._thread.connection = conn
            # Never waits: BEGIN IMMEDIATE fails at once when the lock is taken. Once it is held, a WAL
            # transaction's statements and its COMMIT take no other lock.
            conn.exec_driver_sql("PRAGMA busy_timeout=0")
        driver = conn.connection.dbapi_connection
        assert driver is not None
        try:
            driver.execute("BEGIN IMMEDIATE")
        except self._driver_error as exc:  # the lock is taken ("database is locked"): nothing was written
            raise WouldWait("the store's write lock is taken") from exc
        try:
            yield conn
            driver.execute("COMMIT")
        except BaseException:
            try:
                driver.execute("ROLLBACK")
            except self._driver_error:  # the connection failed: it is given up, not used again
                self._thread.connection = None
                with self._hot_lock:
                    self._unwaiting.remove(conn)
                conn.invalidate()
                conn.close()
                raise
            raise
        finally:
            if conn.in_transaction():
                conn.rollback()  # ends SQLAlchemy's bookkeeping; no statement reaches the store

    def migrate(self, *, schema: MetaData | None = None) -> None:
        """Bring the schema to the newest revision. Safe to call from several processes at once.

        With ``schema``, the whole schema of this version (``finstance.app.schema()``: every product's
        tables), a store with no table yet is built from it and stamped at the newest revision in one
        transaction, as Alembic advises for a new database. The statements that build it are compiled once
        per backend and process (:func:`_creation`), so a region's 50 new stores cost one compilation, not 50.
        Tests prove on both backends that the migrations build exactly that schema.
        """
        if self.revision() == HEAD_REVISION:  # already there: no migration environment to load and run
            return
        # On SQLite the whole change holds the write lock from its start, so a second process waits and then
        # finds the store at the newest revision.
        with self.engine.execution_options(**{_IMMEDIATE: True}).connect() as conn:
            if self.backend == "postgresql":
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
                conn.commit()
            try:
                if schema is not None and not inspect(conn).get_table_names():
                    for statement in _creation(schema, conn.dialect):
                        conn.exec_driver_sql(statement)
                    conn.execute(_VERSIONS.insert().values(version_num=HEAD_REVISION))
                else:
                    from alembic import command

                    cfg = _alembic_config()
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                conn.commit()
            finally:
                if self.backend == "postgresql":
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
                    conn.commit()

    def revision(self) -> str | None:
        """The schema revision the store is at (None: never migrated), read from Alembic's table."""
        with self.engine.connect() as conn:
            if not inspect(conn).has_table(_VERSIONS.name):
                return None
            found = [row[0] for row in conn.exec_driver_sql(_READ_REVISIONS)]  # not compiled for each store
        if len(found) > 1:
            raise RuntimeError(f"the store records {len(found)} schema revisions; finstance has one line")
        return found[0] if found else None

    def dispose(self) -> None:
        if self._ahead is not None:
            self._ahead.close()
        with self._hot_lock:
            held, self._hot_held, self._hot_idle = self._hot_held, [], []
            held += self._unwaiting
            self._unwaiting = []
        for conn in held:
            conn.close()
        self.engine.dispose()


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(files("finstance.core.store") / "migrations"))
    return cfg


# What libpq says when a connection cannot be made, and what we say instead. Only the kind of failure and
# the names libpq quotes (a database, a user) are taken from its message; host, port and database come
# from the URL, whose password is never shown.
_PG_FAILURES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"Connection refused"),
        'the PostgreSQL server at {where} refused the connection (database "{database}"): '
        "is it running and listening there?",
    ),
    (
        re.compile(r'database "(?P<name>[^"]*)" does not exist'),
        'database "{name}" does not exist on the PostgreSQL server at {where}',
    ),
    (
        re.compile(r'password authentication failed for user "(?P<name>[^"]*)"'),
        'password authentication failed for user "{name}" on the PostgreSQL server at {where} '
        '(database "{database}")',
    ),
    (
        re.compile(r"no password supplied|fe_sendauth"),
        "the PostgreSQL server at {where} asks for a password and the store URL has none "
        '(database "{database}")',
    ),
    (
        re.compile(r'role "(?P<name>[^"]*)" does not exist'),
        'user "{name}" does not exist on the PostgreSQL server at {where} (database "{database}")',
    ),
    (
        re.compile(r"failed to resolve host|could not translate host name|Name or service not known"),
        'cannot resolve the host of the PostgreSQL server at {where} (database "{database}")',
    ),
    (
        re.compile(r"timeout expired|timed out"),
        'the PostgreSQL server at {where} did not answer in time (database "{database}")',
    ),
    (
        re.compile(r"too many (?:clients|connections)"),
        'the PostgreSQL server at {where} has no connection left: too many clients (database "{database}")',
    ),
)


def describe_store_error(url: str, exc: BaseException) -> str:
    """One line for the person at the terminal on why a store could not be opened or read.

    A PostgreSQL connection failure says which: refused, no such database, authentication failed, unknown
    user, no answer; with the host, port and database of ``url`` but never its password. Anything else is
    named by its type only: an error from a statement may carry the values of the rows it was writing."""
    try:
        parsed = make_url(url)
    except Exception:
        return f"the store URL cannot be read ({type(exc).__name__})"
    orig = getattr(exc, "orig", None) or exc
    message = str(orig) if type(orig).__name__ == "OperationalError" else ""
    backend = parsed.get_backend_name()
    if backend == "postgresql" and message:
        values = {
            "where": f"{parsed.host or 'localhost'}:{parsed.port or 5432}",
            "database": parsed.database or parsed.username or "postgres",
        }
        for pattern, says in _PG_FAILURES:
            if found := pattern.search(message):
                return says.format(**values, **found.groupdict())
        fallback = 'the PostgreSQL server at {where} failed (database "{database}"): OperationalError'
        return fallback.format(**values)
    if backend == "sqlite" and "unable to open database file" in message:
        return f"cannot open the SQLite file {parsed.database}"
    return type(exc).__name__


def head_revision() -> str:
    """The newest schema revision this version of finstance knows."""
    return HEAD_REVISION


# Alembic's own table of the revision a store is at, as Alembic creates it (the same name, column and key):
# a new store is stamped by writing it, and its revision read from it, without loading Alembic.
_VERSIONS = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


_READ_REVISIONS = "SELECT version_num FROM alembic_version"

_CREATIONS: dict[tuple[MetaData, str], tuple[str, ...]] = {}


def _creation(schema: MetaData, dialect: Dialect) -> tuple[str, ...]:
    """The DDL that builds ``schema`` and Alembic's table in a store with no table, compiled once per
    backend: each table in dependency order followed by its indexes, as ``MetaData.create_all`` emits them."""
    key = (schema, dialect.name)
    found = _CREATIONS.get(key)
    if found is None:
        elements: list[ExecutableDDLElement] = []
        for table in [*schema.sorted_tables, _VERSIONS]:
            elements.append(CreateTable(table))
            elements.extend(CreateIndex(index) for index in sorted(table.indexes, key=lambda i: i.name or ""))
        found = _CREATIONS[key] = tuple(str(e.compile(dialect=dialect)) for e in elements)
    return found
