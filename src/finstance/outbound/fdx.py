"""The FDX v5 resource server over the instance's own data: what a consent lets a recipient read.

Every call presents an access token of this instance (its signature is checked with the instance's key, so
another instance's token fails), whose consent must still stand and belong to the token's client. Only the
consented accounts are visible, and each resource needs its scope. The data is Connect's, read through its
named module (:mod:`finstance.connect.provider`); money is converted from cents at this edge only.

Transactions are served newest first in keyset pages: the cursor (``offset``) is opaque, bound by a MAC to its
consent, account and date range, so it cannot be forged or replayed on another account.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from typing import Any

from finstance.connect import provider as connect_provider
from finstance.connect import reads
from finstance.core import jobs
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.outbound import keys, tables
from finstance.outbound.providers import (
    ACCOUNT_BASIC,
    ACCOUNT_DETAILED,
    ACCOUNT_PAYMENTS,
    CUSTOMER_CONTACT,
    CUSTOMER_PERSONAL,
    STATEMENTS,
    TRANSACTIONS,
)

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class FdxError(Exception):
    """An FDX error: HTTP status, FDX code (Flinks' table, reference 8.6), message, debug message."""

    def __init__(
        self, status: int, code: str, message: str, debug: str = "", headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.debug = status, code, message, debug
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "debugMessage": self.debug or self.message}


def invalid_input(debug: str) -> FdxError:
    return FdxError(400, "401", "Invalid Input", debug)


def not_authorized(debug: str) -> FdxError:
    return FdxError(401, "602", "Customer not authorized", debug)


def account_not_found() -> FdxError:
    return FdxError(404, "701", "Account not found", "No account with this id is shared with this consent.")


def no_subscription(scope: str) -> FdxError:
    return FdxError(403, "403", "Subscription not found", f"The consent does not include {scope}.")


@dataclass(frozen=True, slots=True)
class Grant:
    """A valid call: the consent behind the token."""

    consent_id: str
    client_id: str
    login_id: str
    subject: str
    scopes: frozenset[str]
    account_ids: tuple[str, ...]

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise no_subscription(scope)


def authenticate(ctx: InstanceContext, authorization: str | None) -> Grant:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise not_authorized("Send the access token as 'Authorization: Bearer <token>'.")
    claims = keys.verify_access_token(ctx.spec, token.strip(), ctx.clock.now())
    if claims is None:
        raise not_authorized("The access token is invalid or expired; refresh it.")
    if claims.consent_id is None:
        raise not_authorized("This token belongs to no end-user consent (a client-credentials token).")
    with ctx.store.read() as db:
        consent = db.get(tables.Consent, claims.consent_id)
        if consent is None or consent.revoked_at is not None or consent.client_id != claims.client_id:
            raise not_authorized(
                "The consent was revoked; discard the refresh token and ask for consent again."
            )
        return Grant(
            consent.id,
            consent.client_id,
            consent.login_id,
            consent.subject,
            frozenset(consent.scopes),
            tuple(consent.account_ids),
        )


def _ensure_data(ctx: InstanceContext, grant: Grant) -> None:
    """The login's data is there, or its aggregation runs now if due; otherwise a transient 503."""
    with ctx.store.read() as db:
        ready = connect_provider.readiness(ctx, db, grant.login_id)
    if ready is None:
        raise not_authorized("The end-user's connection no longer exists.")
    if ready.aggregated:
        return
    if ready.pending_job is not None and ready.due_in_seconds <= 0:
        jobs.try_run(ctx, ready.pending_job)
        with ctx.store.read() as db:
            ready = connect_provider.readiness(ctx, db, grant.login_id)
        if ready is not None and ready.aggregated:
            return
    if ready is not None and ready.failed:
        raise FdxError(500, "500", "Internal server error", "The provider could not retrieve this data.")
    wait = max(1, int((ready.due_in_seconds if ready else 0) + 0.999))
    raise FdxError(
        503, "503", "Scheduled maintenance", f"The data is being retrieved; retry in {wait} s.",
        headers={"Retry-After": str(wait)},
    )  # fmt: skip


# -- accounts ----------------------------------------------------------------------------------------

_KINDS = {  # Connect's account type -> (FDX category, FDX account type, wrapper key)
    "Chequing": ("DEPOSIT_ACCOUNT", "CHECKING", "depositAccount"),
    "Savings": ("DEPOSIT_ACCOUNT", "SAVINGS", "depositAccount"),
    "CreditCard": ("LOC_ACCOUNT", "CREDITCARD", "locAccount"),
    "LineOfCredit": ("LOC_ACCOUNT", "LINEOFCREDIT", "locAccount"),
    "Mortgage": ("LOAN_ACCOUNT", "MORTGAGE", "loanAccount"),
    "Loan": ("LOAN_ACCOUNT", "LOAN", "loanAccount"),
}


def _kind(a: connect_provider.AccountDetail) -> tuple[str, str, str]:
    return _KINDS.get(a.type, ("DEPOSIT_ACCOUNT", "OTHER", "depositAccount"))


def _money(cents: int | None) -> float | None:
    return None if cents is None else cents / 100


def _account(
    a: connect_provider.AccountDetail, grant: Grant, *, details: bool, as_of: str | None
) -> dict[str, Any]:
    category, account_type, wrapper = _kind(a)
    number = a.last_four_digits or a.account_number
    doc: dict[str, Any] = {
        "accountId": a.id,
        "accountCategory": category,
        "accountType": account_type,
        "accountNumberDisplay": "*" * 4 + number[-4:],
        "productName": a.title,
        "nickname": a.title,
        "status": "OPEN",
        "description": a.title,
        "currency": {"currencyCode": a.currency},
    }
    if details:
        liability = category != "DEPOSIT_ACCOUNT"
        doc["balanceType"] = "LIABILITY" if liability else "ASSET"
        doc["balanceAsOf"] = as_of
        doc["currentBalance"] = _money(abs(a.balance_current_cents) if liability else a.balance_current_cents)
        if category == "LOC_ACCOUNT":
            doc["creditLine"] = _money(a.limit_cents)
            if a.limit_cents is not None:
                doc["availableCredit"] = _money(a.limit_cents - abs(a.balance_current_cents))
        elif category == "DEPOSIT_ACCOUNT":
            doc["availableBalance"] = _money(a.balance_available_cents)
        doc["transactionsIncluded"] = False
        if ACCOUNT_PAYMENTS in grant.scopes:
            doc["accountNumber"] = a.account_number
            doc["routingTransitNumber"] = a.routing_number or _canadian_route(a)
    return {wrapper: doc}


def _canadian_route(a: connect_provider.AccountDetail) -> str | None:
    if a.institution_number and a.transit_number:
        return f"0{a.institution_number}{a.transit_number}"  # the electronic form: 0 + institution + transit
    return None


def _consented(
    ctx: InstanceContext, grant: Grant, only: list[str] | None = None
) -> tuple[list[connect_provider.AccountDetail], str | None]:
    wanted = list(grant.account_ids) if only is None else [a for a in only if a in grant.account_ids]
    with ctx.store.read() as db:
        rows = connect_provider.account_details(db, grant.login_id, wanted)
        login = reads.login(db, grant.login_id)
    as_of = login.last_refresh.strftime("%Y-%m-%dT%H:%M:%SZ") if login and login.last_refresh else None
    return rows, as_of


def accounts(
    ctx: InstanceContext, grant: Grant, account_ids: str | None, result_type: str | None
) -> dict[str, Any]:
    grant.require(ACCOUNT_BASIC)
    kind = (result_type or "lightweight").strip().lower()
    if kind not in ("lightweight", "details"):
        raise invalid_input("resultType is lightweight or details.")
    if kind == "details":
        grant.require(ACCOUNT_DETAILED)
    only = None
    if account_ids:
        only = [a.strip().lower() for a in account_ids.split(",") if a.strip()][:100]
        if any(a not in grant.account_ids for a in only):
            raise account_not_found()
    _ensure_data(ctx, grant)
    rows, as_of = _consented(ctx, grant, only)
    items = [_account(a, grant, details=kind == "details", as_of=as_of) for a in rows]
    return {"page": {"totalElements": len(items)}, "accounts": items}


def _one(
    ctx: InstanceContext, grant: Grant, account_id: str
) -> tuple[connect_provider.AccountDetail, str | None]:
    account_id = account_id.strip().lower()
    if account_id not in grant.account_ids:
        raise account_not_found()
    _ensure_data(ctx, grant)
    rows, as_of = _consented(ctx, grant, [account_id])
    if not rows:
        raise account_not_found()
    return rows[0], as_of


def account(ctx: InstanceContext, grant: Grant, account_id: str) -> dict[str, Any]:
    grant.require(ACCOUNT_BASIC)
    row, as_of = _one(ctx, grant, account_id)
    return _account(row, grant, details=ACCOUNT_DETAILED in grant.scopes, as_of=as_of)


# -- transactions ---------------------------------------------------------------------------------------


def _date(value: str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise FdxError(
            400, "702", "Invalid start or end date", f"{name} must be a date, YYYY-MM-DD."
        ) from None


def _limit(value: str | None) -> int:
    if value is None or value == "":
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise invalid_input(f"limit is an integer from 1 to {MAX_LIMIT}.")
    return int(value)


def _cursor_mac(ctx: InstanceContext, grant: Grant, account_id: str, window: str, position: str) -> str:
    message = f"fdx-cursor|{grant.consent_id}|{account_id}|{window}|{position}".encode()
    digest = hmac.new(ctx.spec.derive_key, message, hashlib.sha256).digest()[:12]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _encode_cursor(
    ctx: InstanceContext, grant: Grant, account_id: str, window: str, key: tuple[date, int]
) -> str:
    position = f"{key[0].isoformat()}.{key[1]}"
    return f"{position}.{_cursor_mac(ctx, grant, account_id, window, position)}"


def _decode_cursor(
    ctx: InstanceContext, grant: Grant, account_id: str, window: str, cursor: str
) -> tuple[date, int]:
    try:
        day, seq, mac = cursor.split(".")
        position = f"{day}.{seq}"
        if hmac.compare_digest(mac, _cursor_mac(ctx, grant, account_id, window, position)):
            return date.fromisoformat(day), int(seq)
    except ValueError:
        pass
    raise invalid_input("offset is not a cursor of this account, date range and consent.")


def transactions(
    ctx: InstanceContext,
    grant: Grant,
    account_id: str,
    *,
    start_time: str | None,
    end_time: str | None,
    limit: str | None,
    offset: str | None,
    base_url: str,
) -> dict[str, Any]:
    grant.require(TRANSACTIONS)
    start, end = _date(start_time, "startTime"), _date(end_time, "endTime")
    if start is not None and end is not None and start > end:
        raise FdxError(400, "703", "Invalid date range", "startTime is after endTime.")
    size = _limit(limit)
    row, _ = _one(ctx, grant, account_id)
    window = f"{start}|{end}"
    after = _decode_cursor(ctx, grant, row.id, window, offset[:200]) if offset else None
    category, _, _ = _kind(row)
    with ctx.store.read() as db:
        total = connect_provider.transaction_count(db, row.id, start, end)
        page = connect_provider.transactions_page(db, row.id, start, end, after, size + 1)
    more, page = len(page) > size, page[:size]
    wrapper = "locTransaction" if category == "LOC_ACCOUNT" else "depositTransaction"
    items = [{wrapper: _transaction(row.id, t, category)} for t in page]
    body: dict[str, Any] = {"page": {"totalElements": total}, "transactions": items}
    if more:
        cursor = _encode_cursor(ctx, grant, row.id, window, (page[-1].date, page[-1].seq))
        body["page"]["nextOffset"] = cursor
        query = [f"limit={size}", f"offset={cursor}"]
        if start is not None:
            query.insert(0, f"startTime={start.isoformat()}")
        if end is not None:
            query.insert(1 if start is not None else 0, f"endTime={end.isoformat()}")
        href = f"{base_url}/outbound/api/fdx/5/accounts/{row.id}/transactions?{'&'.join(query)}"
        body["links"] = {"next": {"href": href}}
    return body


def _transaction(account_id: str, t: connect_provider.TransactionRow, category: str) -> dict[str, Any]:
    credit = t.credit_cents is not None and t.credit_cents > 0
    cents = (t.credit_cents if credit else t.debit_cents) or 0
    stamp = f"{t.date.isoformat()}T00:00:00.000Z"
    if category == "LOC_ACCOUNT":
        kind = "PAYMENT" if credit else "WITHDRAWAL"
    else:
        kind = "DEPOSIT" if credit else "WITHDRAWAL"
    return {
        "accountId": account_id,
        "transactionId": t.id,
        "postedTimestamp": stamp,
        "transactionTimestamp": stamp,
        "description": t.description,
        "debitCreditMemo": "CREDIT" if credit else "DEBIT",
        "amount": cents / 100,
        "status": "POSTED",
        "transactionType": kind,
    }


# -- contact, customer, payment networks, statements ------------------------------------------------------


def _split_name(name: str) -> dict[str, str]:
    first, _, last = name.strip().rpartition(" ")
    return {"first": first or last, "last": last if first else ""}


def _contact(ctx: InstanceContext, grant: Grant) -> connect_provider.Contact:
    with ctx.store.read() as db:
        found = connect_provider.contact(db, grant.login_id)
    if found is None:
        raise FdxError(404, "1107", "Data not found for request parameters", "The provider holds no contact.")
    return found


def account_contact(ctx: InstanceContext, grant: Grant, account_id: str) -> dict[str, Any]:
    grant.require(CUSTOMER_CONTACT)
    _one(ctx, grant, account_id)
    c = _contact(ctx, grant)
    return {
        "holders": [{"name": _split_name(c.name), "relationship": "PRIMARY"}],
        "emails": [c.email],
        "addresses": [
            {
                "line1": c.civic_address,
                "city": c.city,
                "region": c.province,
                "postalCode": c.postal_code,
                "country": c.country,
            }
        ],
        "telephones": [{"type": "HOME", "country": "1", "number": c.phone_number}],
    }


def current_customer(ctx: InstanceContext, grant: Grant) -> dict[str, Any]:
    if CUSTOMER_PERSONAL not in grant.scopes and CUSTOMER_CONTACT not in grant.scopes:
        raise no_subscription(CUSTOMER_PERSONAL)
    _ensure_data(ctx, grant)
    c = _contact(ctx, grant)
    doc: dict[str, Any] = {"customerId": grant.subject, "name": _split_name(c.name)}
    if CUSTOMER_CONTACT in grant.scopes:
        doc["email"] = [c.email]
        doc["addresses"] = [{"line1": c.civic_address, "city": c.city, "region": c.province,
                             "postalCode": c.postal_code, "country": c.country}]  # fmt: skip
        doc["telephones"] = [{"type": "HOME", "country": "1", "number": c.phone_number}]
    return doc


def payment_networks(ctx: InstanceContext, grant: Grant, account_id: str) -> dict[str, Any]:
    grant.require(ACCOUNT_PAYMENTS)
    row, _ = _one(ctx, grant, account_id)
    category, _, _ = _kind(row)
    if category != "DEPOSIT_ACCOUNT":
        raise FdxError(
            422, "704", "Account type not supported", "Only deposit accounts have payment networks."
        )
    canadian = row.routing_number is None
    return {
        "paymentNetworks": [
            {
                "bankId": _canadian_route(row) if canadian else row.routing_number,
                "identifier": row.account_number,
                "identifierType": "ACCOUNT_NUMBER",
                "type": "CA_ACSS" if canadian else "US_ACH",
                "transferIn": True,
                "transferOut": True,
            }
        ]
    }


def statements(ctx: InstanceContext, grant: Grant, account_id: str, base_url: str) -> dict[str, Any]:
    if ctx.spec.country is not Country.CA:
        raise FdxError(
            405, "501", "Subsystem unavailable", "Statements are available on Canadian instances only."
        )
    grant.require(STATEMENTS)
    row, _ = _one(ctx, grant, account_id)
    with ctx.store.read() as db:
        found = connect_provider.statements(db, row.id)
    items = [
        {
            "accountId": row.id,
            "statementId": s.id,
            "statementDate": s.period_end.isoformat(),
            "description": f"Statement {s.period_start.isoformat()} to {s.period_end.isoformat()}",
            "status": "AVAILABLE",
            "links": [
                {
                    "href": f"{base_url}/outbound/api/fdx/5/accounts/{row.id}/statements/{s.id}",
                    "rel": "self",
                    "types": ["application/pdf"],
                }
            ],
        }
        for s in found
    ]
    return {"page": {"totalElements": len(items)}, "statements": items}


def statement_pdf(ctx: InstanceContext, grant: Grant, account_id: str, statement_id: str) -> bytes:
    if ctx.spec.country is not Country.CA:
        raise FdxError(
            405, "501", "Subsystem unavailable", "Statements are available on Canadian instances only."
        )
    grant.require(STATEMENTS)
    row, _ = _one(ctx, grant, account_id)
    with ctx.store.read() as db:
        pdf = connect_provider.statement_pdf(db, row.id, statement_id[:64])
    if pdf is None:
        raise FdxError(404, "1107", "Data not found for request parameters", "No statement with this id.")
    return pdf
