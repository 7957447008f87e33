"""Authorize: open a session (RequestId) in cached or live mode, and carry it through MFA.

A live connection that passes the institution's checks saves the login (same institution, username and
language → same loginId) and queues an aggregation job; data calls then wait for that job.
Errors found after the authorize token was spent are returned, not raised, so that spending the token
commits with the rest; the route raises them after the transaction.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.orm import Session as DbSession

from finstance.connect import tables, tokens
from finstance.connect.tables import SessionState
from finstance.core import errors, jobs, ratelimit
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.identifiers import Origin, canonical
from finstance.core.keys import hash_token
from finstance.core.states import JobStatus
from finstance.core.store import tables as core_tables
from finstance.core.store.engine import read_by_key
from finstance.sandbox import bank
from finstance.sandbox.institutions import find_institution

AGGREGATE = "aggregate"  # the job kind of an aggregation (run by :mod:`finstance.connect.aggregation`)

ERRORS_BY_CODE = {cls.flinks_code: cls for cls in errors.all_error_types()}

# Added to the error body when an identifier was minted by another instance. Nothing else about it is said.
WRONG_INSTANCE = {"WrongInstance": True}
LOGIN_ELSEWHERE = "This LoginId was issued by another instance; use it with the instance that issued it."
REQUEST_ELSEWHERE = "This RequestId was issued by another instance; use it with the instance that issued it."


def issued_elsewhere(ctx: InstanceContext, value: str | None) -> bool:
    return value is not None and ctx.spec.ids.origin(value) == Origin.OTHER_INSTANCE


def wrong_instance_login() -> errors.InvalidLogin:
    return errors.InvalidLogin(LOGIN_ELSEWHERE, extra=dict(WRONG_INSTANCE))


def wrong_instance_request() -> errors.SessionNonexistent:
    return errors.SessionNonexistent(REQUEST_ELSEWHERE, extra=dict(WRONG_INSTANCE))


@dataclass(frozen=True, slots=True)
class AuthorizeInput:
    login_id: str | None = None
    most_recent_cached: bool | None = None
    institution: str | None = None
    username: str | None = None
    password: str | None = None
    language: str = "en"
    tag: str | None = None
    request_id: str | None = None
    security_responses: dict[str, list[str]] | None = None
    save: bool = True
    schedule_refresh: bool = False
    collect: dict[str, Any] | None = None  # what to collect, e.g. {"history_days": 90} (Connect options)


@dataclass(slots=True)
class AuthorizeOutcome:
    session: tables.Session
    login: tables.Login | None = None
    prompts: list[str] = field(default_factory=list)  # non-empty: MFA challenge (203)
    error: errors.FlinksError | None = None


def authorize(ctx: InstanceContext, token: str | None, inp: AuthorizeInput) -> AuthorizeOutcome:
    _count_attempt(ctx, inp)
    if inp.request_id is not None or inp.security_responses is not None:
        if inp.request_id is None or inp.security_responses is None:
            raise errors.InvalidRequest("Answering a challenge takes both RequestId and SecurityResponses.")
        return _continue_mfa(ctx, token, inp.request_id, inp.security_responses)
    if inp.login_id is not None:
        cached = True if inp.most_recent_cached is None else inp.most_recent_cached
        return _with_login(ctx, token, inp, cached=cached)
    if inp.username is not None and inp.password is not None and inp.institution is not None:
        return _live_with_credentials(ctx, token, inp)
    raise errors.InvalidRequest("Provide a LoginId, or an Institution with a Username and a Password.")


@dataclass(frozen=True, slots=True)
class CachedOpened:
    """A session opened on a saved login's most recent data (:func:`open_cached`)."""

    request_id: str
    institution: str
    tag: str | None
    login: LoginCopy


class _NotMine(Exception):
    """The cached Authorize is the route's to answer: its transaction rolls back."""


