"""EFT API V1's payment requests: each payment of a schedule (pay/schedules.py), read with
``GET /api/v1/paymentrequests/{requestId}`` and stopped with ``POST …/cancel``.

The answer carries both shapes Flinks publishes for a payment request (products 3.1: ``requestId``,
``status``, ``ReferenceId``, ``PaymentLink``, and ``id``, ``status``, ``paymentReferenceNumber``), plus
``statusDetails`` (an EFT code, or the CPA return code of a return) and the EFT status Flinks' EFT overview
names (``Received`` … ``Settled``, ``Cancelled``, ``Rejected``). Every read applies what the Pay clock made
due first, so ``refreshStatus=true`` is always honoured.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from sqlalchemy.orm import Session as DbSession

from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.pay import clock, events, lifecycle, records, tables
from finstance.pay.fields import owned
from finstance.pay.lifecycle import PaymentStatus

_S = PaymentStatus
EFT_STATUS: Mapping[PaymentStatus, str] = MappingProxyType(
    {
        _S.INITIATED: "Received",  # waiting for its PAD agreement
        _S.PROCESSING: "Created",  # authorized, queued for its payment day
        _S.ACCEPTED: "Created",
        _S.PROCESSED: "Submitted",
        _S.SETTLED: "Settled",
        _S.CANCELLED: "Cancelled",
        _S.EXPIRED: "Cancelled",
        _S.FAILED: "Rejected",
        _S.DECLINED: "Rejected",
        _S.RETURNED: "Rejected",
    }
)


def find(db: DbSession, client_id: str, request_id: str, *, lock: bool = False) -> tables.PayRequest:
    message = "No payment request of this client has this requestId."
    return owned(db, tables.PayRequest, request_id, client_id, message, lock=lock)


def view(db: DbSession, row: tables.PayRequest, base: str) -> dict[str, Any]:
    schedule = db.get(tables.PaySchedule, row.schedule_id)
    assert schedule is not None  # a payment goes with its schedule
    link = None if schedule.pad_id is None else pad_link(base, schedule.pad_id)
    return {
        "id": row.id,
        "requestId": row.id,
        "status": row.payment_status.value,
        "statusDetails": row.payment_details,
        "eftStatus": EFT_STATUS[row.payment_status],
        "paymentReferenceNumber": f"FLK-{row.payment_date:%Y%m%d}-{row.id[:8].upper()}",
        "ReferenceId": schedule.cross_reference,
        "PaymentLink": link,
        "scheduleId": schedule.id,
        "sequence": row.sequence,
        "amount": events.amount(row.amount),
        "paymentDirection": row.direction,
        "paymentDate": row.payment_date.isoformat(),
        "fileDate": None if row.file_date is None else row.file_date.isoformat(),
    }


def pad_link(base: str, pad_id: str) -> str:
    """Where the payor reads and signs a PAD agreement: the instance's own page."""
    return f"{base}/pay/pad/{pad_id}"


def _current(ctx: InstanceContext, client_id: str, request_id: str) -> bool:
    """Whether the row is as the clock has it (nothing due): the usual poll takes no write lock."""
    with ctx.store.read() as db:
        row = find(db, client_id, request_id)
        return row.due_at is None or row.due_at > clock.now(ctx, db)


def get(ctx: InstanceContext, client_id: str, request_id: str, base: str) -> dict[str, Any]:
    if _current(ctx, client_id, request_id):
        with ctx.store.read() as db:
            return view(db, find(db, client_id, request_id), base)
    with ctx.store.write() as db:
        row = find(db, client_id, request_id, lock=True)
        records.catch_up(ctx, db, row, clock.now(ctx, db))
        return view(db, row, base)


def cancel(ctx: InstanceContext, client_id: str, request_id: str, base: str) -> dict[str, Any]:
    """Stop one payment before it is sent in a file (``Cancelled``, EFT0501); 400 once it is."""
    with ctx.store.write() as db:
        row = find(db, client_id, request_id, lock=True)
        now = clock.now(ctx, db)
        records.catch_up(ctx, db, row, now)
        request = records.request_of(row)
        if not lifecycle.allowed(request, lifecycle.Event.CANCEL):
            raise errors.InvalidRequest(
                f"The payment request is {row.payment_status.value}: it cannot be cancelled."
            )
        records.store(ctx, db, row, lifecycle.cancel(request, now), now)
        return view(db, row, base)
