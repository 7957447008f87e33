"""Operations on a saved login ("card"): delete it everywhere, scheduled refresh, stored MFA answers."""

from __future__ import annotations

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session as DbSession

from finstance.connect import documents, sessions, tables, wire
from finstance.core import errors, jobs
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.forget import forget_login
from finstance.sandbox import bank


def delete_card(ctx: InstanceContext, login_id: str) -> str:
    """Remove the login and everything known through it, by every product. Returns the loginId as stored."""
    with ctx.store.write() as db:
        login = sessions.find_login(ctx, db, login_id)
        if jobs.active_job(db, login.id) is not None:
            raise errors.CardInUse(institution=login.institution)
        forget_login(ctx, db, login.id)
        login_id = login.id
    documents.forget(ctx, login_id)  # the instance's other processes, at their next documents.sweep
    return login_id


def forget(ctx: InstanceContext, db: DbSession, login_id: str) -> None:
    """Connect's part of DeleteCard: the login's data, its sessions and their tokens, its Connect page flows.

    Sessions of the same institution and username that never reached the login (a failed attempt, an
    unanswered challenge) hold its username: they go too.
    """
    login = db.get(tables.Login, login_id)
    if login is None:
        return
    t = tables
    account_ids = select(t.Account.id).where(t.Account.login_id == login_id)
    db.execute(delete(t.Transaction).where(t.Transaction.account_id.in_(account_ids)))
    db.execute(delete(t.Statement).where(t.Statement.account_id.in_(account_ids)))
    db.execute(delete(t.Account).where(t.Account.login_id == login_id))
    db.execute(delete(t.Holder).where(t.Holder.login_id == login_id))
    same_user = and_(
        t.Session.login_id.is_(None),
        t.Session.institution == login.institution,
        func.lower(t.Session.username) == login.username.strip().lower(),
    )
    session_ids = list(db.scalars(select(t.Session.id).where(or_(t.Session.login_id == login_id, same_user))))
    for chunk in _chunks(session_ids):
        db.execute(delete(t.AuthorizeToken).where(t.AuthorizeToken.request_id.in_(chunk)))
        db.execute(delete(t.ConnectFlow).where(t.ConnectFlow.request_id.in_(chunk)))
        db.execute(delete(t.Session).where(t.Session.id.in_(chunk)))
    db.execute(delete(t.ConnectFlow).where(t.ConnectFlow.login_id == login_id))
    db.delete(login)


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def set_scheduled_refresh(ctx: InstanceContext, body: wire.ScheduledRefreshRequest) -> dict[str, object]:
    with ctx.store.write() as db:
        login = sessions.find_login(ctx, db, body.login_id)
        login.is_scheduled_refresh = body.is_activated
        state = "activated" if body.is_activated else "deactivated"
        return {
            "HttpStatusCode": 200,
            "Message": f"Scheduled refresh {state}",
            "LoginId": login.id,
            "IsScheduledRefresh": login.is_scheduled_refresh,
        }


def _require_canada(ctx: InstanceContext) -> None:
    if ctx.spec.country is not Country.CA:
        raise errors.MethodNotAvailable("Stored MFA questions exist on Canadian instances only.")


def mfa_questions(ctx: InstanceContext, login_id: str) -> dict[str, object]:
    _require_canada(ctx)
    with ctx.store.read() as db:
        login = sessions.find_login(ctx, db, login_id)
        scenario = bank.find_scenario(login.username)
        asks = bool(scenario and scenario.mfa_steps)
        prompts = sorted(bank.questions(ctx.spec.country, login.language)) if asks else []
    return {"Message": "SUCCESS", "Questions": [{"Question": p} for p in prompts]}


def answer_mfa_questions(ctx: InstanceContext, body: wire.AnswerMFAQuestionsRequest) -> dict[str, object]:
    _require_canada(ctx)
    with ctx.store.write() as db:
        login = sessions.find_login(ctx, db, body.login_id)
        known = {" ".join(p.split()).casefold(): p for p in bank.questions(ctx.spec.country, login.language)}
        answers = dict(login.mfa_answers)
        for item in body.questions:
            prompt = known.get(" ".join(item.question.split()).casefold())
            if prompt is None:
                raise errors.UnknownChallengeKey(f"Unknown question: {item.question[:100]}")
            answers[prompt] = sessions.answer_hash(item.answer)
        login.mfa_answers = answers
        if login.last_error_code == errors.QuestionNotFound.flinks_code:
            login.last_error_code = None
    return {"Message": "Answers updated"}