def open_cached(
    ctx: InstanceContext, token: str, inp: AuthorizeInput, answer: Callable[[CachedOpened], bytes]
) -> bytes | None:
    """:func:`authorize` of a cached session (a LoginId, ``MostRecentCached`` true or left out) as one
    transaction of Core statements: the rate counts, the token spent, the login read, the session written
    as :func:`_with_login` writes it, and ``answer``'s bytes, made before it commits. None, with nothing
    written, for anything else: another instance's or an unknown login, a login whose last refresh failed,
    a limit reached, a token that cannot be spent; :func:`authorize` then counts and answers it. The fast
    lane's (``connect/fast.py``)."""
    if inp.login_id is None or inp.request_id is not None or inp.security_responses is not None:
        return None
    if inp.most_recent_cached is False or issued_elsewhere(ctx, inp.login_id):
        return None
    login_id = canonical(inp.login_id)
    if login_id is None:
        return None
    limits, now = ctx.settings, ctx.clock.now()
    try:
        with ctx.store.transaction() as conn:
            if limits.authorize_rate and ratelimit.count_on(ctx, conn, "authorize") > limits.authorize_rate:
                raise _NotMine
            if limits.login_rate and ratelimit.count_on(ctx, conn, "login", login_id) > limits.login_rate:
                raise _NotMine
            token_hash, request_id = hash_token(token), ctx.spec.ids.random()
            spend = {"hash": token_hash, "now": now, "rid": request_id}
            if ctx.store.change_on(conn, tokens.SPEND_ON, spend) != 1:
                raise _NotMine
            row = ctx.store.first_on(conn, _CACHED_LOGIN, {"login_id": login_id})
            if row is None:
                raise _NotMine
            institution, language, last_error_code = row[_CACHED_LOGIN_EXTRA:]
            if last_error_code and last_error_code in ERRORS_BY_CODE:
                raise _NotMine
            login = LoginCopy(*row[:_CACHED_LOGIN_EXTRA])
            opened = CachedOpened(request_id, institution, inp.tag, login)
            ctx.store.insert_on(
                conn,
                _INSERT_SESSION,
                {
                    "id": request_id,
                    "login_id": login.id,
                    "job_login": login.id,
                    "institution": institution,
                    "username": login.username.strip(),
                    "language": language,
                    "tag": inp.tag,
                    "live": False,
                    "save": inp.save,
                    "schedule_refresh": inp.schedule_refresh,
                    "collect": inp.collect,
                    "state": SessionState.AUTHORIZED,
                    "token_hash": token_hash,
                    "challenge": [],
                    "mfa_step": 0,
                    "created_at": now,
                    "last_activity_at": now,
                },
            )
            return answer(opened)
    except _NotMine:
        return None


# -- the three ways in ------------------------------------------------------------------------------


def _count_attempt(ctx: InstanceContext, inp: AuthorizeInput) -> None:
    """Rate limits, before anything is spent: a refused call keeps its token for a later try."""
    ratelimit.hit(ctx, ctx.settings.authorize_rate, "authorize")
    if inp.request_id is not None or inp.security_responses is not None:
        return  # an MFA answer: capped per session instead (max_failed_answers)
    if inp.login_id is not None:
        if issued_elsewhere(ctx, inp.login_id):
            return  # refused at once; nothing of another instance's identifier is kept, not even a count
        ratelimit.hit(ctx, ctx.settings.login_rate, "login", canonical(inp.login_id) or inp.login_id[:64])
    elif inp.username is not None:
        user = inp.username.strip().lower()[:200]
        ratelimit.hit(ctx, ctx.settings.login_rate, "user", (inp.institution or "").lower()[:64], user)


def _live_with_credentials(ctx: InstanceContext, token: str | None, inp: AuthorizeInput) -> AuthorizeOutcome:
    assert inp.institution is not None and inp.username is not None and inp.password is not None
    institution = _resolve_institution(ctx, inp.institution)
    now = ctx.clock.now()
    with ctx.store.write() as db:
        token_hash = tokens.consume(db, token, now)
        session = _new_session(ctx, db, inp, institution, inp.username, token_hash, live=True, now=now)
        try:
            scenario = bank.check_credentials(inp.username, inp.password)
        except errors.FlinksError as exc:
            session.state = SessionState.FAILED
            exc.request_id, exc.institution = session.id, institution
            return AuthorizeOutcome(session, error=exc)
        login_id = _login_id(ctx, institution, inp.username, inp.language)
        return _start_challenge_or_complete(ctx, db, session, scenario, login_id, now)


