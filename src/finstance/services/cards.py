"""Operations on a saved login ("card"): delete it with its data, scheduled refresh, stored MFA answers."""

from __future__ import annotations

from sqlalchemy import delete, select

from finstance import errors, wire
from finstance.country import Country
from finstance.sandbox import bank
from finstance.services import jobs, sessions
from finstance.services.context import InstanceContext
from finstance.store import models


def delete_card(ctx: InstanceContext, login_id: str) -> str:
    """Remove the login and everything known through it. Returns the loginId as stored."""
    with ctx.store.write() as db:
        login = sessions.find_login(ctx, db, login_id)
        if jobs.active_job(db, login.id) is not None:
            raise errors.CardInUse(institution=login.institution)
        account_ids = list(db.scalars(select(models.Account.id).where(models.Account.login_id == login.id)))
        if account_ids:
            db.execute(delete(models.Transaction).where(models.Transaction.account_id.in_(account_ids)))
            db.execute(delete(models.Statement).where(models.Statement.account_id.in_(account_ids)))
            db.execute(delete(models.Account).where(models.Account.id.in_(account_ids)))
        db.execute(delete(models.Holder).where(models.Holder.login_id == login.id))
        session_ids = list(db.scalars(select(models.Session.id).where(models.Session.login_id == login.id)))
        if session_ids:
            db.execute(delete(models.AuthorizeToken).where(models.AuthorizeToken.request_id.in_(session_ids)))
        db.execute(delete(models.Session).where(models.Session.login_id == login.id))
        db.execute(delete(models.Job).where(models.Job.login_id == login.id))
        db.delete(login)
        return login.id


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
