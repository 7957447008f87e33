"""The CPA-005 file of each file day: written once the day's cut-off passes on the Pay clock, read back
byte for byte.

A file's row keeps its day and creation number; its records are rendered from the sessions it carries
(:func:`render`), which no longer change once sent (amount, accounts and names are fixed at acceptance). So
the bytes read back are the bytes written, and DeleteCard, by deleting a login's sessions, leaves no copy of
their names or account numbers in any file.

Each segment: transaction code 450 (Payments Canada Standard 007, miscellaneous payments); the end-user's
verified account and name (the payor of a debit, the recipient of a credit); the due date, the file day plus
the settlement lag; a cross-reference made of the sessionId, to match returns; the session's referenceId as
sundry information; returns to the account the session settles to (its payee). Names are cut to the field's
30 characters and letters a bank file cannot carry are written as spaces, since a bank refuses the whole file
for one bad record and a name is only informative there.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from finstance.core import clients, errors
from finstance.core.context import InstanceContext
from finstance.pay import calendar, contacts, cpa005, records, tables
from finstance.pay.lifecycle import PaymentStatus
from finstance.pay.rails import Direction

TRANSACTION_CODE = 450
SENT = (PaymentStatus.PROCESSED, PaymentStatus.SETTLED, PaymentStatus.RETURNED)
# Flinks' sandbox settlement account (the payee of its Happy1 sample): where a sandbox instance settles when
# a session names no payee, and the originator's return account of its files.
SANDBOX_PAYEE = {"institutionCode": "999", "transitNumber": "60265", "accountNumber": "9876541"}


@dataclass(frozen=True, slots=True)
class FileSummary:
    file_date: date
    creation_number: int
    created_at: datetime
    debit_count: int
    debit_total: int  # cents
    credit_count: int
    credit_total: int

    def wire(self) -> dict[str, object]:
        return {
            "fileDate": self.file_date.isoformat(),
            "fileCreationNumber": self.creation_number,
            "createdAt": self.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "debits": {"count": self.debit_count, "total": self.debit_total},
            "credits": {"count": self.credit_count, "total": self.credit_total},
        }


def originator(ctx: InstanceContext) -> cpa005.Originator:
    """The instance as the sender of its files: its customerId's first ten digits as the originator id."""
    name = ctx.spec.name
    account = SANDBOX_PAYEE
    return cpa005.Originator(
        id=ctx.spec.customer_id.replace("-", "")[:10].upper(),
        short_name=name[:15],
        long_name=name[:30],
        return_institution=account["institutionCode"],
        return_transit=account["transitNumber"],
        return_account=account["accountNumber"],
    )


def _bank_text(text: str, size: int) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    kept = "".join(c if c.isascii() and c.isprintable() else " " for c in plain)
    return " ".join(kept.split())[:size].strip()


def payment(db: DbSession, row: records.Carrier) -> cpa005.Payment:
    """The file's segment for a row it carries: a session (the payor's verified account, returns to its
    payee), or a payment of an EFT V1 schedule (the contact's account and the schedule's code and
    cross-reference, returns to the client's settlement account)."""
    assert row.file_date is not None and row.amount is not None  # a row in a file was accepted with both
    if isinstance(row, tables.PayRequest):
        schedule = db.get(tables.PaySchedule, row.schedule_id)
        assert schedule is not None  # a schedule goes with its payments
        account = db.get(tables.PayContactAccount, schedule.account_id)
        contact = db.get(tables.PayContact, schedule.contact_id)
        assert account is not None and contact is not None
        code, name = schedule.transaction_code, contacts.display_name(contact)
        numbers = (account.institution_code, account.transit_number, account.account_number)
        sundry, payee = schedule.cross_reference or schedule.description or "", SANDBOX_PAYEE
    else:
        verified, payee = row.payor["account"], row.payee["account"]
        code, name = (
            TRANSACTION_CODE,
            " ".join(str(row.payor.get(k) or "") for k in ("firstName", "lastName")),
        )
        numbers = (verified["institutionCode"], verified["transitNumber"], verified["accountNumber"])
        sundry = row.reference_id or ""
    return cpa005.Payment(
        direction=Direction(row.direction),
        transaction_code=code,
        amount=row.amount,
        due_date=calendar.add_business_days(row.file_date, calendar.SETTLEMENT_LAG),
        institution=numbers[0],
        transit=numbers[1],
        account=numbers[2],
        name=_bank_text(name, 30) or "PAYOR",
        cross_reference=row.id.replace("-", "")[:19].upper(),
        sundry=_bank_text(sundry, 15),
        returns_to=(payee["institutionCode"], payee["transitNumber"], payee["accountNumber"]),
    )


