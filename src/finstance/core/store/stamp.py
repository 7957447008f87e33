"""The residency stamp: which instance (and so which country) a store belongs to."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Table, insert, select

from finstance.core.instance import InstanceSpec
from finstance.core.store.engine import Store
from finstance.core.store.tables import ResidencyStamp


class ResidencyViolation(RuntimeError):
    """An instance was pointed at a store that belongs to another instance or country."""


_STAMP = cast(Table, ResidencyStamp.__table__)
# Run on the driver (Store.first_on, insert_on): compiled once for a region's stores, not once for each.
_READ = select(_STAMP.c.instance_name, _STAMP.c.customer_id, _STAMP.c.country).limit(1)
_WRITE = insert(_STAMP)


def _stamp_of(store: Store, conn: Connection) -> tuple[str, str, str] | None:
    """The store's (instance name, customerId, country), or None before it is stamped."""
    row = store.first_on(conn, _READ, {})
    return None if row is None else (row[0], row[1], row[2])


def _owner(spec: InstanceSpec) -> tuple[str, str, str]:
    return (spec.name, spec.customer_id, spec.country.value)


def ensure_stamp(store: Store, spec: InstanceSpec, now: datetime) -> None:
    """Stamp a new store for ``spec``; refuse a store stamped for anything else.

    A store already stamped is only read (every start of every instance passes here); the write transaction
    is taken, and the stamp looked for again inside it, only when there was none."""
    with store.engine.connect() as conn:
        found = _stamp_of(store, conn)
    if found is None:
        with store.transaction() as conn:
            found = _stamp_of(store, conn)
            if found is None:
                stamp = {"id": 1, "instance_name": spec.name, "customer_id": spec.customer_id}
                store.insert_on(conn, _WRITE, {**stamp, "country": spec.country.value, "created_at": now})
                return
    if found != _owner(spec):
        raise ResidencyViolation(
            f"store {store.engine.url.render_as_string(hide_password=True)} belongs to instance "
            f"{found[0]!r} ({found[2]}); refusing to serve "
            f"{spec.name!r} ({spec.country.value}) on it"
        )


def check_stamp(store: Store, spec: InstanceSpec) -> None:
    """Raise unless the store carries ``spec``'s stamp (read only: for readiness checks)."""
    with store.engine.connect() as conn:
        found = _stamp_of(store, conn)
    if found != _owner(spec):
        raise ResidencyViolation(f"the store does not carry the stamp of {spec.name!r}")
