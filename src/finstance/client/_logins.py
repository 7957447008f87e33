"""The login store: which instance issued each loginId, for which end-user, at which institution.

A loginId exists only on the instance that issued it, so an integrator records it when Connect hands it
over and routes every later call by it. The store is one table, ``flinks_logins``, in a SQLite file by
default or in any database SQLAlchemy reaches by URL (PostgreSQL: ``postgresql+psycopg://...``). The
owner of a loginId never changes, so lookups are cached in memory after the first read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import DateTime, MetaData, String, create_engine, delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from finstance.client._errors import WrongInstanceLoginError
from finstance.identifiers import canonical

DEFAULT_PATH = "flinks-logins.db"


class _Base(DeclarativeBase):
    metadata = MetaData()


class _Login(_Base):
    __tablename__ = "flinks_logins"

    login_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    instance: Mapped[str] = mapped_column(String(63))
    country: Mapped[str] = mapped_column(String(2))
    end_user_ref: Mapped[str | None] = mapped_column(String(255), index=True)
    institution: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True, slots=True)
class LoginRecord:
    """One recorded loginId."""

    login_id: str
    instance: str
    country: str
    end_user_ref: str | None
    institution: str | None
    created_at: datetime


def _record(row: _Login) -> LoginRecord:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return LoginRecord(row.login_id, row.instance, row.country, row.end_user_ref, row.institution, created)


def _key(login_id: str) -> str:
    return canonical(login_id) or login_id.strip()


class LoginStore:
    """loginId → instance, end-user reference, institution. ``url`` is a SQLAlchemy URL; without one the
    store is the SQLite file ``path``. The table is created when missing."""

    def __init__(self, url: str | None = None, *, path: str | Path = DEFAULT_PATH) -> None:
        self.url = url or f"sqlite:///{Path(path).expanduser().resolve()}"
        self._engine: Engine = create_engine(self.url)
        _Base.metadata.create_all(self._engine)
        self._owners: dict[str, str] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self._engine.dispose()

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
        now = datetime.now(UTC)
        for _ in range(2):  # a concurrent first record of the same loginId: read it back once
            try:
                with Session(self._engine) as db, db.begin():
                    row = db.get(_Login, key)
                    if row is None:
                        row = _Login(
                            login_id=key, instance=instance, country=country, end_user_ref=end_user_ref,
                            institution=institution, created_at=now, updated_at=now,
                        )  # fmt: skip
                        db.add(row)
                    elif row.instance != instance:
                        raise WrongInstanceLoginError(
                            f"this LoginId was recorded for {row.instance!r}, not {instance!r}",
                            http_status=None,
                            flinks_code="INVALID_LOGIN",
                            instance=instance,
                        )
                    else:
                        row.end_user_ref = end_user_ref if end_user_ref is not None else row.end_user_ref
                        row.institution = institution if institution is not None else row.institution
                        row.updated_at = now
                    db.flush()
                    record = _record(row)
            except IntegrityError:
                continue
            with self._lock:
                self._owners[key] = record.instance
            return record
        raise RuntimeError("the loginId could not be recorded")  # pragma: no cover (two races in a row)

    def get(self, login_id: str) -> LoginRecord | None:
        with Session(self._engine) as db:
            row = db.get(_Login, _key(login_id))
            return None if row is None else _record(row)

    def instance_of(self, login_id: str) -> str | None:
        """The name of the instance that issued ``login_id``, or ``None`` when it was never recorded."""
        key = _key(login_id)
        owner = self._owners.get(key)
        if owner is not None:
            return owner
        with Session(self._engine) as db:
            owner = db.scalar(select(_Login.instance).where(_Login.login_id == key))
        if owner is not None:
            with self._lock:
                self._owners[key] = owner
        return owner

    def for_end_user(self, end_user_ref: str) -> list[LoginRecord]:
        """Every loginId recorded for an end-user, oldest first."""
        with Session(self._engine) as db:
            rows = db.scalars(
                select(_Login).where(_Login.end_user_ref == end_user_ref).order_by(_Login.created_at)
            )
            return [_record(row) for row in rows]

    def forget(self, login_id: str) -> bool:
        """Remove a loginId (after ``DeleteCard``). Returns whether it was recorded."""
        key = _key(login_id)
        with Session(self._engine) as db, db.begin():
            removed = db.execute(delete(_Login).where(_Login.login_id == key)).rowcount  # type: ignore[attr-defined]
        with self._lock:
            self._owners.pop(key, None)
        return bool(removed)
