"""A sandbox instance's Pay controls, for an integrator's tests (as Plaid's ``/sandbox/transfer/simulate``
and test clocks are): play the payor's flow as a test user ends it, force what a bank or the payor would do
to the money, and move the Pay clock forward so that money is sent, settles and is filed.

Each answers 404 on a production instance: nothing there can be forced.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

from finstance.core import clients, errors
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.pay import clock, lifecycle, money, payments, records, sessions, settlement, tables
from finstance.pay.lifecycle import Details, SessionStatus
from finstance.sandbox.generator import generate_profile

# The holder of the sandbox's test users' accounts (products 3.1: Happy1's customer is John Doe): a payor
# named otherwise fails the identity check, EFT0403.
SANDBOX_HOLDER = ("john", "doe")
FORCED = ("return", "decline", "fail")
MAX_STEP = int(clock.LONGEST_STEP.total_seconds() // 60)  # any unit above this is past the longest step


def _sandbox(ctx: InstanceContext) -> None:
    if not ctx.spec.sandbox:
        raise errors.NotFound("Sandbox controls exist on sandbox instances only.")


def verified_account(username: str, today: date) -> dict[str, Any]:
    """The test user's chequing account at Flinks Capital, as the payor's flow selects it."""
    profile = generate_profile(username, Country.CA, today)
    chequing = next(a for a in profile.accounts if a.transit_number and a.institution_number)
    return {
        "institutionCode": chequing.institution_number,
        "transitNumber": chequing.transit_number,
        "accountNumber": chequing.account_number,
        "accountType": chequing.type,
        "institutionName": "Flinks Capital",
        "availableBalance": money.format_amount(chequing.balance_available_cents or 0),
    }


def payor(ctx: InstanceContext, authorization: str | None, session_id: str, raw: bytes) -> dict[str, Any]:
    """The payor's flow played through the API, as the payment widget ends it for a test user (``Happy1``
    to ``Happy3`` complete, ``Unhappy1`` fails with ``EFT0402``, a wrong password with ``EFT0401``, other
    names than the account holder's with ``EFT0403``); ``amount`` when the session has none."""
    _sandbox(ctx)
    use = clients.authenticate(ctx, "pay", authorization)
    body = sessions.json_body(raw)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise errors.InvalidRequest("username and password are required.")
    with ctx.store.write() as db:
        row = sessions.find(db, session_id, use.client_id, lock=True)
        now = sessions.current(ctx, db, row)
        if row.status is not SessionStatus.INITIATED:
            raise errors.InvalidRequest(f"The session is {row.status.value}: its payor's flow has ended.")
        request = records.request_of(row)
        if request.amount is None:
            entered = body.get("amount")
            if entered is None:
                raise errors.InvalidRequest("amount is required: this session lets the payor enter it.")
            request = dataclasses.replace(
                request, amount=money.AmountLimits().check(money.parse_amount(entered))
            )
        names = (
            str(row.payor.get("firstName", "")).casefold(),
            str(row.payor.get("lastName", "")).casefold(),
        )
        outcome = lifecycle.sandbox_outcome(username, password, names_match=names == SANDBOX_HOLDER)
        if outcome.event is lifecycle.Event.ACCEPT:
            row.payor = {**row.payor, "account": verified_account(username, now.date())}
        records.store(ctx, db, row, lifecycle.complete(lifecycle.start(request, now), outcome, now), now)
        return sessions.status_body(row)