def _unfiled_days(db: DbSession) -> set[date]:
    days: set[date] = set()
    for t in records.CARRIERS:
        days.update(d for d in db.scalars(select(t.file_date).distinct().where(t.file_id.is_(None))) if d)
    return days


def write_due(ctx: InstanceContext, db: DbSession, now: datetime) -> list[tables.PayFile]:
    """Write the file of every day whose cut-off passed by ``now`` and that carries a payment not yet filed.

    The caller holds the Pay clock's lock (one settlement at a time), so a day's file is written once."""
    written = []
    for day in sorted(_unfiled_days(db)):
        if calendar.cutoff_instant(day) > now:
            continue
        rows: list[records.Carrier] = []
        for t in records.CARRIERS:
            rows.extend(db.scalars(select(t).where(t.file_date == day, t.file_id.is_(None)).order_by(t.id)))
        for row in rows:
            records.catch_up(ctx, db, row, now)  # sent at the cut-off: Processed, perhaps Settled since
        sent = [row for row in rows if row.payment_status in SENT]
        if not sent:
            continue
        count = db.scalar(select(func.count()).select_from(tables.PayFile)) or 0
        made = tables.PayFile(
            id=ctx.spec.ids.random(), file_date=day, creation_number=count % 9999 + 1, created_at=now
        )
        db.add(made)
        for row in sent:
            row.file_id = made.id
        written.append(made)
    return written


def render(ctx: InstanceContext, db: DbSession, made: tables.PayFile) -> str:
    rows: list[records.Carrier] = []
    for t in records.CARRIERS:
        rows.extend(db.scalars(select(t).where(t.file_id == made.id)))
    rows.sort(key=lambda row: row.id)
    return cpa005.write_file(
        originator(ctx),
        [payment(db, row) for row in rows],
        file_number=made.creation_number,
        created=made.file_date,
    )


def summaries(db: DbSession, day: date | None = None) -> list[FileSummary]:
    """The files written, newest day first (or the one of ``day``), with their debit and credit totals."""
    f = tables.PayFile
    query = select(f).order_by(f.file_date.desc())
    if day is not None:
        query = query.where(f.file_date == day)
    made_files = list(db.scalars(query))
    wanted = [made.id for made in made_files]
    totals: dict[tuple[str, str], tuple[int, int]] = {}
    for t in records.CARRIERS:
        filed = t.file_id.in_(wanted) if day is not None else t.file_id.is_not(None)
        for file_id, direction, count, total in db.execute(
            select(t.file_id, t.direction, func.count(), func.coalesce(func.sum(t.amount), 0))
            .where(filed)
            .group_by(t.file_id, t.direction)
        ):
            was = totals.get((str(file_id), str(direction)), (0, 0))
            totals[str(file_id), str(direction)] = (was[0] + int(count), was[1] + int(total or 0))
    out = []
    for made in made_files:
        debits = totals.get((made.id, Direction.DEBIT.value), (0, 0))
        credits = totals.get((made.id, Direction.CREDIT.value), (0, 0))
        out.append(FileSummary(made.file_date, made.creation_number, made.created_at, *debits, *credits))
    return out


def listing(ctx: InstanceContext, authorization: str | None) -> dict[str, Any]:
    """The instance's files, newest first, to any of its Pay API clients."""
    clients.authenticate(ctx, "pay", authorization)
    with ctx.store.read() as db:
        return {"files": [summary.wire() for summary in summaries(db)]}


def download(ctx: InstanceContext, authorization: str | None, day: str) -> bytes:
    """The file of ``day`` (``YYYY-MM-DD``), as written: 1464-character records ending CR LF."""
    clients.authenticate(ctx, "pay", authorization)
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        raise errors.InvalidRequest("The file's date must be YYYY-MM-DD.") from None
    with ctx.store.read() as db:
        made = db.scalars(select(tables.PayFile).where(tables.PayFile.file_date == wanted)).first()
        if made is None:
            raise errors.NotFound("This instance wrote no file for that day.")
        return render(ctx, db, made).encode("ascii")
