"""Connect as a data provider for other products: the end-user signs in to an institution through the very
code behind ``/Authorize`` (same loginId, same aggregation job, same MFA), and the login's data is read as
plain values.

Outbound's consent pages use this module, never Connect's tables or sessions: it returns plain values, so
Connect can change without its readers noticing. A sign-in's authorize token is derived from the
instance's secret material and a nonce the caller keeps, so the MFA answer can present it again while no
store ever holds it.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from finstance.connect import sessions, tables, tokens
from finstance.connect.statements import pdfs as statement_pdfs
from finstance.connect.tables import SessionState
from finstance.core.context import InstanceContext
from finstance.core.profile import BankProfile
from finstance.core.states import JobStatus
from finstance.core.store import tables as core_tables
from finstance.sandbox import bank
from finstance.sandbox.generator import generate_profile


@dataclass(frozen=True, slots=True)
class SignIn:
    """A sign-in: accepted (``login_id``), challenged (``prompts``) or refused (``error_code``)."""

    request_id: str
    login_id: str | None = None
    prompts: tuple[str, ...] = ()
    error_code: str | None = None  # a FlinksCode: INVALID_PASSWORD, INVALID_SECURITY_RESPONSE, ...


@dataclass(frozen=True, slots=True)
class OfferedAccount:
    id: str
    title: str
    masked_number: str
    category: str  # Operations, Credits, ...
    type: str  # Chequing, Savings, CreditCard, ...
    currency: str
    # What a payment to or from the account needs (deposit accounts of a Canadian bank), and its balance.
    institution_number: str | None = None
    transit_number: str | None = None
    account_number: str = ""
    balance_available_cents: int | None = None


INSTITUTION = bank.INSTITUTION  # the institution a sign-in reaches: Flinks Capital


def _token(ctx: InstanceContext, nonce: str) -> str:
    mac = hmac.new(ctx.spec.derive_key, f"provider-sign-in|{nonce}".encode(), hashlib.sha256).digest()
    return str(uuid.UUID(bytes=mac[:16]))


def _outcome(outcome: sessions.AuthorizeOutcome) -> SignIn:
    session = outcome.session
    code = outcome.error.flinks_code if outcome.error is not None else None
    login_id = outcome.login.id if outcome.login is not None and code is None else None
    return SignIn(session.id, login_id, tuple(outcome.prompts), code)


def sign_in(ctx: InstanceContext, *, username: str, password: str, language: str, nonce: str) -> SignIn:
    """Sign an end-user in to Flinks Capital with a token of this attempt (``nonce``: unique per attempt)."""
    token = tokens.mint(ctx, _token(ctx, nonce))
    outcome = sessions.authorize(
        ctx,
        token,
        sessions.AuthorizeInput(
            institution=INSTITUTION, username=username, password=password, language=language
        ),
    )
    return _outcome(outcome)


def answer(ctx: InstanceContext, *, request_id: str, answers: Mapping[str, str], nonce: str) -> SignIn:
    """Answer the challenge of the sign-in ``request_id`` (opened with the same ``nonce``)."""
    outcome = sessions.authorize(
        ctx,
        _token(ctx, nonce),
        sessions.AuthorizeInput(
            request_id=request_id, security_responses={p: [a] for p, a in answers.items()}
        ),
    )
    return _outcome(outcome)


def pending_prompts(ctx: InstanceContext, request_id: str) -> tuple[str, ...]:
    with ctx.store.read() as db:
        session = db.get(tables.Session, request_id)
        if session is None or session.state is not SessionState.MFA_PENDING:
            return ()
        return tuple(session.challenge)


def _signed_in_profile(ctx: InstanceContext, login_id: str, request_id: str) -> BankProfile | None:
    with ctx.store.read() as db:
        session = db.get(tables.Session, request_id)
        if session is None or session.login_id != login_id:
            return None
        username = session.username
    return generate_profile(username, ctx.spec.country, ctx.clock.now().date(), salt=login_id)


def offered_accounts(ctx: InstanceContext, login_id: str, request_id: str) -> list[OfferedAccount]:
    """The accounts the bank shows the signed-in end-user: the same ones, with the same ids, that the
    login's aggregation saves."""
    profile = _signed_in_profile(ctx, login_id, request_id)
    if profile is None:
        return []
    return [
        OfferedAccount(
            id=a.id,
            title=a.title,
            masked_number="•••" + (a.last_four_digits or a.account_number)[-4:],
            category=a.category,
            type=a.type,
            currency=a.currency,
            institution_number=a.institution_number,
            transit_number=a.transit_number,
            account_number=a.account_number,
            balance_available_cents=a.balance_available_cents,
        )
        for a in profile.accounts
    ]


def holder_name(ctx: InstanceContext, login_id: str, request_id: str) -> str | None:
    """The name the bank holds the signed-in end-user's accounts in (an identity check reads it)."""
    profile = _signed_in_profile(ctx, login_id, request_id)
    return None if profile is None else profile.holder.name


