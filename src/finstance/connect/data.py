"""Data calls: accounts summary, accounts detail and statements, sync and Async.

A data call resolves its RequestId, waits for nothing: if the aggregation behind the session is not done
it answers 202 (OPERATION_PENDING, or OPERATION_DISPATCHED when a sync call would outlast the dispatch
limit) with the Async link, after giving a due job the chance to run in this very process.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, cast

import orjson
from sqlalchemy import Table, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.sql.elements import ColumnElement

from finstance.connect import documents, sessions, statements, tables, touches, wire
from finstance.core import errors, jobs
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.states import JobStatus
from finstance.core.store import tables as core_tables
from finstance.sandbox import bank

NEVER = "0001-01-01T00:00:00"
DAYS = {"Days90": 90, "Days365": 365, "Days360": 365}
STATEMENT_COUNT = {"MostRecent": 1, "Months3": 3, "Months12": 12}

DETAIL, SUMMARY, STATEMENTS = "GetAccountsDetail", "GetAccountsSummary", "GetStatements"
_OPTION_COLUMN = {DETAIL: "detail_options", SUMMARY: "summary_options", STATEMENTS: "statements_options"}
_MODEL: dict[str, type[wire.RequestIdBody]] = {
    DETAIL: wire.AccountsDetailRequest,
    SUMMARY: wire.AccountsSummaryRequest,
    STATEMENTS: wire.StatementsRequest,
}


def async_links(operation: str) -> list[dict[str, Any]]:
    name = f"{operation}Async"
    return [{"rel": name, "href": f"/{name}", "example": f"/{name}/{{requestId}}"}]


@dataclass(frozen=True, slots=True)
class _Opened:
    session_id: str
    login_id: str
    institution: str
    tag: str | None
    live: bool
    has_data: bool
    job: sessions.JobCopy | None
    options: wire.RequestIdBody
    login: sessions.LoginLike  # as read when the session was opened
    touch_due: datetime | None = None  # the idle clock read, when it is due a restart left for later
    unsettled: bool = False  # the session is due its write now (_touch): a first call, new options


def fetch(
    ctx: InstanceContext, operation: str, request_id: str, body: wire.RequestIdBody | None
) -> dict[str, Any]:
    """Run one data call. ``body`` is None for the Async variants, which replay the stored options."""
    if operation == STATEMENTS and ctx.spec.country is not Country.CA:
        raise errors.MethodNotAvailable("GetStatements is available on Canadian instances only.")
    opened = _open(ctx, operation, request_id, body)
    if _ensure_ready(ctx, operation, opened, sync=body is not None) and operation == DETAIL:
        assert isinstance(opened.options, wire.AccountsDetailRequest)
        answer = _kept_detail(ctx, opened.login, opened, opened.options)
        if answer is not None:  # the login as the session was opened: nothing ran since
            return answer
    with ctx.store.read() as db:
        login = db.get(tables.Login, opened.login_id)
        if login is None:
            raise errors.SessionNonexistent(
                "The login of this session was deleted.", request_id=opened.session_id
            )
        if operation == DETAIL:
            assert isinstance(opened.options, wire.AccountsDetailRequest)
            return _detail_answer(documents.cache(ctx), db, login, opened, opened.options)
        if operation == SUMMARY:
            return _summary(db, login, opened)
        assert isinstance(opened.options, wire.StatementsRequest)
        return _statements_body(db, login, opened, opened.options)


# A data call restarts its RequestId's idle clock (30 minutes). Writing that on every call would make every
# read a write; within this much of the last write the clock is left as it is (the RequestId may end up to
# this much earlier than 30 minutes after its very last call).
TOUCH_GRANULARITY = timedelta(seconds=1)


def _peek(
    ctx: InstanceContext,
    operation: str,
    request_id: str,
    body: wire.RequestIdBody | None,
    *,
    touch_later: bool = False,
    touch_now: bool = False,
) -> _Opened | None:
    """The session behind a data call read without writing, when nothing about it changes: its data calls
    have started, its options are the stored ones and it was touched just now; or, with ``touch_later``, the
    touch it is due is left to a background thread (``connect/touches.py``). None otherwise.

    With ``touch_now``, a session that needs a write (its first data call, new options, a touch due) is
    returned too, ``unsettled``: the caller writes it (:func:`_touch`) before it answers."""
    column = _OPTION_COLUMN[operation]
    options = body.stored if body is not None else None
    copy, login_copy, job = sessions.peek_for_data(ctx, request_id)
    fresh = ctx.clock.now() - copy.last_activity_at < TOUCH_GRANULARITY
    settled = copy.data_started_at is not None and (options is None or getattr(copy, column) == options)
    unsettled = not settled or not (fresh or touch_later)
    if unsettled and not touch_now:
        return None
    if not copy.live and login_copy.last_refresh is None:  # cached, no data yet: its latest job is read too
        with ctx.store.read() as db:
            opened = _opened(db, copy, login_copy, body, column, operation, job)
    else:
        opened = _opened(None, copy, login_copy, body, column, operation, job)
    if unsettled:
        return replace(opened, unsettled=True)
    return opened if fresh else replace(opened, touch_due=copy.last_activity_at)


def _touch(ctx: InstanceContext, operation: str, opened: _Opened, body: wire.RequestIdBody | None) -> bool:
    """Write an unsettled session (see :func:`_peek`) in one statement: restart its idle clock, start its
    data calls and store the call's options (an Async call, ``body`` None, keeps them). False when its row is
    gone."""
    params: dict[str, Any] = {"session_id": opened.session_id, "now": ctx.clock.now()}
    if body is not None:
        params["options"] = dict(body.stored)
    statement = _TOUCH[_OPTION_COLUMN[operation], body is not None]
    with ctx.store.transaction() as conn:
        return ctx.store.change_on(conn, statement, params) == 1


def _touch_statement(column: str, with_options: bool) -> Any:
    table = cast(Table, tables.Session.__table__)
    values: dict[str, Any] = {
        "last_activity_at": bindparam("now"),
        "data_started_at": func.coalesce(table.c.data_started_at, bindparam("now")),
    }
    if with_options:
        values[column] = bindparam("options", type_=table.c[column].type)
    return update(table).where(table.c.id == bindparam("session_id")).values(values)


_TOUCH = {(c, o): _touch_statement(c, o) for c in _OPTION_COLUMN.values() for o in (False, True)}


def kept_detail(
    ctx: InstanceContext, body: wire.AccountsDetailRequest, *, touch: bool = False
) -> bytes | None:
    """A GetAccountsDetail answered (its JSON) with one read and the document cache, exactly as
    :func:`fetch` answers it, or None when answering needs more (a job to run, a 202 or an error to report,
    data not yet kept): then :func:`fetch` answers. The fast lane's handlers (``connect/fast.py``).

    Without ``touch`` it never writes, and answers only sessions whose write can wait (a touch left to a
    background thread). With ``touch`` it also answers a session due its write now (a first call, new
    options): the write (one UPDATE) is made once the answer is known, and nothing is written when it answers
    None."""
    try:
        opened = _peek(ctx, DETAIL, body.request_id, body, touch_later=not touch, touch_now=touch)
    except errors.FlinksError:
        return None
    if opened is None:
        return None
    job = opened.job
    if not (job is None or (not opened.live and opened.has_data) or job.status is JobStatus.DONE):
        return None
    answer = _kept_answer(ctx, opened.login, opened, body)
    if answer is None:
        return None
    if opened.unsettled and not _touch(ctx, DETAIL, opened, body):
        return None
    if opened.touch_due is not None:
        touches.touch_later(ctx, opened.session_id, opened.touch_due)
    return answer


def _open(ctx: InstanceContext, operation: str, request_id: str, body: wire.RequestIdBody | None) -> _Opened:
    """The session behind a data call, its options and its job: one read, and one UPDATE of the session's
    row when it changes (_peek). A row gone between the two is looked at again in a write transaction."""
    opened = _peek(ctx, operation, request_id, body, touch_now=True)
    if opened is not None and not opened.unsettled:
        return opened
    if opened is not None and _touch(ctx, operation, opened, body):
        return replace(opened, unsettled=False)
    column = _OPTION_COLUMN[operation]
    with ctx.store.write() as db:
        session, login = sessions.open_for_data(ctx, db, request_id)
        if body is not None:
            setattr(session, column, dict(body.stored))
        return _opened(db, session, login, body, column, operation, _job_of(db, session))


def _opened(
    db: DbSession | None,
    session: sessions.SessionLike,
    login: sessions.LoginLike,
    body: wire.RequestIdBody | None,
    column: str,
    operation: str,
    job: sessions.JobCopy | None,
) -> _Opened:
    """``job`` is the session's own job (see ``_job_of``)."""
    if body is not None:
        options = body
    else:
        stored = getattr(session, column) or {"RequestId": session.id}
        options = _MODEL[operation].model_validate(stored)
    has_data = login.last_refresh is not None
    view = job if session.live else None
    if not session.live and not has_data:  # cached: the most recent data at once, unless there is none yet
        assert db is not None
        latest = jobs.latest_job(db, login.id)
        view = _copy(latest) if latest is not None else None
    return _Opened(
        session_id=session.id,
        login_id=login.id,
        institution=session.institution,
        tag=session.tag,
        live=session.live,
        has_data=has_data,
        job=view,
        options=options,
        login=login,
    )


