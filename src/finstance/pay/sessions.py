"""V2 payment sessions (EFT, Guaranteed EFT, Interac e-Transfer): created with an API client's token, read,
cancelled. The payor's flow (the payment widget) moves them on; this module takes and shows them.

Validation follows reference 6.3 and products 3.1: ``type`` ``EFT`` (a Guaranteed EFT with
``options.guarantee.enable``) or ``e-Transfer``; ``direction`` ``DEBIT`` for a Guaranteed EFT and an
e-Transfer; ``currency`` ``CAD``; ``payor.firstName`` and ``payor.lastName`` (at most 100 characters; an
e-Transfer also needs ``payor.email``); ``referenceId`` at most 100 characters; ``amount`` optional (the payor
enters it), exact to the cent and within the instance's limits as ``options.limits`` narrows them; ``payee``
optional (the client's default settlement account, which a sandbox instance has and a production one has not).

Every create takes an ``Idempotency-Key`` header (an extension Flinks does not document, as Stripe's): the
same key and body give back the same session, the same key with another body is refused. A token starts one
session only ("call /authorize again before each subsequent session"); a replay spends none.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from finstance.core import clients, errors
from finstance.core.context import InstanceContext
from finstance.core.identifiers import canonical
from finstance.pay import lifecycle, money, tables
from finstance.pay.lifecycle import Details, PaymentStatus, SessionStatus
from finstance.pay.rails import Direction, Rail

MAX_NAME = 100
MAX_KEY = 255
START = "Start"
COMPLETE = "Complete"
ENDED = (SessionStatus.COMPLETED, SessionStatus.FAILED, SessionStatus.CANCELED, SessionStatus.EXPIRED)
# Flinks' sandbox settlement account (the payee of its Happy1 sample): where a sandbox instance settles when
# a session names no payee.
SANDBOX_PAYEE = {"institutionCode": "999", "transitNumber": "60265", "accountNumber": "9876541"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DIGITS = {"institutionCode": 3, "transitNumber": 5}
CANCELLABLE = (SessionStatus.INITIATED, SessionStatus.IN_PROGRESS)


@dataclass(frozen=True, slots=True)
class Created:
    session: dict[str, Any]  # the answer: sessionId and referenceId
    replayed: bool


def _text(
    body: dict[str, Any], field: str, *, required: bool, limit: int = MAX_NAME, where: str = ""
) -> str | None:
    value = body.get(field)
    name = f"{where}{field}"
    if value is None:
        if required:
            raise errors.InvalidRequest(f"{name} is required.")
        return None
    if not isinstance(value, str) or not value.strip():
        raise errors.InvalidRequest(f"{name} must be a non-empty string.")
    if len(value) > limit:
        raise errors.InvalidRequest(f"{name} must be at most {limit} characters.")
    return value.strip()


def _object(body: dict[str, Any], field: str, where: str = "") -> dict[str, Any]:
    value = body.get(field)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise errors.InvalidRequest(f"{where}{field} must be an object.")
    return value


def _account(account: dict[str, Any], where: str) -> dict[str, str]:
    found = {}
    for field in ("institutionCode", "transitNumber", "accountNumber"):
        value = account.get(field)
        if not isinstance(value, str) or not value.isdigit():
            raise errors.InvalidRequest(f"{where}{field} must be a string of digits.")
        size = _DIGITS.get(field)
        if (size is not None and len(value) != size) or (size is None and not 7 <= len(value) <= 12):
            wanted = f"{size} digits" if size else "7 to 12 digits"
            raise errors.InvalidRequest(f"{where}{field} must have {wanted}.")
        found[field] = value
    return found


def _rail(body: dict[str, Any], options: dict[str, Any]) -> Rail:
    wire_type = body.get("type")
    guarantee = _object(options, "guarantee", "options.").get("enable", False)
    if not isinstance(guarantee, bool):
        raise errors.InvalidRequest("options.guarantee.enable must be true or false.")
    try:
        return Rail.of(str(wire_type), guarantee=guarantee)
    except ValueError:
        raise errors.InvalidRequest(
            'type must be "EFT" (a Guaranteed EFT with options.guarantee.enable) or "e-Transfer", '
            "without a guarantee for an e-Transfer."
        ) from None


def validate(ctx: InstanceContext, body: Any) -> dict[str, Any]:
    """The session a create body asks for, as stored; 400 INVALID_REQUEST naming the first bad field."""
    if not isinstance(body, dict):
        raise errors.InvalidRequest("The body must be a JSON object.")
    options = _object(body, "options")
    rail = _rail(body, options)
    direction = body.get("direction")
    if direction not in {d.value for d in Direction}:
        raise errors.InvalidRequest('direction must be "DEBIT" or "CREDIT".')
    if rail is not Rail.EFT and direction != Direction.DEBIT:
        raise errors.InvalidRequest(f"A {rail.value} session is a DEBIT.")
    currency = body.get("currency", "CAD")
    if currency != "CAD":
        raise errors.InvalidRequest('currency must be "CAD": Pay moves Canadian dollars only.')
    limits = _object(options, "limits", "options.")
    allowed = money.AmountLimits().narrowed(limits.get("minimumAmount"), limits.get("maximumAmount"))
    amount = body.get("amount")
    cents = None if amount is None else allowed.check(money.parse_amount(amount))
    payor = _object(body, "payor")
    names = {
        field: _text(payor, field, required=field != "middleName", where="payor.")
        for field in ("firstName", "lastName", "middleName")
    }
    email = _text(payor, "email", required=rail is Rail.E_TRANSFER, limit=254, where="payor.")
    if email is not None and not _EMAIL.match(email):
        raise errors.InvalidRequest("payor.email must be an e-mail address.")
    address = _object(payor, "address", "payor.")
    payee_account = _object(_object(body, "payee"), "account", "payee.")
    if payee_account:
        payee = _account(payee_account, "payee.account.")
    elif ctx.spec.sandbox:
        payee = dict(SANDBOX_PAYEE)
    else:
        raise errors.InvalidRequest(
            "payee.account is required: this client has no default settlement account configured."
        )
    language = _object(options, "notificationPreferences", "options.").get("language", "EN")
    if language not in ("EN", "FR"):
        raise errors.InvalidRequest('options.notificationPreferences.language must be "EN" or "FR".')
    return {
        "reference_id": _text(body, "referenceId", required=False),
        "rail": rail.value,
        "direction": str(direction),
        "currency": "CAD",
        "amount": cents,
        "payor": {k: v for k, v in {**names, "email": email, "address": address or None}.items() if v},
        "payee": {"account": payee},
        "options": options,
        "guaranteed": rail is Rail.GUARANTEED_EFT,
    }


def _hash(body: Any) -> str:
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _answer(row: tables.PaySession) -> dict[str, Any]:
    return {"sessionId": row.id, "referenceId": row.reference_id}


def create(
    ctx: InstanceContext, authorization: str | None, raw: bytes, idempotency_key: str | None
) -> Created:
    """Create a session from a request's body, once its token is checked (401 before any 400)."""
    use = clients.authenticate(ctx, "pay", authorization)
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise errors.InvalidRequest("The body must be a JSON object.") from None
    if idempotency_key is not None and not 0 < len(idempotency_key) <= MAX_KEY:
        raise errors.InvalidRequest(f"Idempotency-Key must be 1 to {MAX_KEY} characters.")
    digest = _hash(body)
    if idempotency_key is not None:
        replay = _replay(ctx, use.client_id, idempotency_key, digest)
        if replay is not None:
            return Created(replay, replayed=True)
    fields = validate(ctx, body)
    now = ctx.clock.now()
    with ctx.store.write() as db:
        if idempotency_key is not None:  # a concurrent create with the key may have committed meanwhile
            row = _keyed(db, use.client_id, idempotency_key)
            if row is not None:
                return Created(_same_body(row, digest), replayed=True)
        if not clients.spend(db, use.token_id):
            raise errors.Unauthorized("This token has already started a session: call /authorize again.")
        row = tables.PaySession(
            id=ctx.spec.ids.random(),
            client_id=use.client_id,
            status=SessionStatus.INITIATED,
            status_details=Details.CREATED.value,
            payment_status=PaymentStatus.INITIATED,
            payment_since=now,
            payment_details=Details.CREATED.value,
            step=START,
            login_id=None,
            idempotency_key=idempotency_key,
            request_hash=digest,
            created_at=now,
            updated_at=now,
            completed_at=None,
            **fields,
        )
        db.add(row)
        return Created(_answer(row), replayed=False)