def _with_login(
    ctx: InstanceContext, token: str | None, inp: AuthorizeInput, *, cached: bool
) -> AuthorizeOutcome:
    assert inp.login_id is not None
    now = ctx.clock.now()
    with ctx.store.write() as db:
        token_hash = tokens.consume(db, token, now)
        if issued_elsewhere(ctx, inp.login_id):
            return _refused(db, inp, token_hash, wrong_instance_login(), ctx, now)
        login_id = canonical(inp.login_id)
        login = db.get(tables.Login, login_id) if login_id else None
        if login is None:
            return _refused(db, inp, token_hash, errors.InvalidLogin(), ctx, now)
        session = _new_session(
            ctx, db, inp, login.institution, login.username, token_hash, live=not cached, now=now
        )
        session.language = login.language
        if cached:
            session.login_id = login.id
            session.state = SessionState.AUTHORIZED
            session.job_id = jobs.latest_job_id(db, login.id)
            if login.last_error_code and login.last_error_code in ERRORS_BY_CODE:
                exc = ERRORS_BY_CODE[login.last_error_code](
                    request_id=session.id, institution=login.institution
                )
                return AuthorizeOutcome(session, login=login, error=exc)
            return AuthorizeOutcome(session, login=login)
        if login.institution == tables.UPLOADED:
            raise errors.InvalidRequest(
                "This login was made from uploaded documents: there is no bank to read it from again. "
                "Read it with MostRecentCached=true."
            )
        scenario = bank.find_scenario(login.username)
        if scenario is None:  # a login of a user the bank no longer knows
            session.state = SessionState.FAILED
            return AuthorizeOutcome(session, error=errors.InvalidUsername(request_id=session.id))
        if scenario.login_error is not None:
            session.state = SessionState.FAILED
            exc = scenario.login_error(request_id=session.id, institution=login.institution)
            return AuthorizeOutcome(session, error=exc)
        return _start_challenge_or_complete(
            ctx, db, session, scenario, login.id, now, stored=login.mfa_answers, refresh=True
        )


def _continue_mfa(
    ctx: InstanceContext, token: str | None, request_id: str, responses: dict[str, list[str]]
) -> AuthorizeOutcome:
    now = ctx.clock.now()
    if issued_elsewhere(ctx, request_id):
        raise wrong_instance_request()
    with ctx.store.write() as db:
        key = canonical(request_id)
        session = db.get(tables.Session, key) if key else None
        if session is None:
            raise errors.SessionNonexistent()
        if is_expired(ctx, session, now):
            raise errors.SessionNonexistent("The RequestId has expired.", request_id=session.id)
        if not tokens.matches_session(token, session):
            raise errors.AccessDenied(tokens.INVALID_TOKEN)
        if session.state is SessionState.AUTHORIZED:
            raise errors.AlreadyAuthorized(request_id=session.id, institution=session.institution)
        if session.state is not SessionState.MFA_PENDING:
            raise errors.SessionNonexistent("This session has ended; open a new one.", request_id=session.id)
        session.last_activity_at = now
        pending = {" ".join(p.split()).casefold(): p for p in session.challenge}
        given = {" ".join(k.split()).casefold(): v for k, v in responses.items()}
        context: dict[str, Any] = {
            "request_id": session.id,
            "institution": session.institution,
            "links": AUTHORIZE_LINKS,
        }
        unknown = [k for k in given if k not in pending]
        if unknown or len(given) < len(pending):
            session.failed_answers = (session.failed_answers or 0) + 1
            if session.failed_answers >= ctx.settings.max_failed_answers > 0:
                session.state = SessionState.FAILED  # too many tries at this challenge: the session ends
                return AuthorizeOutcome(session, error=errors.TooManyRequests(**context))
            error_type = errors.UnknownChallengeKey if unknown else errors.SecurityResponsesIncomplete
            return AuthorizeOutcome(session, prompts=list(session.challenge), error=error_type(**context))
        country, language = ctx.spec.country, session.language
        if not all(bank.answer_is_correct(pending[k], v, country, language) for k, v in given.items()):
            session.state = SessionState.FAILED
            return AuthorizeOutcome(session, error=errors.InvalidSecurityResponse(**context))
        scenario = bank.find_scenario(session.username)
        assert scenario is not None
        session.mfa_step += 1
        if session.mfa_step < len(scenario.mfa_steps):
            count = scenario.mfa_steps[session.mfa_step]
            session.challenge = bank.draw_prompts(
                country, language, count, f"{session.id}:{session.mfa_step}"
            )
            return AuthorizeOutcome(session, prompts=list(session.challenge))
        login_id = session.login_id or _login_id(ctx, session.institution, session.username, session.language)
        return _complete(ctx, db, session, scenario, login_id, now)


# -- shared steps -----------------------------------------------------------------------------------