def _copy(job: core_tables.Job) -> sessions.JobCopy:
    return sessions.JobCopy(job.id, job.status, job.run_after, job.error_code)


def _job_of(db: DbSession, session: sessions.SessionLike) -> sessions.JobCopy | None:
    job = db.get(core_tables.Job, session.job_id) if session.job_id else None
    return _copy(job) if job is not None else None


def _ensure_ready(ctx: InstanceContext, operation: str, opened: _Opened, *, sync: bool) -> bool:
    """Raise unless the session's data can be read. True when the login is as the session was opened (no
    job ran here since), False when a due job was run here first."""
    job = opened.job
    if job is None or (not opened.live and opened.has_data):
        return True  # cached sessions serve the most recent data at once
    ran = False
    if job.status is JobStatus.PENDING and job.run_after <= ctx.clock.now():
        ran = True
        jobs.try_run(ctx, job.id)
        found = sessions.read_job(ctx, job.id)
        assert found is not None
        job = found
    if job.status is JobStatus.DONE:
        return not ran
    context: dict[str, Any] = {"request_id": opened.session_id, "institution": opened.institution}
    if job.status is JobStatus.FAILED:
        if opened.has_data and not opened.live:
            return not ran
        code = job.error_code or errors.AggregationError.flinks_code
        raise sessions.ERRORS_BY_CODE.get(code, errors.AggregationError)(**context)
    links = async_links(operation)
    remaining = job.run_after - ctx.clock.now()
    if sync and remaining > ctx.settings.dispatch_limit:
        raise errors.OperationDispatched(links=links, **context)
    raise errors.OperationPending(links=links, **context)


