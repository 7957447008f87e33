"""EFT API V1's transactions and schedules (reference 6.3b, products 3.1): ``POST /api/v1/transactions``
creates one schedule of payments between the API client and a contact's bank account; ``GET`` and ``cancel``
read and stop it.

The body is a JSON array holding exactly one transaction (no batches). Its rules:

* ``paymentDirection`` ``DEBIT`` (collect from the ``payor``; ``payee`` null; ``startDate`` after today) or
  ``CREDIT`` (send to the ``payee``; ``payor`` null; ``OneTime`` only, ``startDate`` today);
* ``scheduleInfo.paymentFrequency`` ``OneTime`` (``startDate`` only), or ``Weekly``, ``Biweekly`` or
  ``Monthly`` with exactly one of ``endDate`` (after ``startDate``) or ``transactionsCount``, at most 300
  payments either way;
* ``transactionCode`` one of the direction's purpose codes (pay/catalog.py), ``amount`` from $0.01, exact to
  the cent, ``currency`` ``CAD``, ``description`` at most 15 characters, ``crossReferenceNumber`` at most 36
  letters, digits and hyphens.

"Today" is the Toronto date on the instance's Pay clock. Each payment is a payment request of its own
(``pay_requests``, read with ``GET /api/v1/paymentrequests/{id}``), moved by the lifecycle every Pay payment
follows: a debit waits for its PAD agreement to be signed (pay/pads.py) and expires when its payment day comes
first; once signed, or at once for a credit, the clock accepts it on its payment day, sends it in that day's
CPA-005 file and settles it the next business day.

An ``Idempotency-Key`` header works as on V2 sessions: the same key and body give back the same schedule.
"""

from __future__ import annotations

import calendar as months
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.pay import (
    calendar,
    catalog,
    clock,
    contacts,
    events,
    fields,
    lifecycle,
    money,
    records,
    tables,
)
from finstance.pay.fields import owned
from finstance.pay.lifecycle import PaymentStatus
from finstance.pay.rails import Direction, Rail

MAX_PAYMENTS = 300
ONE_TIME = "OneTime"
STEPS = {"Weekly": timedelta(weeks=1), "Biweekly": timedelta(weeks=2), "Monthly": None}
FREQUENCIES = (ONE_TIME, *STEPS)
ACTIVE, CANCELLED = tables.ScheduleStatus.ACTIVE, tables.ScheduleStatus.CANCELLED
COMPLETED, PENDING_PAD = "Completed", "Pending"
T = TypeVar("T")
PENDING = (PaymentStatus.INITIATED, PaymentStatus.PROCESSING, PaymentStatus.ACCEPTED)
_REFERENCE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")


@dataclass(frozen=True, slots=True)
class Created:
    body: dict[str, Any]  # {"schedules": [...]}
    replayed: bool


@dataclass(frozen=True, slots=True)
class Plan:
    """A validated transaction, before it is stored."""

    direction: Direction
    amount: int
    transaction_code: int
    description: str | None
    cross_reference: str | None
    frequency: str
    dates: tuple[date, ...]
    party: dict[str, Any]  # the payor's or payee's body


def _one(body: Any) -> dict[str, Any]:
    if not isinstance(body, list):
        raise errors.InvalidRequest("The body must be a JSON array holding one transaction.")
    if len(body) != 1:
        raise errors.InvalidRequest("Send exactly one transaction per call: batches are not supported.")
    if not isinstance(body[0], dict):
        raise errors.InvalidRequest("The transaction must be a JSON object.")
    return body[0]


def _date(value: Any, field: str) -> date:
    if not isinstance(value, str):
        raise errors.InvalidRequest(f"{field} must be a date, YYYY-MM-DD.")
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise errors.InvalidRequest(f"{field} must be a date, YYYY-MM-DD.") from None


def _plus_months(start: date, count: int) -> date:
    month = start.month - 1 + count
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, months.monthrange(year, month)[1]))


def payment_dates(frequency: str, start: date, end: date | None, count: int | None) -> tuple[date, ...]:
    """The payment days of a schedule: every step from ``start`` (a month keeps the start's day, or the
    month's last), ``count`` of them or up to ``end``; 400 past :data:`MAX_PAYMENTS`."""
    if frequency == ONE_TIME:
        return (start,)
    step = STEPS[frequency]
    out: list[date] = []
    while len(out) <= MAX_PAYMENTS:
        day = _plus_months(start, len(out)) if step is None else start + step * len(out)
        if (count is not None and len(out) == count) or (end is not None and day > end):
            break
        out.append(day)
    if len(out) > MAX_PAYMENTS:
        raise errors.InvalidRequest(f"A schedule makes at most {MAX_PAYMENTS} payments: this one makes more.")
    return tuple(out)