AUTHORIZE_LINKS = [{"rel": "Authorization", "href": "/Authorize", "example": None}]


def _resolve_institution(ctx: InstanceContext, name: str) -> str:
    found = find_institution(ctx.spec.country, name)
    if found is None:
        other = Country.US if ctx.spec.country is Country.CA else Country.CA
        if find_institution(other, name) is not None:
            raise errors.InvalidRequest(
                f"This institution is in {other.value}; "
                f"this instance serves {ctx.spec.country.value} end-users only.",
                extra={"WrongCountry": True},
            )
        raise errors.InvalidRequest(f"Unknown institution for a {ctx.spec.country.value} instance.")
    if found.name != bank.INSTITUTION:
        raise errors.DisabledInstitution(
            f"{found.display_name} cannot be reached from a sandbox bank; connect Flinks Capital instead.",
            institution=found.name,
        )
    return found.name


def _login_id(ctx: InstanceContext, institution: str, username: str, language: str) -> str:
    return ctx.spec.ids.derived("login", institution, username.strip().lower(), language)


def _new_session(
    ctx: InstanceContext,
    db: DbSession,
    inp: AuthorizeInput,
    institution: str,
    username: str,
    token_hash: str,
    *,
    live: bool,
    now: datetime,
) -> tables.Session:
    session = tables.Session(
        id=ctx.spec.ids.random(),
        login_id=None,
        institution=institution,
        username=username.strip(),
        language=inp.language,
        tag=inp.tag,
        live=live,
        save=inp.save,
        schedule_refresh=inp.schedule_refresh,
        collect=inp.collect,
        state=SessionState.MFA_PENDING,
        token_hash=token_hash,
        challenge=[],
        mfa_step=0,
        created_at=now,
        last_activity_at=now,
    )
    db.add(session)
    tokens.bind(db, token_hash, session.id)
    return session


def _refused(
    db: DbSession,
    inp: AuthorizeInput,
    token_hash: str,
    exc: errors.FlinksError,
    ctx: InstanceContext,
    now: datetime,
) -> AuthorizeOutcome:
    session = _new_session(ctx, db, inp, bank.INSTITUTION, "", token_hash, live=False, now=now)
    session.state = SessionState.FAILED
    exc.request_id = session.id
    return AuthorizeOutcome(session, error=exc)


def _start_challenge_or_complete(
    ctx: InstanceContext,
    db: DbSession,
    session: tables.Session,
    scenario: bank.Scenario,
    login_id: str,
    now: datetime,
    stored: dict[str, str] | None = None,
    refresh: bool = False,
) -> AuthorizeOutcome:
    if refresh and jobs.active_job(db, login_id) is not None:
        session.state = SessionState.FAILED
        return AuthorizeOutcome(
            session, error=errors.ConcurrentSession(request_id=session.id, institution=session.institution)
        )
    if scenario.mfa_steps:
        prompts = bank.draw_prompts(
            ctx.spec.country, session.language, scenario.mfa_steps[0], f"{session.id}:0"
        )
        if (
            stored
            and len(scenario.mfa_steps) == 1
            and all(_stored_answer_ok(ctx, session, p, stored) for p in prompts)
        ):
            return _complete(
                ctx, db, session, scenario, login_id, now
            )  # the stored answers pass the challenge
        session.challenge = prompts
        session.login_id = login_id if db.get(tables.Login, login_id) is not None else None
        return AuthorizeOutcome(session, prompts=prompts)
    return _complete(ctx, db, session, scenario, login_id, now)


def _stored_answer_ok(
    ctx: InstanceContext, session: tables.Session, prompt: str, stored: dict[str, str]
) -> bool:
    expected = bank.expected_answer(prompt, ctx.spec.country, session.language)
    return expected is not None and hmac.compare_digest(stored.get(prompt, ""), answer_hash(expected))


def answer_hash(answer: str) -> str:
    return hash_token("mfa|" + bank.normalize_answer(answer))


def _insert_login(
    ctx: InstanceContext, db: DbSession, session: tables.Session, login_id: str, now: datetime
) -> tables.Login:
    """Save a new login. The first connections of one user can run at once in two processes: both insert
    the same id. ``ON CONFLICT DO NOTHING`` makes the second wait for the first and then use its row,
    instead of failing on the primary key."""
    db.execute(
        ctx.store.insert(tables.Login)
        .values(
            id=login_id,
            institution=session.institution,
            username=session.username,
            language=session.language,
            login_type="Personal",
            is_scheduled_refresh=False,
            last_refresh=None,
            last_error_code=None,
            mfa_answers={},
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["id"])
    )
    login = db.get(tables.Login, login_id)
    assert login is not None
    return login