@dataclass(frozen=True, slots=True)
class ReadySession:
    """A RequestId whose data is there to read, as another product sees it (see ``connect/reads.py``)."""

    request_id: str
    login_id: str
    detail_requested: bool  # GetAccountsDetail was called with this RequestId
    data_started_at: datetime | None  # its first data call
    last_refresh: datetime | None
    login: dict[str, Any]  # the "Login" block of Connect's answers


def open_ready(ctx: InstanceContext, request_id: str | None) -> ReadySession:
    """The session behind a RequestId, looked at without touching it, once its data is ready.

    Raises what a data call raises: another instance's RequestId, none or expired, a challenge waiting, 202
    while its aggregation runs (after giving a due job the chance to run here), the aggregation's error.
    """
    with ctx.store.read() as db:
        session, login = sessions.open_for_data(ctx, db, request_id, touch=False)
        opened = _opened(db, session, login, None, _OPTION_COLUMN[DETAIL], DETAIL, _job_of(db, session))
        detail_requested = session.detail_options is not None
        started = session.data_started_at
    _ensure_ready(ctx, DETAIL, opened, sync=False)
    with ctx.store.read() as db:
        row = db.get(tables.Login, opened.login_id)
        if row is None:
            raise errors.SessionNonexistent(
                "The login of this session was deleted.", request_id=opened.session_id
            )
        return ReadySession(
            request_id=opened.session_id,
            login_id=row.id,
            detail_requested=detail_requested,
            data_started_at=started,
            last_refresh=row.last_refresh,
            login=login_info(row),
        )


