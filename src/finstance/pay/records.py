"""A row that carries a payment request (a V2 session, or a payment of an EFT V1 schedule): read the
request, store a move of it, and tell the instance's webhooks (pay/events.py), in the caller's transaction.

Every move goes through :func:`store`, whoever makes it (the payor's flow, the API, the sandbox, the clock
through :func:`catch_up`), so a row's ``due_at`` (when the clock moves it next) and ``file_date`` (the
business day whose CPA-005 file carries an accepted EFT) are always those of its request.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session as DbSession

from finstance.core.context import InstanceContext
from finstance.pay import calendar, events, lifecycle, tables
from finstance.pay.lifecycle import PaymentRequest, PaymentStatus, SessionStatus
from finstance.pay.rails import Direction, Rail

START = "Start"
COMPLETE = "Complete"
ENDED = (SessionStatus.COMPLETED, SessionStatus.FAILED, SessionStatus.CANCELED, SessionStatus.EXPIRED)
Carrier = tables.PaySession | tables.PayRequest
CARRIERS: tuple[type[Carrier], ...] = (tables.PaySession, tables.PayRequest)


def request_of(row: Carrier) -> PaymentRequest:
    return PaymentRequest(
        rail=Rail(row.rail),
        direction=Direction(row.direction),
        status=row.payment_status,
        since=row.payment_since,
        status_details=row.payment_details,
        amount=row.amount,
        scheduled=row.scheduled_at if isinstance(row, tables.PayRequest) else None,
    )


def store(ctx: InstanceContext, db: DbSession, row: Carrier, request: PaymentRequest, now: datetime) -> None:
    """Keep ``request`` as the row's payment request (a session's words for it too), and its events."""
    if request == request_of(row):
        return
    was_payment = row.payment_status
    row.payment_status, row.payment_since = request.status, request.since
    row.payment_details = request.status_details
    step = lifecycle.next_transition(request)
    row.due_at = None if step is None else step.at
    if request.status is PaymentStatus.ACCEPTED and request.rail.batched:
        row.file_date = calendar.file_date(request.since)
    elif request.status in (PaymentStatus.CANCELLED, PaymentStatus.FAILED, PaymentStatus.DECLINED):
        row.file_date = None
    row.updated_at = now
    if isinstance(row, tables.PayRequest):
        events.request_changed(ctx, db, row, was_payment)
        return
    was = (row.status, was_payment)
    row.amount = request.amount
    status, details = lifecycle.session_view(request)
    if status is not row.status:
        row.step = COMPLETE if status in ENDED else row.step
        row.completed_at = request.since if status in ENDED else None
    row.status, row.status_details = status, details
    events.changed(ctx, db, row, was)


def catch_up(ctx: InstanceContext, db: DbSession, row: Carrier, now: datetime) -> None:
    """Store each move the clock made due by ``now``, one at a time (each has its event)."""
    for request in lifecycle.moves(request_of(row), now):
        store(ctx, db, row, request, now)
