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

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session as DbSession

from finstance.core import clients, errors
from finstance.core.context import InstanceContext
from finstance.core.identifiers import canonical
from finstance.pay import clock, events, fields, files, lifecycle, money, records, tables, widget
from finstance.pay.fields import object_field
from finstance.pay.lifecycle import Details, PaymentStatus, SessionStatus
from finstance.pay.rails import Direction, Rail

MAX_NAME = 100
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DIGITS = {"institutionCode": 3, "transitNumber": 5}
CANCELLABLE = (SessionStatus.INITIATED, SessionStatus.IN_PROGRESS)


@dataclass(frozen=True, slots=True)
class Created:
    session: dict[str, Any]  # the answer: sessionId and referenceId
    replayed: bool


def json_body(raw: bytes, *, object_only: bool = True) -> Any:
    """A request's JSON body; 400 when it is not JSON (or, with ``object_only``, not an object)."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise errors.InvalidRequest("The body must be a JSON object.") from None
    if object_only and not isinstance(body, dict):
        raise errors.InvalidRequest("The body must be a JSON object.")
    return body


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
    guarantee = object_field(options, "guarantee", "options.").get("enable", False)
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
    options = object_field(body, "options")
    rail = _rail(body, options)
    direction = body.get("direction")
    if direction not in {d.value for d in Direction}:
        raise errors.InvalidRequest('direction must be "DEBIT" or "CREDIT".')
    if rail is not Rail.EFT and direction != Direction.DEBIT:
        raise errors.InvalidRequest(f"A {rail.value} session is a DEBIT.")
    currency = body.get("currency", "CAD")
    if currency != "CAD":
        raise errors.InvalidRequest('currency must be "CAD": Pay moves Canadian dollars only.')
    limits = object_field(options, "limits", "options.")
    allowed = money.AmountLimits().narrowed(limits.get("minimumAmount"), limits.get("maximumAmount"))
    amount = body.get("amount")
    cents = None if amount is None else allowed.check(money.parse_amount(amount))
    payor = object_field(body, "payor")
    names = {
        field: _text(payor, field, required=field != "middleName", where="payor.")
        for field in ("firstName", "lastName", "middleName")
    }
    email = _text(payor, "email", required=rail is Rail.E_TRANSFER, limit=254, where="payor.")
    if email is not None and not _EMAIL.match(email):
        raise errors.InvalidRequest("payor.email must be an e-mail address.")
    address = object_field(payor, "address", "payor.")
    payee_account = object_field(object_field(body, "payee"), "account", "payee.")
    if payee_account:
        payee = _account(payee_account, "payee.account.")
    elif ctx.spec.sandbox:
        payee = dict(files.SANDBOX_PAYEE)
    else:
        raise errors.InvalidRequest(
            "payee.account is required: this client has no default settlement account configured."
        )
    language = object_field(options, "notificationPreferences", "options.").get("language", "EN")
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


def _answer(row: tables.PaySession) -> dict[str, Any]:
    return {"sessionId": row.id, "referenceId": row.reference_id}


def create(
    ctx: InstanceContext, authorization: str | None, raw: bytes, idempotency_key: str | None
) -> Created:
    """Create a session from a request's body, once its token is checked (401 before any 400).

    One write transaction: the token checked, an earlier create with the same key found (a replay), or the
    body validated, the token spent and the session stored; a refusal rolls it all back. Two creates racing
    with one key: the loser's insert breaks the key's uniqueness (its token unspent by the rollback), and its
    second try replays the winner's session."""
    return fields.once_per_key(lambda: _create(ctx, authorization, raw, idempotency_key), idempotency_key)


def _create(
    ctx: InstanceContext, authorization: str | None, raw: bytes, idempotency_key: str | None
) -> Created:
    with ctx.store.write() as db:
        use = clients.authenticate_in(ctx, db, "pay", authorization)
        body = json_body(raw, object_only=False)
        fields.check_key(idempotency_key)
        digest = fields.body_hash(body)
        done = fields.replay(db, tables.PaySession, use.client_id, idempotency_key, digest, "session")
        if done is not None:
            return Created(_answer(done), replayed=True)
        asked = validate(ctx, body)
        if not clients.spend(db, use.token_id):
            raise errors.Unauthorized("This token has already started a session: call /authorize again.")
        now = clock.now(ctx, db)
        row = tables.PaySession(
            id=ctx.spec.ids.random(),
            client_id=use.client_id,
            status=SessionStatus.INITIATED,
            status_details=Details.CREATED.value,
            payment_status=PaymentStatus.INITIATED,
            payment_since=now,
            payment_details=Details.CREATED.value,
            step=records.START,
            due_at=now + lifecycle.DEFAULT_TIMING.window(Rail(asked["rail"])),
            file_date=None,
            file_id=None,
            login_id=None,
            idempotency_key=idempotency_key,
            request_hash=digest,
            created_at=now,
            updated_at=now,
            completed_at=None,
            **asked,
        )
        db.add(row)
        return Created(_answer(row), replayed=False)