# -- bodies -----------------------------------------------------------------------------------------


def money(cents: int | None) -> float | None:
    return None if cents is None else cents / 100


def login_info(login: sessions.LoginLike) -> dict[str, Any]:
    last = _wall_text(login.last_refresh.replace(tzinfo=None)) if login.last_refresh else NEVER
    return {
        "Username": login.username,
        "IsScheduledRefresh": login.is_scheduled_refresh,
        "LastRefresh": last,
        "Type": login.login_type,
        "Id": login.id,
    }


@lru_cache(maxsize=1024)
def _wall_text(wall: datetime) -> str:
    """A login's LastRefresh as Flinks writes it; the same few instants are written at every read."""
    return wall.isoformat(timespec="microseconds")


def _envelope(
    login: sessions.LoginLike, opened: _Opened, links: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"HttpStatusCode": 200}
    if links is not None:
        body["Links"] = links
    body.update(
        {
            "InstitutionName": opened.institution,
            "Login": login_info(login),
            "InstitutionId": bank.INSTITUTION_ID,
            "Institution": opened.institution,
            "RequestId": opened.session_id,
        }
    )
    if opened.tag is not None:
        body["Tag"] = opened.tag
    return body


def _holder(holder: tables.Holder | None) -> dict[str, Any] | None:
    if holder is None:
        return None
    return {
        "Name": holder.name,
        "Address": {
            "CivicAddress": holder.civic_address,
            "City": holder.city,
            "Province": holder.province,
            "PostalCode": holder.postal_code,
            "POBox": holder.po_box,
            "Country": holder.country,
        },
        "Email": holder.email,
        "PhoneNumber": holder.phone_number,
    }


def _balance(a: tables.Account) -> dict[str, Any]:
    return {
        "Available": money(a.balance_available),
        "Current": money(a.balance_current),
        "Limit": money(a.balance_limit),
    }


def _accounts(db: DbSession, login_id: str, only: list[str] | None) -> list[tables.Account]:
    query = (
        select(tables.Account).where(tables.Account.login_id == login_id).order_by(tables.Account.position)
    )
    if only is not None:
        wanted = {a.strip().lower() for a in only}
        return [a for a in db.scalars(query) if a.id in wanted]
    return list(db.scalars(query))


def _summary(db: DbSession, login: tables.Login, opened: _Opened) -> dict[str, Any]:
    holder = _holder(db.get(tables.Holder, login.id))
    accounts = [
        {
            "EftEligibleRatio": a.eft_eligible_ratio,
            "ETransferEligibleRatio": a.etransfer_eligible_ratio,
            "Title": a.title,
            "AccountNumber": a.account_number,
            "LastFourDigits": a.last_four_digits,
            "Balance": _balance(a),
            "Category": a.category,
            "Type": a.type,
            "Currency": a.currency,
            "Holder": holder,
            "AccountType": a.account_type,
            "Id": a.id,
        }
        for a in _accounts(db, login.id, None)
    ]
    links = [
        {"rel": "AccountsDetail", "href": "/GetAccountsDetail", "example": None},
        {"rel": "Statements", "href": "/GetStatements", "example": None},
    ]
    body = _envelope(login, opened, links)
    body["Accounts"] = accounts
    return body


def _window(login: tables.Login, options: wire.AccountsDetailRequest) -> tuple[date | None, date | None]:
    if options.date_from or options.date_to:
        return options.date_from, options.date_to
    if login.institution == tables.UPLOADED:
        return None, None  # the statements' transactions, whatever their age: they are all there is
    today = (login.last_refresh or datetime.now()).date()
    return today - timedelta(days=DAYS[options.days_of_transactions]), None