def _schedule_info(info: dict[str, Any], direction: Direction, today: date) -> tuple[str, tuple[date, ...]]:
    frequency = info.get("paymentFrequency", info.get("frequency"))
    if frequency not in FREQUENCIES:
        raise errors.InvalidRequest(f"scheduleInfo.paymentFrequency must be one of {', '.join(FREQUENCIES)}.")
    start = _date(info.get("startDate"), "scheduleInfo.startDate")
    end_raw, count = info.get("endDate"), info.get("transactionsCount")
    end = None if end_raw is None else _date(end_raw, "scheduleInfo.endDate")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
        raise errors.InvalidRequest("scheduleInfo.transactionsCount must be a whole number.")
    if direction is Direction.CREDIT:
        if frequency != ONE_TIME:
            raise errors.InvalidRequest("A CREDIT is OneTime only.")
        if start != today:
            raise errors.InvalidRequest(
                f"A CREDIT's scheduleInfo.startDate must be today, {today.isoformat()}."
            )
    elif start <= today:
        raise errors.InvalidRequest(
            f"A DEBIT's scheduleInfo.startDate must be after today, {today.isoformat()}."
        )
    if frequency == ONE_TIME:
        if end is not None or count not in (None, 1):
            raise errors.InvalidRequest("A OneTime transaction takes scheduleInfo.startDate only.")
        return frequency, (start,)
    if (end is None) == (count is None):
        raise errors.InvalidRequest(
            "A recurring schedule takes exactly one of scheduleInfo.endDate and "
            "scheduleInfo.transactionsCount."
        )
    if end is not None and end <= start:
        raise errors.InvalidRequest("scheduleInfo.endDate must be after scheduleInfo.startDate.")
    if count is not None and not 1 <= count <= MAX_PAYMENTS:
        raise errors.InvalidRequest(f"scheduleInfo.transactionsCount must be 1 to {MAX_PAYMENTS}.")
    return frequency, payment_dates(frequency, start, end, count)


def _optional_text(body: dict[str, Any], field: str, limit: int) -> str | None:
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise errors.InvalidRequest(f"{field} must be a non-empty string.")
    if len(value) > limit:
        raise errors.InvalidRequest(f"{field} must be at most {limit} characters.")
    return value


def validate(body: Any, today: date) -> Plan:
    """The schedule a create body asks for; 400 INVALID_REQUEST naming the first rule it breaks."""
    item = _one(body)
    direction = item.get("paymentDirection")
    if direction not in (Direction.DEBIT.value, Direction.CREDIT.value):
        raise errors.InvalidRequest('paymentDirection must be "DEBIT" or "CREDIT".')
    direction = Direction(direction)
    if item.get("currency", "CAD") != "CAD":
        raise errors.InvalidRequest('currency must be "CAD": EFT moves Canadian dollars only.')
    if item.get("amount") is None:
        raise errors.InvalidRequest("amount is required.")
    amount = money.AmountLimits().check(money.parse_amount(item["amount"]))
    code = catalog.transaction_code(item.get("transactionCode"), direction)
    description = _optional_text(item, "description", 15)
    reference = _optional_text(item, "crossReferenceNumber", 36)
    if reference is not None and not set(reference) <= _REFERENCE:
        raise errors.InvalidRequest("crossReferenceNumber takes letters, digits and hyphens only.")
    ours, theirs = ("payor", "payee") if direction is Direction.DEBIT else ("payee", "payor")
    if item.get(theirs) is not None:
        raise errors.InvalidRequest(f"A {direction.value}'s {theirs} must be null.")
    party = item.get(ours)
    if not isinstance(party, dict):
        raise errors.InvalidRequest(f"A {direction.value} needs a {ours} object.")
    info = item.get("scheduleInfo")
    if not isinstance(info, dict):
        raise errors.InvalidRequest("scheduleInfo is required: paymentFrequency and startDate.")
    frequency, dates = _schedule_info(info, direction, today)
    return Plan(direction, amount, code, description, reference, frequency, dates, party)


def create(ctx: InstanceContext, client_id: str, raw: bytes, idempotency_key: str | None) -> Created:
    """Store the schedule a create body asks for, its payments and (for a debit) its PAD agreement, in one
    write transaction; a refusal stores nothing. A create racing with the same key replays the winner's."""
    return fields.once_per_key(lambda: _create(ctx, client_id, raw, idempotency_key), idempotency_key)