def _complete(
    ctx: InstanceContext,
    db: DbSession,
    session: tables.Session,
    scenario: bank.Scenario,
    login_id: str,
    now: datetime,
) -> AuthorizeOutcome:
    """The institution accepted the user: save the login and queue its aggregation."""
    login = db.get(tables.Login, login_id)
    if login is None:
        login = _insert_login(ctx, db, session, login_id, now)
    if session.schedule_refresh:
        login.is_scheduled_refresh = True
    job = jobs.enqueue(
        ctx,
        db,
        kind=AGGREGATE,
        login_id=login.id,
        request_id=session.id,
        run_after=now + aggregation_time(ctx, scenario),
        payload=dict(session.collect or {}),
    )
    session.login_id = login.id
    session.state = SessionState.AUTHORIZED
    session.challenge = []
    session.job_id = job.id
    session.last_activity_at = now
    return AuthorizeOutcome(session, login=login)


def aggregation_time(ctx: InstanceContext, scenario: bank.Scenario) -> timedelta:
    if scenario.beyond_dispatch:
        return ctx.settings.dispatch_limit + timedelta(seconds=30)
    return (
        scenario.aggregation_time if scenario.aggregation_time is not None else ctx.settings.aggregation_time
    )


# -- sessions for data calls ------------------------------------------------------------------------


class SessionLike(Protocol):
    """What a data call reads of a session: a row of ``sessions`` or a :class:`SessionCopy`."""

    @property
    def id(self) -> str: ...
    @property
    def login_id(self) -> str | None: ...
    @property
    def institution(self) -> str: ...
    @property
    def tag(self) -> str | None: ...
    @property
    def live(self) -> bool: ...
    @property
    def state(self) -> SessionState: ...
    @property
    def job_id(self) -> str | None: ...
    @property
    def detail_options(self) -> dict[str, Any] | None: ...
    @property
    def summary_options(self) -> dict[str, Any] | None: ...
    @property
    def statements_options(self) -> dict[str, Any] | None: ...
    @property
    def last_activity_at(self) -> datetime: ...
    @property
    def data_started_at(self) -> datetime | None: ...