def _keyed(db: DbSession, client_id: str, key: str) -> tables.PaySession | None:
    return db.scalars(
        select(tables.PaySession).where(
            tables.PaySession.client_id == client_id, tables.PaySession.idempotency_key == key
        )
    ).first()


def _same_body(row: tables.PaySession, digest: str) -> dict[str, Any]:
    if not hmac.compare_digest(row.request_hash, digest):
        raise errors.InvalidRequest(
            "This Idempotency-Key was used with another body: use a new key for a new session."
        )
    return _answer(row)


def _replay(ctx: InstanceContext, client_id: str, key: str, digest: str) -> dict[str, Any] | None:
    with ctx.store.read() as db:
        row = _keyed(db, client_id, key)
        return None if row is None else _same_body(row, digest)


def _find(
    db: DbSession, session_id: str, client_id: str | None = None, *, lock: bool = False
) -> tables.PaySession:
    key = canonical(session_id)
    row = db.get(tables.PaySession, key, with_for_update=lock) if key else None
    if row is None or (client_id is not None and row.client_id != client_id):
        raise errors.NotFound("No session of this instance has this sessionId.")
    return row


def _request(row: tables.PaySession) -> lifecycle.PaymentRequest:
    return lifecycle.PaymentRequest(
        rail=Rail(row.rail),
        direction=Direction(row.direction),
        status=row.payment_status,
        since=row.payment_since,
        status_details=row.payment_details,
        amount=row.amount,
    )