def _create(ctx: InstanceContext, client_id: str, raw: bytes, idempotency_key: str | None) -> Created:
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise errors.InvalidRequest("The body must be a JSON array holding one transaction.") from None
    fields.check_key(idempotency_key)
    digest = fields.body_hash(body)
    with ctx.store.write() as db:
        done = fields.replay(db, tables.PaySchedule, client_id, idempotency_key, digest, "transaction")
        if done is not None:
            return Created({"schedules": [created_view(db, done)]}, replayed=True)
        now = clock.now(ctx, db)
        plan = validate(body, calendar.local(now).date())
        where = "payor." if plan.direction is Direction.DEBIT else "payee."
        party = contacts.party(db, client_id, plan.party, where, now, ctx.spec.ids.random)
        schedule = tables.PaySchedule(
            id=ctx.spec.ids.random(),
            client_id=client_id,
            contact_id=party.contact.id,
            account_id=party.account.id,
            direction=plan.direction.value,
            amount=plan.amount,
            currency="CAD",
            transaction_code=plan.transaction_code,
            description=plan.description,
            cross_reference=plan.cross_reference,
            frequency=plan.frequency,
            start_date=plan.dates[0],
            end_date=plan.dates[-1],
            transactions_count=len(plan.dates),
            status=ACTIVE,
            pad_id=ctx.spec.ids.random() if plan.direction is Direction.DEBIT else None,
            pad_signed_at=None,
            idempotency_key=idempotency_key,
            request_hash=digest,
            created_at=now,
            updated_at=now,
        )
        db.add(schedule)
        for sequence, day in enumerate(plan.dates, start=1):
            row = _payment(ctx, schedule, sequence, day, now)
            db.add(row)
            records.catch_up(ctx, db, row, now)  # a credit dated today is accepted at once
        db.flush()
        return Created({"schedules": [created_view(db, schedule)]}, replayed=False)


def _payment(
    ctx: InstanceContext, schedule: tables.PaySchedule, sequence: int, day: date, now: datetime
) -> tables.PayRequest:
    """A payment as created: a debit waits for its agreement (it expires when its day comes first); a credit
    needs none, so it is authorized at once."""
    scheduled = calendar.start_of(day)
    credit = schedule.direction == Direction.CREDIT.value
    request = lifecycle.new_request(
        Rail.EFT, Direction(schedule.direction), now, amount=schedule.amount, scheduled=scheduled
    )
    if credit:
        request = dataclasses.replace(request, status=PaymentStatus.PROCESSING, status_details=None)
    step = lifecycle.next_transition(request)
    return tables.PayRequest(
        id=ctx.spec.ids.random(),
        schedule_id=schedule.id,
        client_id=schedule.client_id,
        sequence=sequence,
        payment_date=day,
        scheduled_at=scheduled,
        rail=Rail.EFT.value,
        direction=schedule.direction,
        amount=schedule.amount,
        payment_status=request.status,
        payment_since=now,
        payment_details=request.status_details,
        due_at=None if step is None else step.at,
        file_date=None,
        file_id=None,
        created_at=now,
        updated_at=now,
    )


def find(db: DbSession, client_id: str, schedule_id: str, *, lock: bool = False) -> tables.PaySchedule:
    message = "No schedule of this client has this scheduleId."
    return owned(db, tables.PaySchedule, schedule_id, client_id, message, lock=lock)


def payments(db: DbSession, schedule: tables.PaySchedule) -> list[tables.PayRequest]:
    r = tables.PayRequest
    return list(db.scalars(select(r).where(r.schedule_id == schedule.id).order_by(r.sequence)))


def current(
    ctx: InstanceContext,
    find_in: Callable[[DbSession, bool], tables.PaySchedule],
    render: Callable[[DbSession, tables.PaySchedule], T],
) -> T:
    """``render`` of the schedule ``find_in`` finds, as the Pay clock has it: in one read when nothing is due
    on its payments (the usual poll takes no write lock), else once the due moves are stored."""
    with ctx.store.read() as db:
        schedule = find_in(db, False)
        r = tables.PayRequest
        due = select(r.id).where(r.schedule_id == schedule.id, r.due_at <= clock.now(ctx, db)).limit(1)
        if db.scalar(due) is None:
            return render(db, schedule)
    with ctx.store.write() as db:
        schedule = find_in(db, True)
        now = clock.now(ctx, db)
        for row in payments(db, schedule):
            records.catch_up(ctx, db, row, now)
        db.flush()
        return render(db, schedule)


def status(schedule: tables.PaySchedule, rows: list[tables.PayRequest]) -> str:
    """``Active`` while one of its payments ``rows`` is still to go, ``Completed`` once none is,
    ``Cancelled`` once stopped."""
    if schedule.status is CANCELLED:
        return CANCELLED.value
    return ACTIVE.value if any(p.payment_status in PENDING for p in rows) else COMPLETED


