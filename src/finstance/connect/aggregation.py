"""The aggregation job: read the end-user's data at the institution and save it in the store.

The institution is behind the port of :mod:`finstance.core.institution` (the sandbox bank is
:class:`finstance.sandbox.capital.FlinksCapital`). The profile is obtained outside the transaction; the
write replaces the login's accounts, transactions and statements and marks the job done in one transaction,
so a crash leaves either the old data or the new, never half. A refresh that brings the data saved last time
(a digest of it is kept with the login) leaves the rows as they are, and locks the login only to commit.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import CursorResult, delete, insert, select, update
from sqlalchemy.orm import Session as DbSession

from finstance.connect import data, documents, tables
from finstance.connect.sessions import AGGREGATE, answer_hash
from finstance.core import errors, jobs, webhooks
from finstance.core.context import InstanceContext
from finstance.core.institution import Institution, ProfileRequest
from finstance.core.profile import BankProfile
from finstance.core.store import tables as core_tables
from finstance.sandbox import bank

# The webhook events of an aggregation, in the order they are sent.
KYC = "KYC"
ACCOUNTS_DETAIL = "GetAccountsDetail"


class Aggregation:
    """The handler of ``aggregate`` jobs, over the institutions an instance can reach."""

    def __init__(self, institutions: Sequence[Institution]) -> None:
        self.institutions = {i.name: i for i in institutions}

    def __call__(self, ctx: InstanceContext, job: core_tables.Job) -> None:
        aggregate(ctx, job, self.institutions)


def aggregate(ctx: InstanceContext, job: core_tables.Job, institutions: Mapping[str, Institution]) -> None:
    now = ctx.clock.now()
    with ctx.store.read() as db:
        login = db.get(tables.Login, job.login_id)
        if login is None:  # deleted meanwhile: nothing to do
            username = None
        else:
            username, language, stored = login.username, login.language, dict(login.mfa_answers)
            institution = institutions.get(login.institution)
    if username is None:
        with ctx.store.write() as db:
            jobs.complete(db, job.id, now)
        return
    if institution is None:
        raise errors.DisabledInstitution("This instance cannot reach the institution of this login.")
    scenario = bank.find_scenario(username)
    if (
        scenario is not None
        and job.payload.get("scheduled")
        and scenario.mfa_steps
        and not _answers_stored(ctx, language, stored)
    ):
        # An unattended refresh meets a security question it has no stored answer for.
        with ctx.store.write() as db:
            _set_login_error(db, job.login_id, errors.QuestionNotFound.flinks_code)
            jobs.complete(db, job.id, now, errors.QuestionNotFound.flinks_code)
        return
    history = job.payload.get("history_days")
    request = ProfileRequest(username, ctx.spec.country, now.date(), job.login_id, history)
    profile = institution.profile(
        request if isinstance(history, int) else replace(request, history_days=None)
    )
    cached_error = scenario.cached_error if scenario is not None else None
    error_code = cached_error.flinks_code if cached_error else None
    prepared = _rows(job.login_id, profile, documents.cache(ctx))
    digest = prepared.digest
    if not _save_unchanged(ctx, job, digest, now, error_code):
        with ctx.store.write() as db:
            # Lock the login first: two aggregations of one login (a reconnect while the last one runs, in
            # another process) then replace its data one after the other instead of colliding on its rows.
            login = db.get(tables.Login, job.login_id, with_for_update=True)
            if login is None:
                jobs.complete(db, job.id, now)
                return
            _save_rows(db, login, prepared)
            login.last_refresh = now
            login.last_error_code = error_code
            db.flush()
            emit_events(ctx, db, login, job.request_id)
            jobs.complete(db, job.id, now)
    documents.changed(ctx, job.login_id, now=(digest, now.date()))


class _Changed(Exception):
    """The data saved for a login is not the data an aggregation brought (any more)."""


def _save_unchanged(
    ctx: InstanceContext, job: core_tables.Job, digest: str, now: datetime, error_code: str | None
) -> bool:
    """Save a refresh that brought the data saved last time (``digest``): its webhooks and its job are written
    first, then the login's refresh, which locks the login's row only until the commit right after it. A
    login refreshed again and again then does not queue its aggregations behind each other's webhooks.

    False, with nothing written, when the data saved is another, or changed before the login's row was
    locked (the refresh's UPDATE matches the login only with this digest): the caller saves the data then."""
    try:
        with ctx.store.write() as db:
            login = db.get(tables.Login, job.login_id)
            saved = login.data_digest if login is not None else None
            if login is None or saved is None or not hmac.compare_digest(saved, digest):
                raise _Changed
            db.expunge(login)  # what the webhooks show of it, written below by one statement
            login.last_refresh, login.last_error_code = now, error_code
            emit_events(ctx, db, login, job.request_id)
            jobs.complete(db, job.id, now)
            refreshed = db.execute(
                update(tables.Login)
                .where(tables.Login.id == job.login_id, tables.Login.data_digest == digest)
                .values(last_refresh=now, last_error_code=error_code)
                .execution_options(synchronize_session=False)
            )
            if cast(CursorResult[Any], refreshed).rowcount != 1:
                raise _Changed  # rolls back what was written
    except _Changed:
        return False
    return True


def emit_events(ctx: InstanceContext, db: DbSession, login: tables.Login, request_id: str | None) -> None:
    """KYC, then GetAccountsDetail, in the transaction that saved the data: neither exists without it."""
    if not webhooks.endpoint_urls(db):
        return  # no endpoint: nothing would be delivered, keep no copy
    session = db.get(tables.Session, request_id) if request_id else None
    tag = session.tag if session else None
    options = session.detail_options if session else None
    kyc, detail = data.webhook_bodies(db, login, request_id, tag, options, documents.cache(ctx))
    webhooks.emit(ctx, db, KYC, kyc, login.id, seq=0)
    webhooks.emit(ctx, db, ACCOUNTS_DETAIL, detail, login.id, seq=1)


def _answers_stored(ctx: InstanceContext, language: str, stored: dict[str, str]) -> bool:
    prompts = bank.questions(ctx.spec.country, language)
    return bool(prompts) and all(
        hmac.compare_digest(stored.get(p, ""), answer_hash(a)) for p, a in prompts.items()
    )


def _set_login_error(db: DbSession, login_id: str, code: str) -> None:
    login = db.get(tables.Login, login_id)
    if login is not None:
        login.last_error_code = code


def save_profile(
    db: DbSession, login: tables.Login, profile: BankProfile, kept: documents.DocumentCache | None = None
) -> bool:
    """Make ``profile`` the login's data: its holder, accounts, transactions and statements replace those
    saved before, and its digest is the login's. False when they are the very data saved last time (a refresh
    that found nothing new): then nothing is written, and the store is as a replacement would have left it.
    The rows are built once per profile and login while ``kept`` (the process's cache of the store) keeps
    them."""
    return _save_rows(db, login, _rows(login.id, profile, kept))


def _save_rows(db: DbSession, login: tables.Login, prepared: _Rows) -> bool:
    login_id = login.id
    digest = prepared.digest
    if login.data_digest is not None and hmac.compare_digest(login.data_digest, digest):
        return False
    old_accounts = list(db.scalars(select(tables.Account.id).where(tables.Account.login_id == login_id)))
    if old_accounts:
        db.execute(delete(tables.Transaction).where(tables.Transaction.account_id.in_(old_accounts)))
        db.execute(delete(tables.Statement).where(tables.Statement.account_id.in_(old_accounts)))
        db.execute(delete(tables.Account).where(tables.Account.id.in_(old_accounts)))
    db.execute(delete(tables.Holder).where(tables.Holder.login_id == login_id))
    # Core inserts of the tables, not the ORM's bulk insert: the ORM leaves out the None values of each
    # row and so splits rows of different shapes (a debit, then a credit) into many small batches; one
    # executemany per table is about 3x faster on both backends.
    for model, rows in (
        (tables.Holder, [prepared.holder]),
        (tables.Account, prepared.accounts),
        (tables.Transaction, prepared.transactions),
        (tables.Statement, prepared.statements),
    ):
        if rows:
            db.execute(insert(core_tables.Base.metadata.tables[model.__tablename__]), rows)
    login.data_digest = digest
    return True


class _Rows(NamedTuple):
    profile: BankProfile  # held, so that its id() is not reused while the entry is kept
    holder: dict[str, object]
    accounts: list[dict[str, object]]
    transactions: list[dict[str, object]]
    statements: list[dict[str, object]]
    digest: str


def _rows(login_id: str, profile: BankProfile, kept: documents.DocumentCache | None) -> _Rows:
    """The rows of ``profile`` for ``login_id``. Flinks Capital hands the same object for the same login and
    day (capital._generated), so a login refreshed again and again builds and digests its rows once, as long
    as ``kept`` keeps them (by the profile object, which the rows hold so that its id is not reused). Rows
    are only read (by the INSERTs), never changed."""
    key = (id(profile), login_id)
    found = kept.rows(key) if kept is not None else None
    if isinstance(found, _Rows) and found.profile is profile:
        return found
    h = profile.holder
    holder_row: dict[str, object] = {
        "login_id": login_id,
        "name": h.name,
        "civic_address": h.address.civic_address,
        "city": h.address.city,
        "province": h.address.province,
        "postal_code": h.address.postal_code,
        "po_box": h.address.po_box,
        "country": h.address.country,
        "email": h.email,
        "phone_number": h.phone_number,
    }
    account_rows: list[dict[str, object]] = []
    txn_rows: list[dict[str, object]] = []
    statement_rows: list[dict[str, object]] = []
    for position, a in enumerate(profile.accounts):
        account_rows.append(
            {
                "id": a.id,
                "login_id": login_id,
                "position": position,
                "title": a.title,
                "account_number": a.account_number,
                "transit_number": a.transit_number,
                "institution_number": a.institution_number,
                "routing_number": a.routing_number,
                "last_four_digits": a.last_four_digits,
                "category": a.category,
                "type": a.type,
                "currency": a.currency,
                "account_type": a.account_type,
                "balance_current": a.balance_current_cents,
                "balance_available": a.balance_available_cents,
                "balance_limit": a.limit_cents,
                "overdraft_limit": a.overdraft_limit_cents,
                "eft_eligible_ratio": a.eft_eligible_ratio,
                "etransfer_eligible_ratio": a.etransfer_eligible_ratio,
            }
        )
        txn_rows.extend(
            {
                "account_id": a.id,
                "id": t.id,
                "date": t.date,
                "seq": t.seq,
                "description": t.description,
                "debit": t.debit_cents,
                "credit": t.credit_cents,
                "balance": t.balance_cents,
            }
            for t in a.transactions
        )
        statement_rows.extend(
            {
                "account_id": a.id,
                "unique_id": s.unique_id,
                "period_start": s.period_start,
                "period_end": s.period_end,
                "content": s.content.to_json(),
                "pdf": None,
            }
            for s in a.statements
        )
    digest = data_digest(holder_row, account_rows, txn_rows, statement_rows)
    rows = _Rows(profile, holder_row, account_rows, txn_rows, statement_rows, digest)
    if kept is not None:
        kept.keep_rows(key, rows)
    return rows


def data_digest(*parts: Sequence[Mapping[str, object]] | Mapping[str, object]) -> str:
    """A digest of the rows an aggregation saves: equal for equal rows (dates, numbers and JSON content have
    one ``repr``), in the order they are given."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


NIGHTLY = timedelta(hours=24)


def enqueue_scheduled_refreshes(ctx: InstanceContext) -> int:
    """Queue a refresh for every login with scheduled refresh on and no refresh in the last 24 hours."""
    now = ctx.clock.now()
    queued = 0
    overdue = (
        tables.Login.is_scheduled_refresh.is_(True),
        tables.Login.institution != tables.UPLOADED,  # no bank to refresh from
        tables.Login.last_refresh.is_not(None),
        tables.Login.last_refresh <= now - NIGHTLY,
    )
    with ctx.store.read() as db:  # the worker asks at every poll: a write only when a login is overdue
        if db.scalar(select(tables.Login.id).where(*overdue).limit(1)) is None:
            return 0
    with ctx.store.write() as db:
        due = db.scalars(select(tables.Login).where(*overdue))
        for login in due:
            if jobs.active_job(db, login.id) is not None:
                continue
            latest = jobs.latest_job(db, login.id)
            if latest is not None and latest.finished_at is not None and latest.finished_at > now - NIGHTLY:
                continue
            jobs.enqueue(
                ctx,
                db,
                kind=AGGREGATE,
                login_id=login.id,
                request_id=None,
                run_after=now,
                payload={"scheduled": True},
            )
            queued += 1
    return queued