def _transactions(
    db: DbSession, accounts: list[tables.Account], login: tables.Login, options: wire.AccountsDetailRequest
) -> dict[str, list[dict[str, Any]]]:
    by_account: dict[str, list[dict[str, Any]]] = {a.id: [] for a in accounts}
    if not accounts:
        return by_account
    start, end = _window(login, options)
    t = tables.Transaction
    conditions: list[ColumnElement[bool]] = [t.account_id.in_(list(by_account))]
    if start is not None:
        conditions.append(t.date >= start)
    if end is not None:
        conditions.append(t.date <= end)
    for item in options.refresh_delta or []:
        anchor = db.scalars(
            select(t).where(
                t.account_id == item.account_id.strip().lower(), t.id == item.transaction_id.strip().lower()
            )
        ).first()
        if anchor is not None:
            conditions.append(
                or_(
                    t.account_id != anchor.account_id,
                    and_(t.account_id == anchor.account_id, t.seq > anchor.seq),
                )
            )
    rows = db.execute(
        select(t.account_id, t.id, t.date, t.description, t.debit, t.credit, t.balance)
        .where(*conditions)
        .order_by(t.account_id, t.date.desc(), t.seq.desc())
    )
    for account_id, txn_id, day, description, debit, credit, balance in rows:
        by_account[account_id].append(
            {
                "Date": day.isoformat(),
                "Code": None,
                "Description": description,
                "Debit": money(debit),
                "Credit": money(credit),
                "Balance": money(balance),
                "Id": txn_id,
            }
        )
    return by_account


def _detail_answer(
    kept: documents.DocumentCache | None,
    db: DbSession,
    login: tables.Login,
    opened: _Opened,
    options: wire.AccountsDetailRequest,
) -> dict[str, Any]:
    """A GetAccountsDetail answer, its data served from ``kept`` (the process's document cache) when this
    login's data on this day was already answered with these options, else built and kept there (see
    ``connect/documents.py``)."""
    key = _document_key(login, options)
    if kept is None or key is None:
        return _detail(db, login, opened, options)
    parts = kept.get(key)
    if parts is None:
        built = _detail_parts(db, login, options)
        parts = tuple(orjson.dumps(value) for value in built.values())
        kept.put(key, parts)
    return _spliced(login, opened, options, parts)


def _kept_detail(
    ctx: InstanceContext, login: sessions.LoginLike, opened: _Opened, options: wire.AccountsDetailRequest
) -> dict[str, Any] | None:
    """The answer from the document cache alone, or None when it has none: no store access."""
    kept = documents.cache(ctx)
    key = _document_key(login, options)
    parts = kept.get(key) if kept is not None and key is not None else None
    return _spliced(login, opened, options, parts) if parts is not None else None


def _kept_answer(
    ctx: InstanceContext, login: sessions.LoginLike, opened: _Opened, options: wire.AccountsDetailRequest
) -> bytes | None:
    """:func:`_kept_detail` serialized. The same session asking again with the same options, its login as it
    was, gets the bytes it got last time, as long as its document is kept."""
    kept = documents.cache(ctx)
    key = _document_key(login, options)
    parts = kept.get(key) if kept is not None and key is not None else None
    if parts is None:
        return None
    assert kept is not None and key is not None
    envelope = (opened.session_id, opened.institution, opened.tag, login.username, login.is_scheduled_refresh,
                login.login_type, login.last_refresh, _part_names(options))  # fmt: skip
    body = kept.answer(key, envelope)
    if body is None:
        body = orjson.dumps(_spliced(login, opened, options, parts))
        kept.keep_answer(key, envelope, body)
    return body


def _document_key(login: sessions.LoginLike, options: wire.AccountsDetailRequest) -> documents.Key | None:
    refreshed = login.last_refresh
    if refreshed is None:
        return None
    data = login.data_digest or f"refreshed {refreshed.isoformat()}"  # saved without a digest: this refresh's
    return (login.id, data, refreshed.date(), options.shown)


def _spliced(
    login: sessions.LoginLike, opened: _Opened, options: wire.AccountsDetailRequest, parts: tuple[bytes, ...]
) -> dict[str, Any]:
    body = _envelope(login, opened)
    body.update(zip(_part_names(options), map(orjson.Fragment, parts), strict=True))
    return body


def _part_names(options: wire.AccountsDetailRequest) -> tuple[str, ...]:
    if options.with_details_and_banking_statements:
        return ("Accounts", "StatementsByAccount")
    return ("Accounts",)


