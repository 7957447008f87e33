"""States are typed: every state column of every product's tables reads back as its enum member, and a
value outside the enum is refused before it reaches the store."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from finstance.app import schema
from finstance.core.states import JobStatus
from finstance.core.store import Store
from finstance.core.store.tables import Job
from finstance.core.store.types import EnumText


def state_columns() -> dict[str, type[enum.StrEnum]]:
    found = {}
    for table in schema().sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EnumText):
                found[f"{table.name}.{column.name}"] = column.type.enum_type
    return found


def test_every_state_column_is_an_enum() -> None:
    columns = state_columns()
    assert {"sessions.state", "jobs.status", "webhook_deliveries.status", "connect_flows.screen"} <= set(
        columns
    )
    for table in schema().sorted_tables:
        for column in table.columns:
            if column.name in {"state", "status", "screen"}:
                assert f"{table.name}.{column.name}" in columns


def test_a_state_reads_back_as_its_member_and_an_unknown_one_is_refused(store_url: str) -> None:
    store = Store(store_url)
    try:
        store.migrate()
        now = datetime(2026, 1, 1, tzinfo=UTC)
        job = {"kind": "noop", "login_id": "0" * 32, "request_id": None, "run_after": now, "created_at": now}
        with store.write() as db:
            db.add(Job(id="1" * 32, status=JobStatus.PENDING, **job))
        with store.read() as db:
            assert db.scalars(select(Job.status)).one() is JobStatus.PENDING

        def write_unknown() -> None:
            with store.write() as db:
                db.add(Job(id="2" * 32, status="sleeping", **job))

        with pytest.raises(StatementError, match="'sleeping' is not a valid JobStatus"):
            write_unknown()
        with store.read() as db:
            assert db.scalars(select(Job.id)).all() == ["1" * 32]
    finally:
        store.dispose()
