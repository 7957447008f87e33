"""The residency audit: does every store hold only what its own instance minted, stamped as its own?

Checks, for every instance of a directory:

- its store is stamped for it (instance name, customerId, country);
- no other instance of the directory uses the same store;
- every identifier the store holds (loginIds, RequestIds, job ids, and every reference to them) was minted by
  this instance: an identifier of another instance means data crossed over;
- the directory itself holds only metadata fields, never end-user data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from finstance.app import PRODUCTS
from finstance.core.identifiers import Origin, classify
from finstance.core.store import Store
from finstance.core.store import tables as core_tables
from finstance.core.store.engine import describe_store_error
from finstance.instances.directory import ENTRY_FIELDS, Directory, Entry, same_store


def minted_columns() -> tuple[tuple[Any, str], ...]:
    """The (table, column) pairs holding identifiers minted by an instance: the core's, every product's."""
    return core_tables.MINTED + tuple(pair for product in PRODUCTS for pair in product.minted)


@dataclass(slots=True)
class InstanceReport:
    name: str
    country: str
    rows_checked: int = 0
    violations: list[str] = field(default_factory=list)


@dataclass(slots=True)
class AuditReport:
    instances: list[InstanceReport] = field(default_factory=list)
    directory_violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.directory_violations and all(not i.violations for i in self.instances)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "directory_violations": self.directory_violations,
            "instances": [
                {
                    "name": i.name,
                    "country": i.country,
                    "rows_checked": i.rows_checked,
                    "violations": i.violations,
                }
                for i in self.instances
            ],
        }


def audit(directory: Directory) -> AuditReport:
    report = AuditReport()
    report.directory_violations.extend(_audit_directory(directory))
    entries = directory.entries()
    if not entries:  # nothing checked is not a pass
        report.directory_violations.append(f"no instance in {directory.path}: there is nothing to audit")
    for entry in entries:
        report.instances.append(_audit_instance(entry, entries))
    return report


def _audit_directory(directory: Directory) -> list[str]:
    raw = directory.read_raw()  # raises DirectoryError on a file that is not a directory
    found = []
    if set(raw) - {"version", "instances"}:
        found.append(
            f"directory has unexpected top-level fields {sorted(set(raw) - {'version', 'instances'})}"
        )
    for item in raw["instances"]:
        if not isinstance(item, dict):
            found.append("directory has an entry that is not an object")
            continue
        extra = set(item) - ENTRY_FIELDS
        if extra:
            found.append(f"directory entry {item.get('name')!r} has unexpected fields {sorted(extra)}")
        for key in ("dev_keys",):
            value = item.get(key)
            if value is not None and (not isinstance(value, dict) or set(value) - {"secret_key", "api_key"}):
                found.append(f"directory entry {item.get('name')!r} has unexpected content in {key}")
    return found


def _audit_instance(entry: Entry, entries: list[Entry]) -> InstanceReport:
    report = InstanceReport(entry.name, entry.country)
    for other in entries:
        if other.name != entry.name and same_store(other.store_url, entry.store_url):
            report.violations.append(f"shares its store with {other.name!r}")
    try:
        store = Store(entry.store_url)
    except Exception as exc:
        report.violations.append(f"store cannot be opened: {describe_store_error(entry.store_url, exc)}")
        return report
    try:
        with store.read() as db:
            stamp = db.scalars(select(core_tables.ResidencyStamp)).first()
            expected = (entry.name, entry.customer_id, entry.country)
            if stamp is None:
                report.violations.append("store has no residency stamp")
            elif (stamp.instance_name, stamp.customer_id, stamp.country) != expected:
                report.violations.append(
                    f"store is stamped for {stamp.instance_name!r} ({stamp.country}), not for this instance"
                )
            for table, column in minted_columns():
                values = db.scalars(select(getattr(table, column)).where(getattr(table, column).is_not(None)))
                foreign = 0
                for value in values:
                    report.rows_checked += 1
                    if classify(value, entry.customer_id) != Origin.THIS_INSTANCE:
                        foreign += 1
                if foreign:
                    report.violations.append(
                        f"{table.__tablename__}.{column}: {foreign} identifier(s) not minted by this instance"
                    )
    except Exception as exc:
        report.violations.append(f"store cannot be read: {describe_store_error(entry.store_url, exc)}")
    finally:
        store.dispose()
    return report