def _detail(
    db: DbSession, login: tables.Login, opened: _Opened, options: wire.AccountsDetailRequest
) -> dict[str, Any]:
    body = _envelope(login, opened)
    body.update(_detail_parts(db, login, options))
    return body


def _detail_parts(db: DbSession, login: tables.Login, options: wire.AccountsDetailRequest) -> dict[str, Any]:
    """What a GetAccountsDetail answer holds besides its envelope, in the answer's order (_part_names)."""
    accounts = _accounts(db, login.id, options.accounts_filter)
    holder = _holder(db.get(tables.Holder, login.id)) if options.with_kyc else None
    transactions = _transactions(db, accounts, login, options) if options.with_transactions else {}
    identity = options.with_account_identity
    out = []
    for a in accounts:
        item: dict[str, Any] = {}
        if options.with_transactions:
            item["Transactions"] = transactions[a.id]
        item.update(
            {
                "TransitNumber": a.transit_number if identity else None,
                "InstitutionNumber": a.institution_number if identity else None,
                "RoutingNumber": a.routing_number if identity else None,
                "OverdraftLimit": money(a.overdraft_limit),
                "Title": a.title,
                "AccountNumber": a.account_number,
                "LastFourDigits": a.last_four_digits,
                "Balance": _balance(a) if options.with_balance else None,
                "Category": a.category,
                "Type": a.type,
                "Currency": a.currency,
                "Holder": holder,
                "AccountType": a.account_type,
                "Id": a.id,
            }
        )
        out.append(item)
    parts: dict[str, Any] = {"Accounts": out}
    if options.with_details_and_banking_statements:
        count = STATEMENT_COUNT[options.number_of_banking_statements]
        parts["StatementsByAccount"] = _statements(db, accounts, count)
    return parts


def _statements(db: DbSession, accounts: list[tables.Account], count: int) -> list[dict[str, Any]]:
    out = []
    for a in accounts:
        rows = list(
            db.scalars(
                select(tables.Statement)
                .where(tables.Statement.account_id == a.id)
                .order_by(tables.Statement.period_end.desc())
                .limit(count)
            )
        )
        documents = statements.pdfs(db, a.login_id, rows)
        out.append(
            {
                "AccountNumber": a.account_number,
                "AccountId": a.id,
                "Statements": [
                    {
                        "UniqueId": s.unique_id,
                        "FileType": "PDF",
                        "Base64Bytes": base64.b64encode(pdf).decode(),
                    }
                    for s, pdf in zip(rows, documents, strict=True)
                ],
            }
        )
    return out


def _statements_body(
    db: DbSession, login: tables.Login, opened: _Opened, options: wire.StatementsRequest
) -> dict[str, Any]:
    accounts = _accounts(db, login.id, options.accounts_filter)
    body = _envelope(login, opened)
    body["StatementsByAccount"] = _statements(db, accounts, STATEMENT_COUNT[options.number_of_statements])
    return body


def webhook_bodies(
    db: DbSession,
    login: tables.Login,
    request_id: str | None,
    tag: str | None,
    options: dict[str, Any] | None,
    kept: documents.DocumentCache | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The KYC and GetAccountsDetail webhook bodies (without ResponseType) of a login just aggregated.

    The detail body is the 200 answer to the session's own GetAccountsDetail options when it made a call,
    else to a call with KYC and account identity. Its document comes from ``kept``, the cache of the process
    that aggregated, when that holds the same data on the same day; else it is built and kept there, where
    it answers the session's next GetAccountsDetail (see ``connect/documents.py``).
    """
    stored = dict(options or {})
    stored["RequestId"] = request_id or login.id
    if not options:
        stored.update(WithKYC=True, WithAccountIdentity=True)
    parsed = wire.AccountsDetailRequest.model_validate(stored)
    opened = _Opened(
        session_id=request_id or "",
        login_id=login.id,
        institution=login.institution,
        tag=tag,
        live=True,
        has_data=True,
        job=None,
        options=parsed,
        login=login,
    )
    detail = _detail_answer(kept, db, login, opened, parsed)
    kyc = _envelope(login, opened)
    kyc["Holders"] = [_holder(db.get(tables.Holder, login.id))]
    for body in (kyc, detail):
        if request_id is None:
            body.pop("RequestId", None)
    return kyc, detail
