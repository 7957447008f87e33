"""The residency stamp: which instance (and so which country) a store belongs to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from finstance.core.instance import InstanceSpec
from finstance.core.store.engine import Store
from finstance.core.store.tables import ResidencyStamp


class ResidencyViolation(RuntimeError):
    """An instance was pointed at a store that belongs to another instance or country."""


def ensure_stamp(store: Store, spec: InstanceSpec, now: datetime) -> None:
    """Stamp a new store for ``spec``; refuse a store stamped for anything else."""
    with store.write() as db:
        stamp = db.scalars(select(ResidencyStamp)).first()
        if stamp is None:
            db.add(
                ResidencyStamp(
                    id=1,
                    instance_name=spec.name,
                    customer_id=spec.customer_id,
                    country=spec.country.value,
                    created_at=now,
                )
            )
            return
        mine = (spec.name, spec.customer_id, spec.country.value)
        found = (stamp.instance_name, stamp.customer_id, stamp.country)
        if found != mine:
            raise ResidencyViolation(
                f"store {store.engine.url.render_as_string(hide_password=True)} belongs to instance "
                f"{stamp.instance_name!r} ({stamp.country}); refusing to serve "
                f"{spec.name!r} ({spec.country.value}) on it"
            )


def check_stamp(store: Store, spec: InstanceSpec) -> None:
    """Raise unless the store carries ``spec``'s stamp (read only: for readiness checks)."""
    with store.read() as db:
        stamp = db.scalars(select(ResidencyStamp)).first()
    if stamp is None or (stamp.instance_name, stamp.customer_id, stamp.country) != (
        spec.name,
        spec.customer_id,
        spec.country.value,
    ):
        raise ResidencyViolation(f"the store does not carry the stamp of {spec.name!r}")