# -- the login's data, for reads ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Readiness:
    """Whether a login's data can be read: aggregated at least once, or when its aggregation is due."""

    aggregated: bool
    pending_job: str | None  # the aggregation to run or wait for
    due_in_seconds: float  # 0 when due now
    failed: bool  # the last aggregation failed and nothing was ever aggregated


def readiness(ctx: InstanceContext, db: DbSession, login_id: str) -> Readiness | None:
    """None when the login does not exist (deleted)."""
    login = db.get(tables.Login, login_id)
    if login is None:
        return None
    if login.last_refresh is not None:
        return Readiness(True, None, 0.0, False)
    job = db.scalars(
        select(core_tables.Job)
        .where(core_tables.Job.login_id == login_id)
        .order_by(core_tables.Job.run_after.desc())
        .limit(1)
    ).first()
    if job is None or job.status is JobStatus.FAILED:
        return Readiness(False, None, 0.0, job is not None)
    wait = max(0.0, (job.run_after - ctx.clock.now()).total_seconds())
    return Readiness(False, job.id, wait, False)


@dataclass(frozen=True, slots=True)
class AccountDetail:
    id: str
    position: int
    title: str
    account_number: str
    transit_number: str | None
    institution_number: str | None
    routing_number: str | None
    last_four_digits: str | None
    category: str
    type: str
    currency: str
    balance_current_cents: int
    balance_available_cents: int | None
    limit_cents: int | None


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    civic_address: str
    city: str
    province: str
    postal_code: str
    country: str
    email: str
    phone_number: str


@dataclass(frozen=True, slots=True)
class StatementView:
    id: str
    account_id: str
    period_start: date
    period_end: date


def account_details(db: DbSession, login_id: str, only: list[str] | None = None) -> list[AccountDetail]:
    a = tables.Account
    query = select(a).where(a.login_id == login_id).order_by(a.position)
    if only is not None:
        query = query.where(a.id.in_(only))
    return [
        AccountDetail(
            r.id,
            r.position,
            r.title,
            r.account_number,
            r.transit_number,
            r.institution_number,
            r.routing_number,
            r.last_four_digits,
            r.category,
            r.type,
            r.currency,
            r.balance_current,
            r.balance_available,
            r.balance_limit,
        )
        for r in db.scalars(query)
    ]


def contact(db: DbSession, login_id: str) -> Contact | None:
    h = db.get(tables.Holder, login_id)
    if h is None:
        return None
    return Contact(
        h.name, h.civic_address, h.city, h.province, h.postal_code, h.country, h.email, h.phone_number
    )


def transaction_count(db: DbSession, account_id: str, start: date | None, end: date | None) -> int:
    t = tables.Transaction
    query = select(func.count()).select_from(t).where(t.account_id == account_id)
    if start is not None:
        query = query.where(t.date >= start)
    if end is not None:
        query = query.where(t.date <= end)
    return int(db.scalar(query) or 0)


@dataclass(frozen=True, slots=True)
class TransactionRow:
    id: str
    date: date
    seq: int
    description: str
    debit_cents: int | None
    credit_cents: int | None
    balance_cents: int


def transactions_page(
    db: DbSession,
    account_id: str,
    start: date | None,
    end: date | None,
    after: tuple[date, int] | None,
    limit: int,
) -> list[TransactionRow]:
    """One page of an account's transactions, newest first, strictly after the key ``after`` (date, seq) of
    the previous page's last row: a keyset page on the (account, date, seq) index."""
    t = tables.Transaction
    query = select(t.id, t.date, t.seq, t.description, t.debit, t.credit, t.balance).where(
        t.account_id == account_id
    )
    if start is not None:
        query = query.where(t.date >= start)
    if end is not None:
        query = query.where(t.date <= end)
    if after is not None:
        last_date, last_seq = after
        query = query.where((t.date < last_date) | ((t.date == last_date) & (t.seq < last_seq)))
    query = query.order_by(t.date.desc(), t.seq.desc()).limit(limit)
    return [TransactionRow(*row) for row in db.execute(query)]


def statements(db: DbSession, account_id: str) -> list[StatementView]:
    s = tables.Statement
    rows = db.execute(
        select(s.unique_id, s.account_id, s.period_start, s.period_end)
        .where(s.account_id == account_id)
        .order_by(s.period_end.desc())
    )
    return [StatementView(*row) for row in rows]


def statement_pdf(db: DbSession, account_id: str, statement_id: str) -> bytes | None:
    s = tables.Statement
    found = db.execute(
        select(s, tables.Account.login_id)
        .join(tables.Account, tables.Account.id == s.account_id)
        .where(s.account_id == account_id, s.unique_id == statement_id)
    ).first()
    if found is None:
        return None
    row, login_id = found
    return statement_pdfs(db, login_id, [row])[0]