def pad_status(schedule: tables.PaySchedule, rows: list[tables.PayRequest]) -> str | None:
    """The PAD agreement's status: ``Pending`` until the payor signs it, then ``Active``; ``Cancelled`` with
    its schedule, ``Expired`` when every payment's day came unsigned. None for a credit (no agreement)."""
    if schedule.pad_id is None:
        return None
    if schedule.status is CANCELLED:
        return CANCELLED.value
    if schedule.pad_signed_at is not None:
        return ACTIVE.value
    return PENDING_PAD if any(p.payment_status is not PaymentStatus.EXPIRED for p in rows) else "Expired"


def _party(db: DbSession, schedule: tables.PaySchedule) -> dict[str, Any]:
    contact = db.get(tables.PayContact, schedule.contact_id)
    assert contact is not None  # a schedule keeps its contact
    return {
        "name": contacts.display_name(contact),
        "email": contact.email,
        "contactId": contact.id,
        "accountId": schedule.account_id,
    }


def _sides(db: DbSession, schedule: tables.PaySchedule) -> dict[str, Any]:
    them = _party(db, schedule)
    client: dict[str, Any] = {"name": None, "email": None}
    if schedule.direction == Direction.DEBIT.value:
        return {"payor": them, "payee": client}
    return {"payor": client, "payee": them}


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def created_view(db: DbSession, schedule: tables.PaySchedule) -> dict[str, Any]:
    """A schedule as ``POST /api/v1/transactions`` answers it (Flinks' sample: dates as midnight instants,
    ``frequency``), with the contact's and account's ids a later transaction can name."""
    rows = payments(db, schedule)
    return {
        "id": schedule.id,
        "amount": events.amount(schedule.amount),
        "startDate": f"{schedule.start_date.isoformat()}T00:00:00",
        "endDate": None if schedule.end_date is None else f"{schedule.end_date.isoformat()}T00:00:00",
        "transactionsCount": schedule.transactions_count,
        "frequency": schedule.frequency,
        **_sides(db, schedule),
        "status": status(schedule, rows),
        "padStatus": pad_status(schedule, rows),
        "padId": schedule.pad_id,
        "crossReferenceNumber": schedule.cross_reference,
        "paymentDirection": schedule.direction,
    }


def view(db: DbSession, schedule: tables.PaySchedule) -> dict[str, Any]:
    """A schedule as ``GET /api/v1/schedules/{scheduleId}`` answers it, with its payments (their
    ``requestId`` is what ``GET /api/v1/paymentrequests/{requestId}`` takes)."""
    rows = payments(db, schedule)
    return {
        "id": schedule.id,
        "amount": events.amount(schedule.amount),
        "startDate": schedule.start_date.isoformat(),
        "endDate": None if schedule.end_date is None else schedule.end_date.isoformat(),
        "transactionsCount": schedule.transactions_count,
        "paymentFrequency": schedule.frequency,
        "paymentDirection": schedule.direction,
        "paymentType": "EFT",
        "transactionCode": schedule.transaction_code,
        "description": schedule.description,
        "status": status(schedule, rows),
        "padId": schedule.pad_id,
        "padStatus": pad_status(schedule, rows),
        "crossReferenceNumber": schedule.cross_reference,
        **_sides(db, schedule),
        "payments": [
            {
                "requestId": p.id,
                "sequence": p.sequence,
                "paymentDate": p.payment_date.isoformat(),
                "status": p.payment_status.value,
                "statusDetails": p.payment_details,
                "fileDate": None if p.file_date is None else p.file_date.isoformat(),
            }
            for p in rows
        ],
        "createdAt": stamp(schedule.created_at),
        "lastModifiedAt": stamp(schedule.updated_at),
    }


def get(ctx: InstanceContext, client_id: str, schedule_id: str) -> dict[str, Any]:
    return current(ctx, lambda db, lock: find(db, client_id, schedule_id, lock=lock), view)


def cancel(ctx: InstanceContext, client_id: str, schedule_id: str) -> None:
    """Stop every payment of the schedule not yet sent in a file; 400 when none is left to stop."""
    with ctx.store.write() as db:
        schedule = find(db, client_id, schedule_id, lock=True)
        now = clock.now(ctx, db)
        stopped = 0
        for row in payments(db, schedule):
            records.catch_up(ctx, db, row, now)
            request = records.request_of(row)
            if schedule.status is not CANCELLED and lifecycle.allowed(request, lifecycle.Event.CANCEL):
                records.store(ctx, db, row, lifecycle.cancel(request, now), now)
                stopped += 1
        if not stopped:
            raise errors.InvalidRequest("Schedule cannot be cancelled: it has no payment left to stop.")
        schedule.status, schedule.updated_at = CANCELLED, now
