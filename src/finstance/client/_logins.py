"""The login store: which instance issued each loginId, for which end-user, at which institution.

A loginId exists only on the instance that issued it, so an integrator records it when Connect hands it
over and routes every later call by it. The store is one table, ``flinks_logins``, in a SQLite file by
default or in a PostgreSQL database by URL (``postgresql://…``). It speaks to the database through the
DB-API driver, loaded only when a store is opened: ``sqlite3`` from the standard library, or ``psycopg``
(``pip install psycopg``) for PostgreSQL. The owner of a loginId never changes, so lookups are cached in
memory after the first read.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from finstance.client._errors import WrongInstanceLoginError
from finstance.core.identifiers import canonical

DEFAULT_PATH = "flinks-logins.db"

_TABLE = """CREATE TABLE IF NOT EXISTS flinks_logins (
    login_id VARCHAR(64) PRIMARY KEY,
    instance VARCHAR(63) NOT NULL,
    country VARCHAR(2) NOT NULL,
    end_user_ref VARCHAR(255),
    institution VARCHAR(120),
    created_at VARCHAR(40) NOT NULL,
    updated_at VARCHAR(40) NOT NULL
)"""
_INDEX = "CREATE INDEX IF NOT EXISTS ix_flinks_logins_end_user_ref ON flinks_logins (end_user_ref)"
_SELECT_ONE = (
    "SELECT login_id, instance, country, end_user_ref, institution, created_at "
    "FROM flinks_logins WHERE login_id = ?"
)
_SELECT_END_USER = (
    "SELECT login_id, instance, country, end_user_ref, institution, created_at "
    "FROM flinks_logins "
    "WHERE end_user_ref = ? ORDER BY created_at, login_id"
)


@dataclass(frozen=True, slots=True)
class LoginRecord:
    """One recorded loginId."""

    login_id: str
    instance: str
    country: str
    end_user_ref: str | None
    institution: str | None
    created_at: datetime


def _when(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _record(row: Sequence[Any]) -> LoginRecord:
    return LoginRecord(row[0], row[1], row[2], row[3], row[4], _when(row[5]))


def _key(login_id: str) -> str:
    return canonical(login_id) or login_id.strip()


def _connect(url: str) -> tuple[Any, str]:
    """A DB-API connection for ``url`` and its placeholder. The driver is imported here, when first used."""
    scheme, _, rest = url.partition("://")
    backend = scheme.split("+", 1)[0]
    if backend == "sqlite":
        import sqlite3

        path = rest[1:] if rest.startswith("/") else rest  # sqlite:///abs/path -> /abs/path
        if path not in ("", ":memory:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path or ":memory:", timeout=30, check_same_thread=False)
        connection.isolation_level = None  # transactions are begun explicitly
        return connection, "?"
    if backend in ("postgresql", "postgres"):
        try:
            import psycopg
        except ImportError:
            raise RuntimeError(
                "a PostgreSQL login store needs psycopg: pip install 'psycopg[binary]'"
            ) from None
        return psycopg.connect(f"postgresql://{rest}", connect_timeout=10), "%s"
    raise ValueError(f"unsupported login store URL {scheme}://…: use sqlite:/// or postgresql://")


class LoginStore:
    """loginId → instance, end-user reference, institution. ``url`` is ``sqlite:///path`` or
    ``postgresql://user@host/db`` (``postgresql+psycopg://`` too); without one the store is the SQLite file
    ``path``. The table is created when missing."""

    def __init__(self, url: str | None = None, *, path: str | Path = DEFAULT_PATH) -> None:
        self.url = url or f"sqlite:///{Path(path).expanduser().resolve()}"
        self._conn, self._mark = _connect(self.url)
        self._sqlite = self._mark == "?"
        self._lock = threading.Lock()  # one connection, one statement at a time
        self._owners: dict[str, str] = {}
        with self._transaction() as cur:
            cur.execute(_TABLE)
            cur.execute(_INDEX)

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._lock:
            cur = self._conn.cursor()
            try:
                if self._sqlite:
                    cur.execute("BEGIN IMMEDIATE")
                yield cur
                self._conn.commit() if not self._sqlite else cur.execute("COMMIT")
            except BaseException:
                self._conn.rollback() if not self._sqlite else cur.execute("ROLLBACK")
                raise
            finally:
                cur.close()

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self._mark)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def record(
        self,
        login_id: str,
        instance: str,
        country: str,
        *,
        end_user_ref: str | None = None,
        institution: str | None = None,
    ) -> LoginRecord:
        """Record ``login_id`` as issued by ``instance``; again for the same instance updates the end-user
        reference and institution. A loginId already recorded for another instance is refused with
        :class:`WrongInstanceLoginError`: a loginId belongs to one instance for its whole life."""
        key = _key(login_id)
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        with self._transaction() as cur:
            # A concurrent first record of the same loginId (another process) waits here, then finds it.
            cur.execute(
                self._sql(
                    "INSERT INTO flinks_logins "
                    "(login_id, instance, country, end_user_ref, institution, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (login_id) DO NOTHING"
                ),
                (key, instance, country, end_user_ref, institution, now, now),
            )
            inserted = cur.rowcount == 1
            cur.execute(self._sql(_SELECT_ONE), (key,))
            row = cur.fetchone()
            if row[1] != instance:
                raise WrongInstanceLoginError(
                    f"this LoginId was recorded for {row[1]!r}, not {instance!r}",
                    http_status=None,
                    flinks_code="INVALID_LOGIN",
                    instance=instance,
                )
            if not inserted:
                cur.execute(
                    self._sql(
                        "UPDATE flinks_logins SET end_user_ref = COALESCE(?, end_user_ref), "
                        "institution = COALESCE(?, institution), updated_at = ? WHERE login_id = ?"
                    ),
                    (end_user_ref, institution, now, key),
                )
                cur.execute(self._sql(_SELECT_ONE), (key,))
                row = cur.fetchone()
            record = _record(row)
        self._owners[key] = record.instance
        return record

    def _query(self, statement: str, params: tuple[Any, ...]) -> list[Any]:
        with self._transaction() as cur:
            cur.execute(self._sql(statement), params)
            return list(cur.fetchall())

    def get(self, login_id: str) -> LoginRecord | None:
        rows = self._query(_SELECT_ONE, (_key(login_id),))
        return _record(rows[0]) if rows else None

    def instance_of(self, login_id: str) -> str | None:
        """The name of the instance that issued ``login_id``, or ``None`` when it was never recorded."""
        key = _key(login_id)
        owner = self._owners.get(key)
        if owner is not None:
            return owner
        rows = self._query("SELECT instance FROM flinks_logins WHERE login_id = ?", (key,))
        if not rows:
            return None
        owner = str(rows[0][0])
        self._owners[key] = owner
        return owner

    def for_end_user(self, end_user_ref: str) -> list[LoginRecord]:
        """Every loginId recorded for an end-user, oldest first."""
        rows = self._query(
            _SELECT_END_USER,
            (end_user_ref,),
        )
        return [_record(row) for row in rows]

    def forget(self, login_id: str) -> bool:
        """Remove a loginId (after ``DeleteCard``). Returns whether it was recorded."""
        key = _key(login_id)
        with self._transaction() as cur:
            cur.execute(self._sql("DELETE FROM flinks_logins WHERE login_id = ?"), (key,))
            removed = cur.rowcount
        self._owners.pop(key, None)
        return bool(removed)
