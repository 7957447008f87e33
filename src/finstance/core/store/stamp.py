"""The residency stamp: which instance (and so which country) a store belongs to."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, insert, select

from finstance.core.instance import InstanceSpec
from finstance.core.store.engine import Store
from finstance.core.store.tables import ResidencyStamp


class ResidencyViolation(RuntimeError):
    """An instance was pointed at a store that belongs to another instance or country."""


_STAMP = cast(Table, ResidencyStamp.__table__)
_READ = select(_STAMP.c.instance_name, _STAMP.c.customer_id, _STAMP.c.country).limit(1)


def ensure_stamp(store: Store, spec: InstanceSpec, now: datetime) -> None:
    """Stamp a new store for ``spec``; refuse a store stamped for anything else.

    A store already stamped is only read (every start of every instance passes here); the write transaction
    is taken, and the stamp looked for again inside it, only when there was none."""
    with store.engine.connect() as conn:
        found = conn.execute(_READ).first()
    if found is None:
        with store.transaction() as conn:
            found = conn.execute(_READ).first()
            if found is None:
                conn.execute(
                    insert(_STAMP).values(
                        id=1,
                        instance_name=spec.name,
                        customer_id=spec.customer_id,
                        country=spec.country.value,
                        created_at=now,
                    )
                )
                return
    if tuple(found) != (spec.name, spec.customer_id, spec.country.value):
        raise ResidencyViolation(
            f"store {store.engine.url.render_as_string(hide_password=True)} belongs to instance "
            f"{found.instance_name!r} ({found.country}); refusing to serve "
            f"{spec.name!r} ({spec.country.value}) on it"
        )


def check_stamp(store: Store, spec: InstanceSpec) -> None:
    """Raise unless the store carries ``spec``'s stamp (read only: for readiness checks)."""
    with store.engine.connect() as conn:
        found = conn.execute(_READ).first()
    if found is None or tuple(found) != (spec.name, spec.customer_id, spec.country.value):
        raise ResidencyViolation(f"the store does not carry the stamp of {spec.name!r}")