def _apply(row: tables.PaySession, request: lifecycle.PaymentRequest, now: datetime) -> None:
    """Keep the payment request as it now stands, and the session's words for it."""
    if request == _request(row):
        return
    row.payment_status, row.payment_since = request.status, request.since
    row.payment_details, row.amount = request.status_details, request.amount
    status, details = lifecycle.session_view(request)
    if status is not row.status:
        row.step = COMPLETE if status in ENDED else row.step
        row.completed_at = request.since if status in ENDED else None
    row.status, row.status_details = status, details
    row.updated_at = now


def _current(ctx: InstanceContext, db: DbSession, row: tables.PaySession) -> None:
    """Apply what the instance's clock made due (an idle session expires, money is sent and settles)."""
    now = ctx.clock.now()
    _apply(row, lifecycle.advance(_request(row), now), now)


def _status_body(row: tables.PaySession) -> dict[str, Any]:
    return {
        "sessionId": row.id,
        "referenceId": row.reference_id,
        "amount": _amount(row.amount),
        "status": row.status.value,
        "statusDetails": row.status_details,
    }


def status(ctx: InstanceContext, session_id: str) -> dict[str, Any]:
    """A session's status (the guide polls it without a token: the sessionId is the secret)."""
    with ctx.store.write() as db:
        row = _find(db, session_id, lock=True)
        _current(ctx, db, row)
        return _status_body(row)


def _amount(cents: int | None) -> int | float | None:
    """The wire's amount: a JSON number of dollars (its shortest form: 250.5, 500), from exact cents."""
    if cents is None:
        return None
    return cents // 100 if cents % 100 == 0 else float(money.format_amount(cents))


def _stamp(value: Any) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


def details(ctx: InstanceContext, authorization: str | None, session_id: str) -> dict[str, Any]:
    """A session's details, to the API client that created it (the guide's shape, with the schema's
    aliases ``guarantee`` and ``created_at``/``updated_at``/``completed_at``)."""
    use = clients.authenticate(ctx, "pay", authorization)
    with ctx.store.write() as db:
        row = _find(db, session_id, use.client_id, lock=True)
        _current(ctx, db, row)
        guarantee = {"guaranteeOffered": False, "guaranteeAccepted": False} if row.guaranteed else None
        return {
            "sessionId": row.id,
            "status": row.status.value,
            "statusDetails": row.status_details,
            "step": {"current": row.step, "aggregationRequestId": None, "padId": None},
            "referenceId": row.reference_id,
            "amount": _amount(row.amount),
            "type": Rail(row.rail).wire_type,
            "direction": row.direction,
            "currency": row.currency,
            "options": row.options,
            "payor": {**row.payor, "account": None},
            "payee": row.payee,
            "guaranteeDetails": guarantee,
            "guarantee": guarantee,
            "createdAt": _stamp(row.created_at),
            "created_at": _stamp(row.created_at),
            "updated_at": _stamp(row.updated_at),
            "completed_at": _stamp(row.completed_at),
        }


def cancel(ctx: InstanceContext, authorization: str | None, session_id: str) -> dict[str, Any]:
    """Cancel a session the payor has not finished: ``Canceled`` with ``EFT0501``; refused once it ended."""
    use = clients.authenticate(ctx, "pay", authorization)
    now = ctx.clock.now()
    with ctx.store.write() as db:
        row = _find(db, session_id, use.client_id, lock=True)
        _current(ctx, db, row)
        if row.status not in CANCELLABLE:
            raise errors.InvalidRequest(
                f"The session is {row.status.value}: only a session under way can be cancelled."
            )
        _apply(row, lifecycle.cancel(_request(row), now), now)
        return _status_body(row)


# The holder of the sandbox's test users' accounts (products 3.1: Happy1's customer is John Doe): a payor
# named otherwise fails the identity check, EFT0403.
SANDBOX_HOLDER = ("john", "doe")


def sandbox_payor(
    ctx: InstanceContext, authorization: str | None, session_id: str, raw: bytes
) -> dict[str, Any]:
    """The payor's flow of a sandbox instance played through the API, as the payment widget ends it for a
    test user (``Happy1`` to ``Happy3`` complete, ``Unhappy1`` fails with ``EFT0402``, a wrong password with
    ``EFT0401``, other names than the account holder's with ``EFT0403``); ``amount`` when the session has
    none. For an integrator's tests, as Plaid's sandbox endpoints are."""
    if not ctx.spec.sandbox:
        raise errors.NotFound("Sandbox controls exist on sandbox instances only.")
    use = clients.authenticate(ctx, "pay", authorization)
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise errors.InvalidRequest("The body must be a JSON object.") from None
    if not isinstance(body, dict):
        raise errors.InvalidRequest("The body must be a JSON object.")
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise errors.InvalidRequest("username and password are required.")
    now = ctx.clock.now()
    with ctx.store.write() as db:
        row = _find(db, session_id, use.client_id, lock=True)
        _current(ctx, db, row)
        if row.status is not SessionStatus.INITIATED:
            raise errors.InvalidRequest(f"The session is {row.status.value}: its payor's flow has ended.")
        request = _request(row)
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
        request = lifecycle.complete(lifecycle.start(request, now), outcome, now)
        _apply(row, request, now)
        return _status_body(row)
