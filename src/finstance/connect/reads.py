"""Connect's named reads for the products built on it: a login, its ready sessions, accounts, transactions.

Enrich, Upload and Outbound read Connect's data through this module only, never its tables: what it returns
are plain values, so Connect's tables can change without those products noticing. Every read runs in the
caller's transaction (``with ctx.store.read() as db``) on the instance's own store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from finstance.connect import data, sessions, tables
from finstance.connect.data import ReadySession as ReadySession  # what ready_session returns
from finstance.core.context import InstanceContext


@dataclass(frozen=True, slots=True)
class LoginView:
    id: str
    institution: str
    last_refresh: datetime | None  # None: never aggregated


@dataclass(frozen=True, slots=True)
class AccountView:
    id: str
    title: str
    category: str  # Operations, Credits, Loans, ...
    type: str  # Chequing, Savings, CreditCard, ...
    currency: str
    account_number: str
    balance_current_cents: int
    balance_available_cents: int | None


@dataclass(frozen=True, slots=True)
class TransactionView:
    account_id: str
    id: str
    date: date
    description: str
    debit_cents: int | None
    credit_cents: int | None
    balance_cents: int


def ready_session(ctx: InstanceContext, request_id: str | None) -> ReadySession:
    """The RequestId's session once its data is ready, read without touching it; raises the errors of a data
    call (another instance's RequestId, none or expired, 202 while its aggregation runs, its failure)."""
    return data.open_ready(ctx, request_id)


def find_login(ctx: InstanceContext, db: DbSession, login_id: str | None) -> LoginView:
    """A loginId of this instance; another instance's is refused with the wrong-instance error, an unknown one
    with INVALID_LOGIN."""
    row = sessions.find_login(ctx, db, login_id)
    return LoginView(row.id, row.institution, row.last_refresh)


def login(db: DbSession, login_id: str) -> LoginView | None:
    row = db.get(tables.Login, login_id)
    return None if row is None else LoginView(row.id, row.institution, row.last_refresh)


def accounts(db: DbSession, login_id: str) -> list[AccountView]:
    """The login's accounts, in the order the institution lists them."""
    a = tables.Account
    rows = db.execute(
        select(a.id, a.title, a.category, a.type, a.currency, a.account_number, a.balance_current)
        .add_columns(a.balance_available)
        .where(a.login_id == login_id)
        .order_by(a.position)
    )
    return [AccountView(*row) for row in rows]


def transactions(db: DbSession, login_id: str, since: date | None = None) -> list[TransactionView]:
    """The login's transactions, every account, newest first (the order of GetAccountsDetail)."""
    t, a = tables.Transaction, tables.Account
    query = (
        select(t.account_id, t.id, t.date, t.description, t.debit, t.credit, t.balance)
        .join(a, a.id == t.account_id)
        .where(a.login_id == login_id)
        .order_by(a.position, t.date.desc(), t.seq.desc())
    )
    if since is not None:
        query = query.where(t.date >= since)
    return [TransactionView(*row) for row in db.execute(query)]