def simulate(ctx: InstanceContext, authorization: str | None, session_id: str, raw: bytes) -> dict[str, Any]:
    """Force a move on a session's money: ``{"event": "return", "returnCode": "908"}`` (an EFT item sent
    back by the payor's bank, once it is in a file), ``{"event": "decline"}`` (the payor declines at their
    bank, before the flow ends) or ``{"event": "fail", "statusDetails": "EFT0404"}``."""
    _sandbox(ctx)
    use = clients.authenticate(ctx, "pay", authorization)
    body = sessions.json_body(raw)
    event = body.get("event")
    if event not in FORCED:
        raise errors.InvalidRequest(f"event must be one of {', '.join(FORCED)}.")
    with ctx.store.write() as db:
        row = sessions.find(db, session_id, use.client_id, lock=True)
        now = sessions.current(ctx, db, row)
        request = records.request_of(row)
        if event == "return":
            moved = lifecycle.force_return(request, now, _return_code(body))
        else:
            if request.status is lifecycle.PaymentStatus.INITIATED:
                request = lifecycle.start(request, now)
            if event == "decline":
                moved = lifecycle.force_decline(request, now)
            else:
                details = body.get("statusDetails", Details.INSUFFICIENT_BALANCE.value)
                try:
                    code = Details(details)
                except ValueError:
                    raise errors.InvalidRequest("statusDetails must be EFT0401 to EFT0404.") from None
                moved = lifecycle.force_failure(request, now, code)
        records.store(ctx, db, row, moved, now)
        return {**sessions.status_body(row), **_payment(row)}


def simulate_request(
    ctx: InstanceContext, authorization: str | None, request_id: str, raw: bytes, base: str
) -> dict[str, Any]:
    """Force a return on a payment of an EFT V1 schedule once it is in a file:
    ``{"event": "return", "returnCode": "908"}``. Declines and failures belong to a payor's flow, which
    a scheduled payment has none of."""
    _sandbox(ctx)
    use = clients.authenticate(ctx, "pay", authorization)
    body = sessions.json_body(raw)
    if body.get("event") != "return":
        raise errors.InvalidRequest('event must be "return": a scheduled payment can only be returned.')
    code = _return_code(body)
    with ctx.store.write() as db:
        row = payments.find(db, use.client_id, request_id, lock=True)
        now = clock.now(ctx, db)
        records.catch_up(ctx, db, row, now)
        records.store(ctx, db, row, lifecycle.force_return(records.request_of(row), now, code), now)
        return payments.view(db, row, base)


def _return_code(body: dict[str, Any]) -> str | int:
    code = body.get("returnCode")
    if not isinstance(code, (str, int)) or isinstance(code, bool):
        raise errors.InvalidRequest('returnCode is required: a CPA return reason code, e.g. "908".')
    return code


def _payment(row: tables.PaySession) -> dict[str, Any]:
    return {
        "paymentStatus": row.payment_status.value,
        "paymentStatusDetails": row.payment_details,
        "fileDate": None if row.file_date is None else row.file_date.isoformat(),
    }


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def clock_now(ctx: InstanceContext, authorization: str | None) -> dict[str, Any]:
    _sandbox(ctx)
    clients.authenticate(ctx, "pay", authorization)
    with ctx.store.read() as db:
        return {"now": _stamp(clock.now(ctx, db))}


def advance_clock(ctx: InstanceContext, authorization: str | None, raw: bytes) -> dict[str, Any]:
    """Move the Pay clock forward, to ``{"to": "2026-12-08T14:00:00Z"}`` or by ``{"days": 1, "hours": 2}``,
    and settle everything that made due: the answer lists the files written."""
    _sandbox(ctx)
    clients.authenticate(ctx, "pay", authorization)
    body = sessions.json_body(raw)
    with ctx.store.write() as db:
        target = _target(body, clock.now(ctx, db, lock=True))
        reached = clock.advance_to(ctx, db, target)
        done = settlement.settle(ctx, db, reached)
        return {
            "now": _stamp(reached),
            "moved": done.moved,
            "files": [summary.wire() for summary in done.files],
        }


def _target(body: dict[str, Any], now: datetime) -> datetime:
    to = body.get("to")
    steps = {k: body[k] for k in ("days", "hours", "minutes") if k in body}
    if (to is None) == (not steps):
        raise errors.InvalidRequest('Give either "to" (an instant) or "days", "hours" and "minutes".')
    if to is not None:
        try:
            return datetime.fromisoformat(str(to))
        except ValueError:
            raise errors.InvalidRequest('"to" must be an ISO 8601 instant.') from None
    if any(not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= MAX_STEP for v in steps.values()):
        raise errors.InvalidRequest(f"days, hours and minutes must be whole numbers from 0 to {MAX_STEP}.")
    return now + timedelta(**steps)