class LoginLike(Protocol):
    """What a data call reads of a login: a row of ``logins`` or a :class:`LoginCopy`."""

    @property
    def id(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def login_type(self) -> str: ...
    @property
    def is_scheduled_refresh(self) -> bool: ...
    @property
    def last_refresh(self) -> datetime | None: ...
    @property
    def data_digest(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class SessionCopy:
    id: str
    login_id: str | None
    institution: str
    tag: str | None
    live: bool
    state: SessionState
    job_id: str | None
    detail_options: dict[str, Any] | None
    summary_options: dict[str, Any] | None
    statements_options: dict[str, Any] | None
    last_activity_at: datetime
    data_started_at: datetime | None


@dataclass(frozen=True, slots=True)
class LoginCopy:
    id: str
    username: str
    login_type: str
    is_scheduled_refresh: bool
    last_refresh: datetime | None
    data_digest: str | None


@dataclass(frozen=True, slots=True)
class JobCopy:
    id: str
    status: JobStatus
    run_after: datetime
    error_code: str | None


_S, _L, _J = tables.Session, tables.Login, core_tables.Job
_SESSION_COLUMNS = [getattr(_S, f) for f in SessionCopy.__slots__]
_LOGIN_COLUMNS = [getattr(_L, f) for f in LoginCopy.__slots__]
_JOB_COLUMNS = [getattr(_J, f) for f in JobCopy.__slots__]
# A session, its login and its job in one statement, so one snapshot on every backend (a job seen done comes
# with the refresh it saved); the login's or the job's columns are NULL when there is none.
_PEEK = read_by_key(  # a session by its id: reads made at once are fetched together (off SQLite)
    select(*_SESSION_COLUMNS, *_LOGIN_COLUMNS, *_JOB_COLUMNS)
    .select_from(_S)
    .outerjoin(_L, _L.id == _S.login_id)
    .outerjoin(_J, _J.id == _S.job_id)
    .where(_S.id == bindparam("request_id")),
    "request_id",
)
_JOB_BY_ID = select(*_JOB_COLUMNS).where(_J.id == bindparam("job_id"))
# A saved login as a cached Authorize reads it (open_cached), and the session it writes.
_CACHED_LOGIN = select(*_LOGIN_COLUMNS, _L.institution, _L.language, _L.last_error_code).where(
    _L.id == bindparam("login_id")
)
_CACHED_LOGIN_EXTRA = len(_LOGIN_COLUMNS)  # where its columns after the login's start
_INSERT_SESSION = insert(cast(Table, tables.Session.__table__)).values(
    job_id=jobs.latest_job_id_of(bindparam("job_login"))  # the login's most recent job, read in the INSERT
)


def is_expired(ctx: InstanceContext, session: SessionLike, now: datetime) -> bool:
    if session.state is SessionState.AUTHORIZED and session.data_started_at is not None:
        ttl = ctx.settings.request_processing_ttl
    else:
        ttl = ctx.settings.request_idle_ttl
    return now >= session.last_activity_at + ttl


def _key(ctx: InstanceContext, request_id: str | None) -> str:
    if issued_elsewhere(ctx, request_id):
        raise wrong_instance_request()
    key = canonical(request_id) if request_id else None
    if key is None:
        raise errors.SessionNonexistent()
    return key


def _admit(ctx: InstanceContext, session: SessionLike | None, has_login: bool, now: datetime) -> None:
    """The checks a session passes before its data is read: there, alive, authorized, its login there."""
    if session is None:
        raise errors.SessionNonexistent()
    if is_expired(ctx, session, now):
        raise errors.SessionNonexistent("The RequestId has expired.", request_id=session.id)
    if session.state is SessionState.MFA_PENDING:
        raise errors.Unauthorized(
            "The session is waiting for the answer to a security challenge.",
            request_id=session.id,
            institution=session.institution,
            links=AUTHORIZE_LINKS,
        )
    if session.state is not SessionState.AUTHORIZED or session.login_id is None:
        raise errors.SessionNonexistent("This session was not authorized.", request_id=session.id)
    if not has_login:
        raise errors.SessionNonexistent("The login of this session was deleted.", request_id=session.id)


def open_for_data(
    ctx: InstanceContext, db: DbSession, request_id: str | None, *, touch: bool = True
) -> tuple[tables.Session, tables.Login]:
    """The authorized session behind a RequestId, touched (its idle clock restarts) unless ``touch`` is
    false (a read-only look that leaves the row as it is)."""
    now = ctx.clock.now()
    session = db.get(tables.Session, _key(ctx, request_id))
    login = db.get(tables.Login, session.login_id) if session and session.login_id else None
    _admit(ctx, session, login is not None, now)
    assert session is not None and login is not None
    if touch:
        session.last_activity_at = now
        if session.data_started_at is None:
            session.data_started_at = now
    return session, login


def peek_for_data(
    ctx: InstanceContext, request_id: str | None
) -> tuple[SessionCopy, LoginCopy, JobCopy | None]:
    """What :func:`open_for_data` with ``touch=False`` checks and returns, and the session's job, read with
    one Core statement into plain copies: the hot path of a data call, which the ORM's identity map and
    units of work would cost several times over."""
    now = ctx.clock.now()
    row = ctx.store.first(_PEEK, {"request_id": _key(ctx, request_id)})
    if row is None:
        raise errors.SessionNonexistent()
    ends = len(_SESSION_COLUMNS), len(_SESSION_COLUMNS) + len(_LOGIN_COLUMNS)
    session = SessionCopy(*row[: ends[0]])
    login, job = row[ends[0] : ends[1]], row[ends[1] :]
    _admit(ctx, session, login[0] is not None, now)
    return session, LoginCopy(*login), JobCopy(*job) if job[0] is not None else None


def read_job(ctx: InstanceContext, job_id: str) -> JobCopy | None:
    """A job as a data call looks at it, read with one Core statement."""
    row = ctx.store.first(_JOB_BY_ID, {"job_id": job_id})
    return JobCopy(*row) if row is not None else None


def find_login(ctx: InstanceContext, db: DbSession, login_id: str | None) -> tables.Login:
    if issued_elsewhere(ctx, login_id):
        raise wrong_instance_login()
    key = canonical(login_id) if login_id else None
    login = db.get(tables.Login, key) if key else None
    if login is None:
        raise errors.InvalidLogin()
    return login
