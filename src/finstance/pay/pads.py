"""PAD agreements of EFT API V1: a debit schedule's Pre-Authorized Debit agreement, read by the API client
(``GET /api/v1/pads/{padId}``, with its ``padLink``) and signed by the payor on the instance's own page
(``/pay/pad/{padId}``, pay/web/pad.py).

Signing authorizes every payment of the schedule still waiting for it: each is then accepted by the Pay clock
on its payment day (pay/lifecycle.py). A payment whose day came before the signature has expired and stays so.
The padId is the page's only key, as a sessionId is the payment widget's: whoever holds the link can read the
agreement (its account number masked) and sign it, which is what the link is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.pay import clock, contacts, events, lifecycle, payments, records, schedules, tables
from finstance.pay.fields import identifier
from finstance.pay.lifecycle import PaymentStatus

SIGNABLE = schedules.PENDING_PAD


def _find(
    db: DbSession, pad_id: str, client_id: str | None = None, *, lock: bool = False
) -> tables.PaySchedule:
    """The schedule of the agreement ``pad_id``; 404 when there is none (of ``client_id``, when given)."""
    key = identifier(pad_id)
    s = tables.PaySchedule
    query = select(s).where(s.pad_id == key)
    row = db.scalars(query.with_for_update() if lock else query).first() if key else None
    if row is None or (client_id is not None and row.client_id != client_id):
        raise errors.NotFound("No PAD agreement of this client has this padId.")
    return row


def view(db: DbSession, schedule: tables.PaySchedule, base: str) -> dict[str, Any]:
    """The agreement as ``GET /api/v1/pads/{padId}`` answers it (Flinks' sample shape)."""
    assert schedule.pad_id is not None
    contact = db.get(tables.PayContact, schedule.contact_id)
    account = db.get(tables.PayContactAccount, schedule.account_id)
    assert contact is not None and account is not None
    return {
        "id": schedule.pad_id,
        "padLink": payments.pad_link(base, schedule.pad_id),
        "scheduleId": schedule.id,
        "amount": events.amount(schedule.amount),
        "frequency": schedule.frequency,
        "status": schedules.pad_status(schedule, schedules.payments(db, schedule)),
        "startDate": schedule.start_date.isoformat(),
        "endDate": None if schedule.end_date is None else schedule.end_date.isoformat(),
        "transactionsCount": schedule.transactions_count,
        "signedAt": None if schedule.pad_signed_at is None else schedules.stamp(schedule.pad_signed_at),
        "createdAt": schedules.stamp(schedule.created_at),
        "lastModifiedAt": schedules.stamp(schedule.updated_at),
        "payor": {
            "name": contacts.display_name(contact),
            "email": contact.email,
            "type": contact.contact_type,
            "institutionCode": account.institution_code,
            "transitNumber": account.transit_number,
            "accountNumber": account.account_number,
        },
        "payee": {"name": None, "email": None, "address": None},
    }


def get(ctx: InstanceContext, client_id: str, pad_id: str, base: str) -> dict[str, Any]:
    return schedules.current(
        ctx, lambda db, lock: _find(db, pad_id, client_id, lock=lock), lambda db, row: view(db, row, base)
    )


@dataclass(frozen=True, slots=True)
class Agreement:
    """What the signing page shows: the terms, never the whole account number."""

    pad_id: str
    status: str  # Pending, Active, Cancelled, Expired
    payor: str
    payee: str
    amount: int
    frequency: str
    start: str
    count: int
    account: str  # institution-transit and the number's last digits


def agreement(ctx: InstanceContext, pad_id: str) -> Agreement:
    """The agreement as its page shows it, to whoever holds its link."""
    return schedules.current(
        ctx, lambda db, lock: _find(db, pad_id, lock=lock), lambda db, row: _agreement(ctx, db, row)
    )


def _agreement(ctx: InstanceContext, db: DbSession, schedule: tables.PaySchedule) -> Agreement:
    assert schedule.pad_id is not None
    contact = db.get(tables.PayContact, schedule.contact_id)
    account = db.get(tables.PayContactAccount, schedule.account_id)
    assert contact is not None and account is not None
    return Agreement(
        pad_id=schedule.pad_id,
        status=schedules.pad_status(schedule, schedules.payments(db, schedule)) or SIGNABLE,
        payor=contacts.display_name(contact),
        payee=ctx.spec.name,
        amount=schedule.amount,
        frequency=schedule.frequency,
        start=schedule.start_date.isoformat(),
        count=schedule.transactions_count,
        account=f"{account.institution_code}-{account.transit_number} ****{account.account_number[-4:]}",
    )


def sign(ctx: InstanceContext, pad_id: str) -> Agreement:
    """The payor signs: every payment still waiting is authorized; 400 when the agreement is not pending."""
    with ctx.store.write() as db:
        schedule = _find(db, pad_id, lock=True)
        now = clock.now(ctx, db)
        rows = schedules.payments(db, schedule)
        for row in rows:
            records.catch_up(ctx, db, row, now)
        state = schedules.pad_status(schedule, rows)
        if state != SIGNABLE:
            raise errors.InvalidRequest(f"This agreement is {state}: it can no longer be signed.")
        for row in rows:
            if row.payment_status is PaymentStatus.INITIATED:
                records.store(ctx, db, row, lifecycle.start(records.request_of(row), now), now)
                records.catch_up(ctx, db, row, now)
        schedule.pad_signed_at, schedule.updated_at = now, now
        db.flush()
        return _agreement(ctx, db, schedule)
