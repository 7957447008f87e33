"""DeleteCard, scheduled refresh, stored MFA questions and unattended refreshes."""

from __future__ import annotations

import httpx

from finstance.core.clock import ManualClock
from finstance.sandbox import bank
from tests.connect.api.test_data import ready_session
from tests.flinks import Flinks


async def delete(flinks: Flinks, login_id: str) -> httpx.Response:
    return await flinks.http.delete(
        f"{flinks.prefix}/DeleteCard/{login_id}", headers={"x-api-key": flinks.api_key}
    )


async def test_delete_card_while_aggregating_is_card_in_use(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    login_id = (await flinks.connect("test_pending"))["Login"]["Id"]
    busy = await delete(flinks, login_id)
    assert busy.status_code == 400 and busy.json()["FlinksCode"] == "CARD_IN_USE"


async def test_deleted_card_is_gone_with_all_its_data(toolbox: httpx.AsyncClient, clock: ManualClock) -> None:
    flinks = Flinks(toolbox)
    session = await ready_session(flinks, clock)
    login_id = session["Login"]["Id"]
    assert (await delete(flinks, login_id)).status_code == 200
    gone = await flinks.data("GetAccountsDetail", {"RequestId": session["RequestId"]})
    assert gone.status_code == 400 and gone.json()["FlinksCode"] == "SESSION_NONEXISTENT"
    twice = await delete(flinks, login_id)
    assert twice.status_code == 401 and twice.json()["FlinksCode"] == "INVALID_LOGIN"


async def test_scheduled_refresh_flag_is_reported_on_the_login(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    login_id = (await ready_session(flinks, clock))["Login"]["Id"]
    headers = {"x-api-key": flinks.api_key}
    on = await toolbox.patch(
        f"{flinks.prefix}/SetScheduledRefresh",
        json={"LoginId": login_id, "IsActivated": True},
        headers=headers,
    )
    assert on.status_code == 200 and on.json()["IsScheduledRefresh"] is True
    assert (await flinks.cached(login_id)).json()["Login"]["IsScheduledRefresh"] is True
    unknown = await toolbox.patch(
        f"{flinks.prefix}/SetScheduledRefresh",
        json={"LoginId": "5e115eac-1209-4f19-641c-08d6d484e2fe", "IsActivated": True},
        headers=headers,
    )
    assert unknown.status_code == 401 and unknown.json()["FlinksCode"] == "INVALID_LOGIN"


async def test_stored_answers_let_a_live_refresh_pass_mfa_unattended(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    login_id = (await ready_session(flinks, clock, "Greatday"))["Login"]["Id"]
    headers = {"x-api-key": flinks.api_key}
    questions = (await toolbox.get(f"{flinks.prefix}/GetMFAQuestions/{login_id}", headers=headers)).json()
    assert questions["Message"] == "SUCCESS"
    prompts = [q["Question"] for q in questions["Questions"]]
    assert sorted(prompts) == sorted(bank.CA_QUESTIONS)
    answers = [{"Question": p, "Answer": bank.CA_QUESTIONS[p]} for p in prompts]
    stored = await toolbox.patch(
        f"{flinks.prefix}/AnswerMFAQuestions",
        json={"LoginId": login_id, "Questions": answers},
        headers=headers,
    )
    assert stored.json() == {"Message": "Answers updated"}
    refresh = await flinks.authorize({"LoginId": login_id, "MostRecentCached": False})
    assert refresh.status_code == 200, refresh.text


async def test_nightly_refresh_without_stored_answers_records_question_not_found(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    from finstance.connect import aggregation
    from finstance.core import jobs

    flinks = Flinks(toolbox)
    login_id = (await ready_session(flinks, clock, "Greatday"))["Login"]["Id"]
    await toolbox.patch(
        f"{flinks.prefix}/SetScheduledRefresh",
        json={"LoginId": login_id, "IsActivated": True},
        headers={"x-api-key": flinks.api_key},
    )
    clock.advance(25 * 3600)
    ctx = toolbox._transport.app.state.ctx  # type: ignore[attr-defined]
    assert aggregation.enqueue_scheduled_refreshes(ctx) == 1
    assert jobs.run_due(ctx) == 1
    cached = await flinks.cached(login_id)
    assert cached.status_code == 401 and cached.json()["FlinksCode"] == "QUESTION_NOT_FOUND"
    usable = await flinks.data("GetAccountsSummary", {"RequestId": cached.json()["RequestId"]})
    assert usable.status_code == 200