def find(
    db: DbSession, session_id: str, client_id: str | None = None, *, lock: bool = False
) -> tables.PaySession:
    key = canonical(session_id)
    row = db.get(tables.PaySession, key, with_for_update=lock) if key else None
    if row is None or (client_id is not None and row.client_id != client_id):
        raise errors.NotFound("No session of this instance has this sessionId.")
    return row


def current(ctx: InstanceContext, db: DbSession, row: tables.PaySession) -> datetime:
    """Apply what the Pay clock made due (an idle session expires, money is sent and settles); its time."""
    now = clock.now(ctx, db)
    records.catch_up(ctx, db, row, now)
    return now


def status_body(row: tables.PaySession) -> dict[str, Any]:
    return {
        "sessionId": row.id,
        "referenceId": row.reference_id,
        "amount": events.amount(row.amount),
        "status": row.status.value,
        "statusDetails": row.status_details,
    }


def _settled_read(ctx: InstanceContext, session_id: str, client_id: str | None) -> tables.PaySession | None:
    """The row as a read gives it when the clock has nothing due on it (the usual poll takes no write
    lock); None when a move is due, to be stored under the row's lock first."""
    with ctx.store.read() as db:
        row = find(db, session_id, client_id)
        return row if row.due_at is None or row.due_at > clock.now(ctx, db) else None


def status(ctx: InstanceContext, session_id: str) -> dict[str, Any]:
    """A session's status (the guide polls it without a token: the sessionId is the secret)."""
    row = _settled_read(ctx, session_id, None)
    if row is not None:
        return status_body(row)
    with ctx.store.write() as db:
        row = find(db, session_id, lock=True)
        current(ctx, db, row)
        return status_body(row)


def _stamp(value: Any) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


def details(ctx: InstanceContext, authorization: str | None, session_id: str) -> dict[str, Any]:
    """A session's details, to the API client that created it (the guide's shape, with the schema's
    aliases ``guarantee`` and ``created_at``/``updated_at``/``completed_at``)."""
    use = clients.authenticate(ctx, "pay", authorization)
    row = _settled_read(ctx, session_id, use.client_id)
    if row is None:
        with ctx.store.write() as db:
            row = find(db, session_id, use.client_id, lock=True)
            current(ctx, db, row)
    return _details_body(row)


def _masked(number: str) -> str:
    return "****" + number[-4:]


def _accounts(account: dict[str, Any] | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The payor's verified account in the guide's shape (``account``) and the schema's
    (``verifiedAccount``), its number masked; both None until the payor selected one."""
    if not account:
        return None, None
    masked = _masked(account["accountNumber"])
    codes = {"institutionCode": account["institutionCode"], "transitNumber": account["transitNumber"]}
    guide = {**codes, "accountNumber": masked, "accountLabel": f"{account['accountType']} ({masked})"}
    guide["availableBalance"] = float(account["availableBalance"])
    schema = {"institutionName": account["institutionName"], "accountType": account["accountType"]}
    return guide, {**schema, "accountNumber": masked, **codes}


def _details_body(row: tables.PaySession) -> dict[str, Any]:
    guarantee = {"guaranteeOffered": False, "guaranteeAccepted": False} if row.guaranteed else None
    account, verified = _accounts(row.payor.get("account"))
    payor = {k: v for k, v in row.payor.items() if k != "account"}
    return {
        "sessionId": row.id,
        "status": row.status.value,
        "statusDetails": row.status_details,
        "step": {"current": row.step, "aggregationRequestId": None, "padId": None},
        "referenceId": row.reference_id,
        "amount": events.amount(row.amount),
        "type": Rail(row.rail).wire_type,
        "direction": row.direction,
        "currency": row.currency,
        "options": row.options,
        "payor": {**payor, "account": account, "verifiedAccount": verified},
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
    with ctx.store.write() as db:
        row = find(db, session_id, use.client_id, lock=True)
        now = current(ctx, db, row)
        if row.status not in CANCELLABLE:
            raise errors.InvalidRequest(
                f"The session is {row.status.value}: only a session under way can be cancelled."
            )
        records.store(ctx, db, row, lifecycle.cancel(records.request_of(row), now), now)
        return status_body(row)


def confirm_guarantee(
    ctx: InstanceContext, authorization: str | None, session_id: str, raw: bytes
) -> dict[str, Any]:
    """The client accepts (``true``) or rejects (``false``) the guarantee its ``GuaranteeIssued`` webhook
    announced; a rejected guarantee fails the session with EFT0402."""
    use = clients.authenticate(ctx, "pay", authorization)
    accepted = json_body(raw, object_only=False)
    if not isinstance(accepted, bool):
        raise errors.InvalidRequest("The body must be true (accept the guarantee) or false (reject it).")
    with ctx.store.write() as db:
        row = find(db, session_id, use.client_id, lock=True)
        now = current(ctx, db, row)
        widget.confirm_guarantee(ctx, db, row, accepted, now)
        return status_body(row)
