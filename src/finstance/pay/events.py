"""Pay's webhooks, from the instance whose session moved, through its outbox (core/webhooks.py).

* ``SessionSetupStatusChanged`` (Flinks' Guaranteed EFT session webhook): when a session ends ``Completed``,
  ``Failed`` or ``Canceled``; never for ``Initiated``, ``InProgress`` or ``Expired``. Sent **once**, not
  retried, as Flinks sends it; it carries no event id: receivers de-duplicate on ``sessionId`` and reconcile
  with ``GET /api/v2/sessions/{id}/status``, whose fields it repeats.
* ``PaymentStatusChanged``: the money's own moves after the payor's part, ``Processed`` (in the day's file),
  ``Settled`` and ``Returned`` (with the CPA return code and its reason). Flinks announced status-change
  events for Pay without publishing their body; this one follows the session event's shape and is retried
  as every other event of the instance. A payment of an EFT V1 schedule sends it too, with its
  ``requestId`` and ``scheduleId`` instead of a ``sessionId``, and also when it expires unsigned.

Each body names its type in ``eventType`` and carries ``when``, the instant it was written (real time, so a
receiver's replay window works while a sandbox's Pay clock runs ahead); ``effectiveAt`` is when the move
happened on the Pay clock. Every delivery is signed with ``X-Webhook-Signature: sha256=<HEX>``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session as DbSession

from finstance.core import webhooks
from finstance.core.context import InstanceContext
from finstance.pay import money, tables
from finstance.pay.lifecycle import PaymentStatus, SessionStatus
from finstance.pay.rails import Rail
from finstance.pay.returns import UnknownReturnCode, return_reason

SESSION_CHANGED = "SessionSetupStatusChanged"
PAYMENT_CHANGED = "PaymentStatusChanged"
EVENTS = (SESSION_CHANGED, PAYMENT_CHANGED)
SESSION_ENDS = frozenset({SessionStatus.COMPLETED, SessionStatus.FAILED, SessionStatus.CANCELED})
PAYMENT_MOVES = frozenset({PaymentStatus.PROCESSED, PaymentStatus.SETTLED, PaymentStatus.RETURNED})
REQUEST_MOVES = PAYMENT_MOVES | {PaymentStatus.EXPIRED}


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def amount(cents: int | None) -> int | float | None:
    """The wire's amount: a JSON number of dollars (its shortest form: 250.5, 500), from exact cents."""
    if cents is None:
        return None
    return cents // 100 if cents % 100 == 0 else float(money.format_amount(cents))


def changed(
    ctx: InstanceContext,
    db: DbSession,
    row: tables.PaySession,
    was: tuple[SessionStatus, PaymentStatus],
) -> None:
    """The events of a move of ``row`` from ``was`` (its session and payment statuses), in its transaction."""
    common: dict[str, Any] = {"when": _stamp(ctx.clock.now()), "sessionId": row.id}
    common.update(referenceId=row.reference_id, amount=amount(row.amount))
    if row.status is not was[0] and row.status in SESSION_ENDS:
        body = {"eventType": SESSION_CHANGED, **common}
        body.update(status=row.status.value, statusDetails=row.status_details)
        webhooks.emit(ctx, db, SESSION_CHANGED, body, row.login_id, envelope=False, max_attempts=1)
    if row.payment_status is not was[1] and row.payment_status in PAYMENT_MOVES:
        body = {"eventType": PAYMENT_CHANGED, **common, "type": Rail(row.rail).wire_type}
        body.update(
            direction=row.direction,
            paymentStatus=row.payment_status.value,
            statusDetails=row.payment_details,
            effectiveAt=_stamp(row.payment_since),
            fileDate=None if row.file_date is None else row.file_date.isoformat(),
        )
        _return_reason(body, row.payment_status, row.payment_details)
        webhooks.emit(ctx, db, PAYMENT_CHANGED, body, row.login_id, envelope=False, seq=1)


def request_changed(ctx: InstanceContext, db: DbSession, row: tables.PayRequest, was: PaymentStatus) -> None:
    """``PaymentStatusChanged`` for a payment of an EFT V1 schedule: the same moves as a session's money,
    and ``Expired`` (a debit whose PAD agreement was not signed by its payment day)."""
    if row.payment_status is was or row.payment_status not in REQUEST_MOVES:
        return
    schedule = db.get(tables.PaySchedule, row.schedule_id)
    body: dict[str, Any] = {"eventType": PAYMENT_CHANGED, "when": _stamp(ctx.clock.now())}
    body.update(requestId=row.id, scheduleId=row.schedule_id, sequence=row.sequence)
    body.update(
        crossReferenceNumber=None if schedule is None else schedule.cross_reference,
        amount=amount(row.amount),
        type=Rail(row.rail).wire_type,
        direction=row.direction,
        paymentStatus=row.payment_status.value,
        statusDetails=row.payment_details,
        effectiveAt=_stamp(row.payment_since),
        fileDate=None if row.file_date is None else row.file_date.isoformat(),
    )
    _return_reason(body, row.payment_status, row.payment_details)
    webhooks.emit(ctx, db, PAYMENT_CHANGED, body, None, envelope=False, seq=1)


def _return_reason(body: dict[str, Any], status: PaymentStatus, details: str | None) -> None:
    if status is PaymentStatus.RETURNED and details:
        try:
            body["returnReason"] = return_reason(details).reason
        except UnknownReturnCode:  # only a known code can be forced; an old row may hold another
            body["returnReason"] = None
