"""Statement documents: each statement's PDF, rendered when it is asked for from what the store keeps of it
(its content and the login's holder), the same bytes the institution would have handed over at aggregation.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session as DbSession

from finstance.connect import tables
from finstance.core.profile import Address, Holder, Statement, StatementContent
from finstance.sandbox.pdf import render_statement


def holder(db: DbSession, login_id: str) -> Holder | None:
    row = db.get(tables.Holder, login_id)
    if row is None:
        return None
    address = Address(row.civic_address, row.city, row.province, row.postal_code, row.country, row.po_box)
    return Holder(row.name, address, row.email, row.phone_number)


def pdfs(db: DbSession, login_id: str, rows: Iterable[tables.Statement]) -> list[bytes]:
    """The documents of ``rows``, statements of the login ``login_id``, in their order."""
    out: list[bytes] = []
    owner: Holder | None = None
    for row in rows:
        if row.pdf is not None:  # kept as a document (rows saved before statements were rendered on request)
            out.append(bytes(row.pdf))
            continue
        assert row.content is not None
        owner = owner or holder(db, login_id)
        if owner is None:
            raise LookupError("a statement's login has no holder")
        statement = Statement(
            row.unique_id, row.period_start, row.period_end, StatementContent.from_json(row.content)
        )
        out.append(render_statement(owner, statement))
    return out
